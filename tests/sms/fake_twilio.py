"""A fake Twilio REST server on 127.0.0.1 that the real twilio library talks HTTP to."""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from community.sms.segments import segments

API_VERSION = "2010-04-01"
MORE_INFO = "https://www.twilio.com/docs/errors/{code}"

# Twilio's error codes and messages for the HTTP statuses fail_next can answer.
_STATUS_ERRORS = {
    400: (21000, "Bad Request"),
    401: (20003, "Authenticate"),
    404: (20404, "The requested resource was not found"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    502: (20500, "Bad Gateway"),
    503: (20503, "Service Unavailable"),
}


def random_sid(prefix: str) -> str:
    """A Twilio-shaped SID: two letters and 32 hex digits."""
    return prefix + secrets.token_hex(16)


@dataclass
class Recorded:
    """One request the fake received, and the HTTP status it answered."""

    method: str
    path: str
    form: dict[str, str]
    auth_user: str | None
    auth_password: str | None
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    at: float = field(default_factory=time.time)  # when it arrived (time.time())


@dataclass
class _Media:
    data: bytes
    content_type: str
    send_length: bool


class FakeTwilio:
    """Messages.json and media downloads, with failure modes a test can switch on."""

    def __init__(self, account_sid: str | None = None, auth_token: str | None = None) -> None:
        self.account_sid = account_sid or random_sid("AC")
        self.auth_token = auth_token or secrets.token_hex(16)
        self.sent: list[Recorded] = []  # every request, in order, whatever it answered
        self.opted_out: set[str] = set()  # numbers answering 21610
        self.invalid: set[str] = set()  # numbers answering 21211
        self.media: dict[str, _Media] = {}
        self.messages: dict[str, dict[str, Any]] = {}  # accepted messages by SID
        self._failures: list[int] = []
        self.outage_until = 0.0  # time.time() before which every message request gets a 500
        self._hangs: list[float] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeTwilio:
        """Listen on a free port of 127.0.0.1 in a daemon thread."""
        self._released.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-twilio",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: later requests fail with connection refused."""
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def url(self) -> str:
        """The base URL to give TWILIO_API_BASE_URL."""
        assert self._server is not None, "the fake is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- failure modes and media -----------------------------------------------------------

    def fail_next(self, n: int = 1, status: int = 500) -> None:
        """Answer the next n message requests with this HTTP status and Twilio's error JSON."""
        with self._lock:
            self._failures.extend([status] * n)

    def hang_next(self, n: int = 1, seconds: float = 5.0) -> None:
        """Wait this long before answering the next n message requests (a slow Twilio)."""
        with self._lock:
            self._hangs.extend([seconds] * n)

    def add_media(
        self,
        name: str,
        data: bytes,
        content_type: str = "image/jpeg",
        *,
        send_length: bool = True,
    ) -> str:
        """Serve bytes at /media/{name} (and /redirect/{name}); returns the URL."""
        self.media[name] = _Media(data, content_type, send_length)
        return f"{self.url}/media/{name}"

    def list_messages(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """Twilio's answer to GET Messages.json (filtered by To only)."""
        with self._lock:
            return _list_page(self, query)

    def messages_path(self) -> str:
        """The Messages.json path for this account."""
        return f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"

    # -- behaviour, called by the handler ---------------------------------------------------

    def _next(self, queue: list[Any]) -> Any:
        with self._lock:
            return queue.pop(0) if queue else None

    def create_message(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Twilio's answer to POST Messages.json with this form."""
        delay = self._next(self._hangs)
        if delay:
            self._released.wait(delay)
        status = self._next(self._failures) or (500 if time.time() < self.outage_until else 0)
        if status:
            code, message = _STATUS_ERRORS.get(status, (20500, "Error"))
            return status, error_body(code, message, status)
        to = form.get("To", "")
        if not to:
            return 400, error_body(21604, "A 'To' phone number is required.", 400)
        if not form.get("Body") and not form.get("MediaUrl"):
            return 400, error_body(21602, "Message body is required.", 400)
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return 400, error_body(21603, "A 'From' phone number is required.", 400)
        if to in self.invalid:
            return 400, error_body(21211, f"The 'To' number {to} is not a valid phone number.", 400)
        if to in self.opted_out:
            return 400, error_body(21610, "Attempt to send to unsubscribed recipient", 400)
        sid = random_sid("SM")
        now = format_datetime(datetime.now(UTC))
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}"
        body = form.get("Body", "")
        message = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": str(segments(body)),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            # With a Messaging Service and no From, Twilio first answers "accepted".
            "status": "queued" if form.get("From") else "accepted",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": to,
            "uri": f"{uri}.json",
        }
        with self._lock:
            self.messages[sid] = message
        return 201, message


def _list_page(fake: FakeTwilio, query: dict[str, list[str]]) -> dict[str, Any]:
    """GET Messages.json?To=...: the accepted messages to that number, one page, newest first."""
    to = (query.get("To") or [""])[0]
    found = [m for m in fake.messages.values() if not to or m["to"] == to]
    path = fake.messages_path()
    return {
        "messages": list(reversed(found)),
        "end": max(len(found) - 1, 0),
        "first_page_uri": path,
        "next_page_uri": None,
        "page": 0,
        "page_size": len(found),
        "previous_page_uri": None,
        "start": 0,
        "uri": path,
    }


def error_body(code: int, message: str, status: int) -> dict[str, Any]:
    """Twilio's legacy error JSON."""
    return {
        "code": code,
        "message": message,
        "more_info": MORE_INFO.format(code=code),
        "status": status,
    }


def _handler_for(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to this fake."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeTwilio/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet: pytest shows what matters."""

        def _credentials(self) -> tuple[str | None, str | None]:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic "):
                return None, None
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return None, None
            return user, password

        def _record(self, form: dict[str, str]) -> Recorded:
            user, password = self._credentials()
            entry = Recorded(
                method=self.command,
                path=self.path,
                form=form,
                auth_user=user,
                auth_password=password,
                headers=dict(self.headers.items()),
            )
            fake.sent.append(entry)
            return entry

        def _authorized(self, entry: Recorded) -> bool:
            return (entry.auth_user, entry.auth_password) == (fake.account_sid, fake.auth_token)

        def _json(self, entry: Recorded, status: int, payload: dict[str, Any]) -> None:
            entry.status = status
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            form = {
                key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True).items()
            }
            entry = self._record(form)
            if not self._authorized(entry):
                self._json(entry, 401, error_body(20003, "Authenticate", 401))
                return
            if urlsplit(self.path).path != fake.messages_path():
                self._json(
                    entry, 404, error_body(20404, "The requested resource was not found", 404)
                )
                return
            status, payload = fake.create_message(form)
            self._json(entry, status, payload)

        def do_GET(self) -> None:
            entry = self._record({})
            path = urlsplit(self.path).path
            kind, _, name = path.strip("/").partition("/")
            if not self._authorized(entry):
                self._json(entry, 401, error_body(20003, "Authenticate", 401))
                return
            if path == fake.messages_path():
                self._json(entry, 200, fake.list_messages(parse_qs(urlsplit(self.path).query)))
                return
            if kind == "redirect" and name in fake.media:
                entry.status = 302
                self.send_response(302)
                self.send_header("Location", f"/media/{name}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            media = fake.media.get(name) if kind == "media" else None
            if media is None:
                self._json(
                    entry, 404, error_body(20404, "The requested resource was not found", 404)
                )
                return
            entry.status = 200
            self.send_response(200)
            self.send_header("Content-Type", media.content_type)
            if media.send_length:
                self.send_header("Content-Length", str(len(media.data)))
            self.end_headers()
            # The client may stop reading a file that is too large.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(media.data)

    return Handler


def twilio_settings(fake: FakeTwilio, **overrides: Any) -> dict[str, Any]:
    """TWILIO_* settings that point the gateway at the fake."""
    settings: dict[str, Any] = {
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "TWILIO_FROM_NUMBER": "+14145550100",
        "TWILIO_MESSAGING_SERVICE_SID": None,
        "TWILIO_API_BASE_URL": fake.url,
    }
    settings.update(overrides)
    return settings
