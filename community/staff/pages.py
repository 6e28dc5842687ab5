"""What staff pages show: the hotspot page's data and the agency work queue, read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from community.extensions import db
from community.models import Agency, Assignment, Event, Hotspot, User, utcnow
from community.workflow import sla
from community.workflow.states import HOTSPOT_ACTIVE


def active_agencies() -> list[Agency]:
    return db.session.scalars(db.select(Agency).filter_by(active=True).order_by(Agency.name)).all()


def timeline(hotspot: Hotspot) -> list[Event]:
    return db.session.scalars(
        db.select(Event).filter_by(hotspot_id=hotspot.id).order_by(Event.created_at, Event.id)
    ).all()


@dataclass
class QueueRow:
    assignment: Assignment
    hotspot: Hotspot
    overdue: bool

    @property
    def key(self) -> str:
        return f"{self.hotspot.id}:{self.hotspot.version}"


def work_queue(agency: Agency, now: datetime | None = None) -> list[QueueRow]:
    """The agency's open assignments: overdue first, then by due date, then priority."""
    now = now or utcnow()
    assignments = db.session.scalars(
        db.select(Assignment)
        .join(Hotspot, Assignment.hotspot_id == Hotspot.id)
        .where(
            Assignment.agency_id == agency.id,
            Assignment.ended_at.is_(None),
            Hotspot.status.in_(HOTSPOT_ACTIVE),
        )
    ).all()
    rows = [QueueRow(a, a.hotspot, sla.is_overdue(a, now)) for a in assignments]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    rows.sort(
        key=lambda r: (
            not r.overdue,
            r.assignment.due_at or far,
            -r.hotspot.priority,
            r.hotspot.id,
        )
    )
    return rows


def queue_agency(user: User, agency_id: str | None) -> Agency | None:
    """Whose queue a user sees: agency staff their own; others any agency they pick."""
    if user.agency_id is not None and (user.role == "agency_staff" or not agency_id):
        return user.agency
    if agency_id and agency_id.isascii() and agency_id.isdigit() and len(agency_id) <= 9:
        return db.session.get(Agency, int(agency_id))
    return None
