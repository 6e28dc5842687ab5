"""Logging: one format, and phone numbers scrubbed from every record before it is written.

Redaction happens where records are made, not where they are written: a wrapper around the
log record factory rewrites each record's message (and the text of any exception it carries)
as it is created. So every handler sees the redacted record, including handlers that gunicorn,
RQ or a test attach after create_app() has run, and handlers on any logger.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask

# +14145550123, 414-555-0123, (414) 555 0123 ...: anything that looks like a phone number.
PHONE_RE = re.compile(r"(?<!\w)(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")
MASK = "[phone]"

_formatter = logging.Formatter()


def redact_phones(text: str) -> str:
    """The text with anything that looks like a phone number replaced by a mask."""
    return PHONE_RE.sub(MASK, text)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite a record in place so neither its message nor its traceback carries a number."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: leave it for the handler to report, as logging does
        return record
    redacted = redact_phones(message)
    if redacted != message:
        record.msg, record.args = redacted, None
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        # Formatter.format() uses exc_text when it is set, so the traceback is written redacted.
        record.exc_text = _formatter.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact_phones(record.exc_text)
    if record.stack_info:
        record.stack_info = redact_phones(record.stack_info)
    return record


class _RedactingFactory:
    """Wraps the current log record factory; recognisable, so it is installed only once."""

    def __init__(self, wrapped: Callable[..., logging.LogRecord]) -> None:
        self.wrapped = wrapped

    def __call__(self, *args: object, **kwargs: object) -> logging.LogRecord:
        return redact_record(self.wrapped(*args, **kwargs))


def install_redaction() -> None:
    """Make every log record in this process redacted at creation (idempotent)."""
    if not isinstance(logging.getLogRecordFactory(), _RedactingFactory):
        logging.setLogRecordFactory(_RedactingFactory(logging.getLogRecordFactory()))


class PhoneRedactingFilter(logging.Filter):
    """Redacts a record at a handler or logger; for records made outside the factory."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, job, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        from community.requestid import current, current_job

        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current(),
        }
        if job := current_job():
            entry["job"] = job
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_phones(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def _use_json(handlers: list[logging.Handler]) -> None:
    formatter = JsonFormatter()
    for handler in handlers:
        if not isinstance(handler.formatter, JsonFormatter):
            handler.setFormatter(formatter)


def configure_logging(app: Flask) -> None:
    """One format and level, and phone numbers redacted from every record, whoever logs it."""
    from community.requestid import init_app as init_request_ids

    install_redaction()
    level = app.config.get("LOG_LEVEL", "INFO")
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if app.config.get("LOG_FORMAT") == "json":
        _use_json(root.handlers)
        # gunicorn's error log has its own handlers: the same format there.
        _use_json(logging.getLogger("gunicorn.error").handlers)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel("WARNING" if level != "DEBUG" else level)
    # The twilio library logs each API request's parameters (numbers, words) at INFO.
    logging.getLogger("twilio.http_client").setLevel("WARNING")
    init_request_ids(app)
