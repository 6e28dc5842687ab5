"""Logging: one format, and phone numbers scrubbed from every record before it is written."""

from __future__ import annotations

import logging
import re

from flask import Flask

# +14145550123, 414-555-0123, (414) 555 0123 ...: anything that looks like a phone number.
PHONE_RE = re.compile(r"(?<!\w)(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")


class PhoneRedactingFilter(logging.Filter):
    """Replaces phone numbers in log messages with a mask, whatever logged them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = PHONE_RE.sub("[phone]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(app: Flask) -> None:
    """Attach the redacting filter to the app's and the root handlers."""
    level = app.config.get("LOG_LEVEL", "INFO")
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    root.setLevel(level)
    logging.getLogger("alembic").setLevel("WARNING" if level != "DEBUG" else level)
    for handler in root.handlers + app.logger.handlers:
        if not any(isinstance(f, PhoneRedactingFilter) for f in handler.filters):
            handler.addFilter(PhoneRedactingFilter())
