"""A concern as a GeoReport v2 service request: public fields only, nothing personal.

What leaves: the case number, category, open/closed with a public note, the lead agency, times
in the city's zone, the resident's words with contact details masked and house numbers
generalised to the block, the location label generalised the same way, and the point rounded
to three decimals (about 110 m north-south, 80 m east-west in Milwaukee) so that it names a
block, not a house. Never: phone numbers, names, e-mails, staff notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.orm import selectinload

from community.extensions import db
from community.filters import city_zone
from community.models import (
    Action,
    Assignment,
    Concern,
    ConcernSource,
    ConcernStatus,
    Event,
    EventKind,
    Hotspot,
)
from community.redaction import public_text

COORDINATE_DECIMALS = 3
OPEN_STATUSES = frozenset({ConcernStatus.NEW, ConcernStatus.NEEDS_LOCATION, ConcernStatus.OPEN})
MEDIA_KEY = "open311_media_url"

STATUS_SENTENCES = {
    ConcernStatus.NEW: "Received; it is being placed on the map.",
    ConcernStatus.NEEDS_LOCATION: "Received; staff are working out where this is.",
    ConcernStatus.OPEN: "Open; waiting to be grouped with nearby reports and assigned.",
    ConcernStatus.RESOLVED: "Resolved.",
    ConcernStatus.CLOSED: "Closed.",
    ConcernStatus.DUPLICATE: "Closed: the same report was received twice.",
    ConcernStatus.NOT_ACTIONABLE: "Closed: not something an agency can act on.",
}


def public_status(status: ConcernStatus) -> str:
    """The specification's two statuses: open or closed."""
    return "open" if status in OPEN_STATUSES else "closed"


def w3c(value: datetime | None, zone: tzinfo | None = None) -> str | None:
    """A W3C datetime with the city's UTC offset, e.g. 2026-11-28T17:47:25-06:00."""
    if value is None:
        return None
    return value.astimezone(zone or city_zone()).isoformat(timespec="seconds")


def rounded(value: float | None) -> float | None:
    """A coordinate generalised to about a block."""
    return None if value is None else round(value, COORDINATE_DECIMALS)


def block_address(label: str | None) -> str | None:
    """The location label with a house number generalised to its block."""
    return public_text(label) or None


def _latest_public_notes(hotspot_ids: set[int]) -> dict[int, str]:
    notes: dict[int, str] = {}
    if not hotspot_ids:
        return notes
    rows = db.session.execute(
        db.select(Action.hotspot_id, Action.public_note)
        .where(Action.hotspot_id.in_(hotspot_ids), Action.public_note.is_not(None))
        .where(Action.public_note != "")
        .order_by(Action.occurred_at, Action.id)
    )
    for hotspot_id, note in rows:
        notes[hotspot_id] = note  # the latest wins
    return notes


def _media_urls(concern_ids: list[int]) -> dict[int, str]:
    if not concern_ids:
        return {}
    rows = db.session.execute(
        db.select(Event.concern_id, Event.data).where(
            Event.concern_id.in_(concern_ids), Event.kind == EventKind.NOTE
        )
    )
    return {cid: data[MEDIA_KEY] for cid, data in rows if data and data.get(MEDIA_KEY)}


def _status_notes(concern: Concern, notes: dict[int, str]) -> str:
    hotspot: Hotspot | None = concern.hotspot
    if hotspot is not None and hotspot.id in notes:
        return public_text(notes[hotspot.id])
    if concern.status == ConcernStatus.OPEN and hotspot is not None:
        lead = hotspot.lead
        if lead is not None:
            return f"Open; {lead.agency.name} leads the response to this and nearby reports."
        return "Open; grouped with nearby reports, waiting for an agency to take the lead."
    return STATUS_SENTENCES[concern.status]


def _updated(concern: Concern) -> datetime:
    hotspot = concern.hotspot
    if hotspot is not None and hotspot.updated_at and hotspot.updated_at > concern.updated_at:
        return hotspot.updated_at
    return concern.updated_at


def load_options() -> list:
    """Eager loads that keep a page of requests to a handful of queries."""
    return [
        selectinload(Concern.category),
        selectinload(Concern.hotspot)
        .selectinload(Hotspot.assignments)
        .selectinload(Assignment.agency),
    ]


def as_requests(concerns: Sequence[Concern]) -> list[dict[str, Any]]:
    """Service requests for concerns (loaded with load_options())."""
    notes = _latest_public_notes({c.hotspot_id for c in concerns if c.hotspot_id})
    media = _media_urls([c.id for c in concerns if c.source == ConcernSource.OPEN311])
    zone = city_zone()
    return [as_request(c, notes, media, zone) for c in concerns]


def as_request(
    concern: Concern, notes: dict[int, str], media: dict[int, str], zone: tzinfo | None = None
) -> dict[str, Any]:
    """One concern in the GeoReport v2 request shape."""
    hotspot = concern.hotspot
    lead = hotspot.lead if hotspot is not None else None
    return {
        "service_request_id": concern.case_number,
        "status": public_status(concern.status),
        "status_notes": _status_notes(concern, notes),
        "service_name": concern.category.name_en,
        "service_code": concern.category.code,
        "description": public_text(concern.text, language=concern.language),
        "agency_responsible": lead.agency.name if lead is not None else None,
        "service_notice": None,
        "requested_datetime": w3c(concern.reported_at, zone),
        "updated_datetime": w3c(_updated(concern), zone),
        # A service level's due date, where assignments carry one.
        "expected_datetime": w3c(getattr(lead, "due_at", None), zone) if lead else None,
        "address": block_address(concern.location_label),
        "address_id": None,
        "zipcode": None,
        "lat": rounded(concern.lat),
        "long": rounded(concern.lon),
        "media_url": media.get(concern.id),
    }
