"""Outbound SMS through Twilio's REST API, and MMS media downloads; no database access here."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from community.models.message import MessageStatus
from community.privacy import mask_phone

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0  # seconds, for every request to Twilio
MAX_MEDIA_BYTES = 5 * 1024 * 1024  # Twilio's own MMS limit is 5 MB
TWILIO_API_BASE_URL = "https://api.twilio.com"

OPTED_OUT_CODES = frozenset({21610})  # Attempt to send to unsubscribed recipient
INVALID_NUMBER_CODES = frozenset({21211, 21614})  # invalid 'To' / 'To' is not a mobile number
TRANSIENT_CODES = frozenset({20429})  # Too Many Requests

# Twilio's status for a message it has just accepted, as our MessageStatus.
_STATUS_FROM_TWILIO = {
    "accepted": MessageStatus.QUEUED,
    "scheduled": MessageStatus.QUEUED,
    "queued": MessageStatus.QUEUED,
    "sending": MessageStatus.QUEUED,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
}


class SmsConfigError(ValueError):
    """Twilio credentials are set but the settings cannot send (no sender, bad base URL)."""


class MediaError(RuntimeError):
    """An MMS media file could not be downloaded; `transient` says whether to retry later."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class MediaTooLargeError(MediaError):
    """The media file is larger than the gateway accepts."""


@dataclass(frozen=True)
class SendResult:
    """What happened to one outbound text: the caller records it on the Message row."""

    status: MessageStatus  # queued, sent, failed or logged
    sid: str | None = None  # Twilio's MessageSid (SM...) when Twilio accepted the text
    error_code: int | None = None  # Twilio's error code when it refused the text
    opted_out: bool = False  # 21610: the resident texted STOP; send them nothing more
    invalid_number: bool = False  # 21211/21614: the number cannot receive texts
    transient: bool = False  # 5xx, 429, timeout or no connection: retry later

    @property
    def accepted(self) -> bool:
        """True when Twilio took the text (or it was only logged, with no credentials)."""
        return self.status != MessageStatus.FAILED


