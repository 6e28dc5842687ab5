"""X-Twilio-Signature: validate a webhook against the URL Twilio signed, and sign for tests."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from twilio.request_validator import RequestValidator

SIGNATURE_HEADER = "X-Twilio-Signature"


def is_valid_request(
    auth_token: str | None, url: str, form: Mapping[str, str], signature: str | None
) -> bool:
    """True when the signature is Twilio's HMAC of this URL and form under the auth token."""
    if not auth_token or not signature:
        return False
    return bool(RequestValidator(auth_token).validate(url, form, signature))


def public_url(request_url: str, public_base_url: str | None) -> str:
    """The URL Twilio signed: scheme and host from PUBLIC_BASE_URL, path and query as received."""
    if not public_base_url:
        return request_url
    base = urlsplit(public_base_url)
    received = urlsplit(request_url)
    return urlunsplit((base.scheme, base.netloc, received.path, received.query, ""))


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """The X-Twilio-Signature Twilio would send for this URL and form (for tests and tools)."""
    return RequestValidator(auth_token).compute_signature(url, params)
