"""Phone numbers: normalised, encrypted with the app's keys, hashed for lookup, kept out of logs."""

from __future__ import annotations

import logging

import pytest

from community.logging_setup import PhoneRedactingFilter
from community.privacy import InvalidPhoneNumberError, PhoneVault, mask_phone, normalize_phone


@pytest.mark.parametrize("raw", ["414-555-0123", "(414) 555 0123", "+1 414 555 0123", "4145550123"])
def test_phone_numbers_normalise_to_e164(raw: str) -> None:
    assert normalize_phone(raw) == "+14145550123"


@pytest.mark.parametrize("raw", ["", "12", "call me", "<script>", "9" * 60, "٤١٤٥٥٥٠١٢٣٤٥٦٧٨٩"])
def test_bad_phone_numbers_get_a_clear_message(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumberError, match="phone number"):
        normalize_phone(raw)


def test_vault_round_trip_and_keyed_hash() -> None:
    vault = PhoneVault.from_config({"SECRET_KEY": "one"})
    other = PhoneVault.from_config({"SECRET_KEY": "two"})
    token = vault.encrypt("+14145550123")
    assert vault.decrypt(token) == "+14145550123"
    assert vault.lookup_hash("+14145550123") == vault.lookup_hash("+14145550123")
    assert vault.lookup_hash("+14145550123") != other.lookup_hash("+14145550123")
    with pytest.raises(ValueError, match="cannot be decrypted"):
        other.decrypt(token)
    assert mask_phone("+14145550123") == "***-***-0123"


def test_logs_never_carry_a_phone_number(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.privacy")
    caplog.handler.addFilter(PhoneRedactingFilter())
    with caplog.at_level(logging.INFO):
        logger.info("text from %s about case %s", "+14145550123", "MKE-7K3Q")
        logger.info("call 414-555-0123 or (414) 555 0199")
    assert "5550123" not in caplog.text and "555 0199" not in caplog.text
    assert "MKE-7K3Q" in caplog.text and "[phone]" in caplog.text
