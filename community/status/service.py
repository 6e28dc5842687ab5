"""A case's public status: what a resident may read about their report, and nothing more.

Shown: the category, the neighbourhood, the status, the owning agency and a timeline of state
changes, assignments and the public notes of agencies' actions. Never shown: staff-only
notes, reasons staff gave, who on staff did what, other residents' words or numbers; the
resident's own words only to the browser that sent them (and always as text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _

from community.casenumber import normalize_case_number
from community.extensions import db
from community.models import Action, Area, Concern, Event, Hotspot, HotspotStatus
from community.places.city import current_city
from community.redaction import public_text
from community.status.labels import action_label, concern_status_label, hotspot_status_label

MAX_MERGE_HOPS = 5
SHOWN_CONCERN_STATUSES = {"needs_location", "resolved", "closed", "duplicate", "not_actionable"}


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the public timeline (text already in the reader's language)."""

    at: datetime
    text: str
    note: str | None = None  # an agency's public note: plain text, escaped when shown


@dataclass(frozen=True)
class CaseStatus:
    case_number: str
    category: str
    neighborhood: str | None
    status: str
    agency: str | None
    reported_at: datetime
    own_text: str | None
    timeline: list[TimelineEntry] = field(default_factory=list)


def find_case(text: str) -> str | None:
    """The case number a resident typed, normalised ("mke 7k3q" -> "MKE-7K3Q"), or None."""
    return normalize_case_number(text, current_city().case_prefix)


def case_status(case_number: str, language: str, mine: bool) -> CaseStatus | None:
    """The public view of one case; None when there is no such case."""
    concern = db.session.scalar(db.select(Concern).filter_by(case_number=case_number))
    if concern is None:
        return None
    hotspot = _current_hotspot(concern.hotspot)
    lead = hotspot.lead if hotspot is not None else None
    if hotspot is not None and concern.status in ("open", "new"):
        status = hotspot_status_label(hotspot.status)
    else:
        status = concern_status_label(concern.status)
    return CaseStatus(
        case_number=concern.case_number,
        category=concern.category.name(language),
        neighborhood=_area_name(concern.neighborhood),
        status=status,
        agency=lead.agency.name if lead is not None else None,
        reported_at=concern.reported_at,
        own_text=concern.text if mine else None,
        timeline=sorted(_concern_entries(concern) + _hotspot_entries(hotspot), key=lambda e: e.at),
    )


def _current_hotspot(hotspot: Hotspot | None) -> Hotspot | None:
    """The hotspot a concern's problem lives in now (following merges)."""
    for _hop in range(MAX_MERGE_HOPS):
        if hotspot is None or hotspot.status != HotspotStatus.DUPLICATE:
            break
        if hotspot.merged_into_id is None:
            break
        hotspot = db.session.get(Hotspot, hotspot.merged_into_id)
    return hotspot


def _area_name(area: Area | None) -> str | None:
    return area.name.title() if area is not None else None


def _concern_entries(concern: Concern) -> list[TimelineEntry]:
    entries = []
    events = db.session.scalars(
        db.select(Event).filter_by(concern_id=concern.id).order_by(Event.created_at, Event.id)
    )
    for event in events:
        kind = str(event.kind)
        if kind == "created":
            entries.append(TimelineEntry(event.created_at, _("Report received")))
        elif kind == "located":
            entries.append(TimelineEntry(event.created_at, _("Placed on the map")))
        elif kind == "clustered":
            entries.append(
                TimelineEntry(
                    event.created_at, _("Joined a problem other neighbours reported here")
                )
            )
        elif kind == "status_changed" and event.to_status in SHOWN_CONCERN_STATUSES:
            entries.append(TimelineEntry(event.created_at, concern_status_label(event.to_status)))
    return entries


def _hotspot_entries(hotspot: Hotspot | None) -> list[TimelineEntry]:
    if hotspot is None:
        return []
    entries = []
    events = db.session.scalars(
        db.select(Event).filter_by(hotspot_id=hotspot.id, concern_id=None).order_by(Event.id)
    )
    for event in events:
        kind = str(event.kind)
        data = event.data or {}
        if kind == "status_changed" and event.to_status:
            entries.append(TimelineEntry(event.created_at, hotspot_status_label(event.to_status)))
        elif kind in ("assigned", "handed_off") and data.get("agency"):
            if data.get("role") == "lead":
                text = _("Lead agency: %(agency)s", agency=data["agency"])
            else:
                text = _("Partner agency: %(agency)s", agency=data["agency"])
            entries.append(TimelineEntry(event.created_at, text))
    actions = db.session.scalars(
        db.select(Action).where(Action.hotspot_id == hotspot.id, Action.public_note.is_not(None))
    )
    for action in actions:
        if not (action.public_note or "").strip():
            continue
        text = f"{action.agency.name}: {action_label(action.kind)}"
        # Agencies write these for the public, but a house number or a phone number typed
        # into one must not be published: the same redaction as Open311 and the reports.
        note = public_text(action.public_note, language=str(get_locale() or "en"))
        entries.append(TimelineEntry(action.occurred_at, text, note=note))
    return entries
