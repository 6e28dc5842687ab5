"""Residents' phone numbers: normalised, encrypted at rest, hashed for lookup, masked for display.

This is the only module that sees a full number outside the SMS sender. Keys come from
PHONE_ENCRYPTION_KEY / PHONE_HASH_KEY, or are derived from SECRET_KEY with HKDF so that the
embedded default works without extra set-up.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from dataclasses import dataclass

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class InvalidPhoneNumberError(ValueError):
    """The text is not a phone number we can text back."""


def normalize_phone(raw: str, region: str = "US") -> str:
    """The number in E.164 form (+14145550123), or InvalidPhoneNumberError."""
    text = (raw or "").strip()
    if not text or len(text) > 40:
        raise InvalidPhoneNumberError("Enter a phone number such as 414-555-0123.")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumberError("Enter a phone number such as 414-555-0123.") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhoneNumberError("That phone number has the wrong number of digits.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """A display form that hides all but the last four digits."""
    return f"***-***-{e164[-4:]}"


@functools.lru_cache(maxsize=8)
def _derive(secret: str, purpose: bytes) -> bytes:
    """A key for one purpose from the secret (derived once per process, not per text)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret.encode()
    )


@dataclass(frozen=True)
class PhoneVault:
    """Encrypts, decrypts and hashes phone numbers with the app's keys."""

    fernet_key: bytes
    hash_key: bytes

    @classmethod
    def from_config(cls, config: dict) -> PhoneVault:
        secret = config["SECRET_KEY"]
        fernet_key = config.get("PHONE_ENCRYPTION_KEY")
        hash_key = config.get("PHONE_HASH_KEY")
        return cls(
            fernet_key=(
                fernet_key.encode()
                if fernet_key
                else base64.urlsafe_b64encode(_derive(secret, b"community phone encryption"))
            ),
            hash_key=hash_key.encode() if hash_key else _derive(secret, b"community phone lookup"),
        )

    def encrypt(self, e164: str) -> bytes:
        return Fernet(self.fernet_key).encrypt(e164.encode())

    def decrypt(self, token: bytes) -> str:
        try:
            return Fernet(self.fernet_key).decrypt(token).decode()
        except InvalidToken as exc:
            raise ValueError("phone number cannot be decrypted with the configured key") from exc

    def lookup_hash(self, e164: str) -> str:
        """A keyed hash: equal numbers match, and the hash alone reveals nothing."""
        return hmac.new(self.hash_key, e164.encode(), hashlib.sha256).hexdigest()
