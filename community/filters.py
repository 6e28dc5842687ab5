"""Jinja filters for staff pages: phone numbers masked in resident text, times in the city's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from community.redaction import redact_contacts

DEFAULT_FORMAT = "%Y-%m-%d %H:%M"


def redact_phones(value: object) -> str:
    """Resident text with phone numbers and e-mail addresses masked ("[phone]", "[email]").

    Returns plain text, so Jinja escapes it: resident text is never trusted HTML.
    """
    if value is None:
        return ""
    return redact_contacts(str(value))


def city_zone() -> ZoneInfo:
    """CITY_TIMEZONE if set, else the time zone in the city package's manifest."""
    name = current_app.config.get("CITY_TIMEZONE")
    if not name:
        from community.places.city import current_city

        name = current_city().timezone
    return _zone(name)


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def city_midnight(day: date) -> datetime:
    """The start of a calendar day in the city (as UTC): where date filters begin and end."""
    return datetime.combine(day, time.min, tzinfo=city_zone()).astimezone(UTC)


def local(value: datetime | None, fmt: str = DEFAULT_FORMAT) -> str:
    """An aware UTC datetime shown in the city's time zone ("" for None; naive taken as UTC)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(city_zone()).strftime(fmt)


def init_app(app: Flask) -> None:
    app.add_template_filter(redact_phones, "redact_phones")
    app.add_template_filter(local, "local")
