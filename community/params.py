"""Query and form parameters, read one way: a value that makes no sense is a 400, never a 500.

Parsers elsewhere (triage filters, export filters, report requests, Open311 queries) call these
helpers with their own error class, so their pages keep their messages; the default error is a
BadRequest the error pages answer. Days are bounded so that date arithmetic (the day after the
last, a window before the first) can never overflow.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, tzinfo

from werkzeug.exceptions import BadRequest

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
MAX_DIGITS = 15  # below SQLite's and PostgreSQL's largest integer, and float-exact


class ParameterError(BadRequest, ValueError):
    """A query or form parameter that cannot be used (400); the message names it."""

    def __init__(self, message: str) -> None:
        super().__init__(description=message)

    def __str__(self) -> str:
        return self.description or ""


ErrorClass = Callable[[str], Exception]  # an exception class taking the message


def _shown(raw: str) -> str:
    return repr(raw[:40])


def whole_number(
    raw: str | None,
    name: str,
    low: int = 0,
    high: int = 10**MAX_DIGITS - 1,
    error: ErrorClass = ParameterError,
) -> int | None:
    """A whole number written in ASCII digits within low..high; None when blank."""
    raw = (raw or "").strip()
    if not raw:
        return None
    # str.isdigit() accepts "²" and "٣", which int() refuses or reads: ASCII digits only.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS):
        raise error(f"{name}: a whole number from {low} to {high}, not {_shown(raw)}.")
    value = int(raw)
    if not low <= value <= high:
        raise error(f"{name}: a whole number from {low} to {high}, not {_shown(raw)}.")
    return value


def number(
    raw: str | None, name: str, low: float, high: float, error: ErrorClass = ParameterError
) -> float | None:
    """A finite decimal number within low..high; None when blank."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = float(raw) if raw.isascii() and len(raw) <= 40 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        raise error(f"{name}: a number from {low:g} to {high:g}, not {_shown(raw)}.")
    return value


def day(raw: str | None, name: str, error: ErrorClass = ParameterError) -> date | None:
    """A date written YYYY-MM-DD between 1900 and 2999; None when blank."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw) if len(raw) == 10 and raw.isascii() else None
    except ValueError:
        value = None
    if value is None:
        raise error(f"{name}: {_shown(raw)} is not a date; use YYYY-MM-DD, e.g. 2026-01-31.")
    if not FIRST_DAY <= value <= LAST_DAY:
        raise error(f"{name}: a date from {FIRST_DAY} to {LAST_DAY}, not {_shown(raw)}.")
    return value


def moment(
    raw: str | None, name: str, zone: tzinfo, error: ErrorClass = ParameterError
) -> datetime | None:
    """An ISO 8601 date and time (the zone's when none is written) between 1900 and 2999."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw) if raw.isascii() and len(raw) <= 40 else None
    except ValueError:
        value = None
    if value is None:
        raise error(f"{name}: a date and time like 2026-01-31T08:00:00-06:00, not {_shown(raw)}.")
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        raise error(f"{name}: a date from {FIRST_DAY} to {LAST_DAY}, not {_shown(raw)}.")
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def choice(
    raw: str | None,
    name: str,
    allowed: tuple[str, ...] | frozenset[str],
    error: ErrorClass = ParameterError,
) -> str | None:
    """One of the allowed words; None when blank."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if raw not in allowed:
        raise error(f"{name}: one of {', '.join(sorted(allowed))}, not {_shown(raw)}.")
    return raw
