"""Phone numbers: normalised, encrypted with the app's keys, hashed for lookup, kept out of logs."""

from __future__ import annotations

import io
import logging

import pytest

from community.logging_setup import PhoneRedactingFilter
from community.privacy import InvalidPhoneNumberError, PhoneVault, mask_phone, normalize_phone
from tests.conftest import make_app


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


PHONE_FORMS = ("+14145550123", "4145550123", "414-555-0123", "(414) 555-0123", "555 0199")


def test_logs_never_carry_a_phone_number_even_through_a_later_handler() -> None:
    """A handler added after create_app (as gunicorn or RQ add theirs) gets redacted records."""
    make_app("sqlite://")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("test.privacy.late")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("text from %s about case %s", "+14145550123", "MKE-7K3Q")
        logger.info("call 414-555-0123 or (414) 555 0199")
        try:
            raise ValueError("cannot text +14145550123 or (414) 555-0123")
        except ValueError:
            logger.exception("sending to %s failed", "414-555-0123")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    for number in PHONE_FORMS:
        assert number not in written
    assert "MKE-7K3Q" in written and "[phone]" in written
    assert "Traceback" in written and "ValueError: cannot text [phone] or [phone]" in written


def test_redaction_is_installed_once(caplog: pytest.LogCaptureFixture) -> None:
    make_app("sqlite://")
    factory = logging.getLogRecordFactory()
    make_app("sqlite://")
    assert logging.getLogRecordFactory() is factory
    with caplog.at_level(logging.INFO, logger="test.privacy"):
        logging.getLogger("test.privacy").info("from %s", "+14145550123")
    assert caplog.messages == ["from [phone]"]


def test_the_filter_still_redacts_records_made_elsewhere() -> None:
    record = logging.makeLogRecord({"msg": "call %s", "args": ("414-555-0123",)})
    assert PhoneRedactingFilter().filter(record)
    assert record.getMessage() == "call [phone]"