class SmsGateway:
    """Sends texts with the real twilio client, or logs them when no credentials are set."""

    def __init__(
        self,
        account_sid: str | None,
        auth_token: str | None,
        *,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        api_base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.api_base_url = (api_base_url or TWILIO_API_BASE_URL).rstrip("/")
        self.timeout = timeout
        self._client: Client | None = None
        if self.enabled and not (from_number or messaging_service_sid):
            raise SmsConfigError(
                "Set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID to send texts"
            )
        if urlsplit(self.api_base_url).scheme not in ("http", "https"):
            raise SmsConfigError("TWILIO_API_BASE_URL must be an http(s) URL")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmsGateway:
        """A gateway from the app's TWILIO_* settings (Flask's app.config or any mapping)."""
        return cls(
            config.get("TWILIO_ACCOUNT_SID"),
            config.get("TWILIO_AUTH_TOKEN"),
            from_number=config.get("TWILIO_FROM_NUMBER"),
            messaging_service_sid=config.get("TWILIO_MESSAGING_SERVICE_SID"),
            api_base_url=config.get("TWILIO_API_BASE_URL"),
            timeout=float(config.get("TWILIO_TIMEOUT") or DEFAULT_TIMEOUT),
        )

    @property
    def enabled(self) -> bool:
        """True when credentials are set, so texts really go to Twilio."""
        return bool(self.account_sid and self.auth_token)

    @property
    def client(self) -> Client:
        """The twilio REST client, made on first use and pointed at the configured base URL."""
        if self._client is None:
            client = Client(
                self.account_sid,
                self.auth_token,
                http_client=TwilioHttpClient(timeout=self.timeout),
            )
            # Domain.absolute_url joins base_url and the versioned path (2010-04-01/Accounts/...).
            client.api.base_url = self.api_base_url
            self._client = client
        return self._client

    def send(self, to_e164: str, body: str, *, status_callback: str | None = None) -> SendResult:
        """Hand one text to Twilio and report what it said; never raises for Twilio's refusals."""
        if not to_e164:
            raise ValueError("a destination number is required")
        masked = mask_phone(to_e164)
        if not self.enabled:
            # Not the words: a reply can repeat the resident's place (the text is in the database).
            logger.info(
                "SMS not sent (no Twilio credentials) to %s: %d characters", masked, len(body)
            )
            return SendResult(status=MessageStatus.LOGGED)
        params: dict[str, str] = {"to": to_e164, "body": body}
        if self.messaging_service_sid:
            params["messaging_service_sid"] = self.messaging_service_sid
        else:
            params["from_"] = self.from_number or ""
        if status_callback:
            params["status_callback"] = status_callback
        try:
            message = self.client.messages.create(**params)
        except (TwilioRestException, TwilioServiceException) as exc:
            return self._refused(masked, int(exc.status), exc.code)
        except requests.RequestException as exc:
            # The exception text can carry the request URL but never the form body.
            logger.warning("SMS to %s not sent: %s", masked, type(exc).__name__)
            return SendResult(status=MessageStatus.FAILED, transient=True)
        except TwilioException:
            logger.exception("SMS to %s not sent: unexpected answer from Twilio", masked)
            return SendResult(status=MessageStatus.FAILED)
        status = _STATUS_FROM_TWILIO.get(str(message.status or ""), MessageStatus.QUEUED)
        logger.info("SMS %s to %s: %s (%s)", message.sid, masked, status.value, message.status)
        return SendResult(status=status, sid=message.sid, error_code=message.error_code)

    def find_sent(self, to_e164: str, body: str, since: datetime) -> list[str] | None:
        """The SIDs of texts with this body Twilio took for this number since then.

        Empty when Twilio has none, None when Twilio could not be asked.
        """
        if not self.enabled:
            return []
        try:
            listed = self.client.messages.list(to=to_e164, date_sent_after=since, limit=200)
        except (TwilioException, requests.RequestException) as exc:
            logger.warning("could not list texts sent to %s: %s", mask_phone(to_e164), exc)
            return None
        return [message.sid for message in listed if message.body == body]

    def _refused(self, masked: str, http_status: int, code: int | None) -> SendResult:
        """The SendResult for an error answer; logs the codes, never Twilio's message text."""
        result = SendResult(
            status=MessageStatus.FAILED,
            error_code=code,
            opted_out=code in OPTED_OUT_CODES,
            invalid_number=code in INVALID_NUMBER_CODES,
            transient=http_status >= 500 or http_status == 429 or code in TRANSIENT_CODES,
        )
        level = logging.WARNING if result.transient or http_status in (401, 403) else logging.INFO
        logger.log(
            level, "SMS to %s refused by Twilio: HTTP %s, error %s", masked, http_status, code
        )
        return result

    def fetch_media(self, url: str, *, max_bytes: int = MAX_MEDIA_BYTES) -> bytes:
        """Download one MMS media file (MediaUrlN) with the account's credentials."""
        if not self.enabled:
            raise MediaError("no Twilio credentials to download media with")
        if not self._is_twilio_url(url):
            raise MediaError("media URL is not on the Twilio API host")
        try:
            # requests drops the credentials when Twilio redirects to its storage host.
            with requests.get(
                url,
                auth=(self.account_sid or "", self.auth_token or ""),
                timeout=self.timeout,
                allow_redirects=True,
                stream=True,
            ) as response:
                if response.status_code != 200:
                    raise MediaError(
                        f"media download answered HTTP {response.status_code}",
                        transient=response.status_code >= 500 or response.status_code == 429,
                    )
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise MediaTooLargeError(f"media is {declared} bytes, over {max_bytes}")
                data = bytearray()
                for chunk in response.iter_content(chunk_size=64 * 1024):
                    data += chunk
                    if len(data) > max_bytes:
                        raise MediaTooLargeError(f"media is over {max_bytes} bytes")
                return bytes(data)
        except requests.RequestException as exc:
            raise MediaError(
                f"media download failed: {type(exc).__name__}", transient=True
            ) from exc

    def _is_twilio_url(self, url: str) -> bool:
        """True for the configured API host or an https *.twilio.com host: never leak the token."""
        parts = urlsplit(url)
        base = urlsplit(self.api_base_url)
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
            return True
        host = (parts.hostname or "").lower()
        return parts.scheme == "https" and (host == "twilio.com" or host.endswith(".twilio.com"))
