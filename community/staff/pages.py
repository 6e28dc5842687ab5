"""What staff pages show: the hotspot page's data and the agency work queue, read-only.

The hotspot page reads its concerns and its history a page at a time (SQL LIMIT/OFFSET): its
queries and the rows it loads do not grow with the hotspot (benchmarks/hotspot_page.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from community.extensions import db
from community.models import Agency, Assignment, Concern, Event, EventKind, Hotspot, User, utcnow
from community.staff.paging import Paged, page_count, page_number
from community.workflow import sla
from community.workflow.states import HOTSPOT_ACTIVE

CONCERNS_PER_PAGE = 25
HISTORY_PER_PAGE = 30


def active_agencies() -> list[Agency]:
    return db.session.scalars(db.select(Agency).filter_by(active=True).order_by(Agency.name)).all()


def concern_page(
    hotspot: Hotspot, raw_page: str | None, *, with_residents: bool, size: int = CONCERNS_PER_PAGE
) -> Paged:
    """One page of the hotspot's concerns, newest first; a page past the end is the last.

    with_residents: load each concern's resident in the same query (for those who see the
    masked phone number); otherwise the page never reads them.
    """
    total = db.session.scalar(
        db.select(sa.func.count()).select_from(Concern).where(Concern.hotspot_id == hotspot.id)
    )
    number = page_number(raw_page, page_count(total, size))
    query = (
        db.select(Concern)
        .where(Concern.hotspot_id == hotspot.id)
        .order_by(Concern.reported_at.desc(), Concern.id.desc())
        .limit(size)
        .offset((number - 1) * size)
    )
    if with_residents:
        query = query.options(joinedload(Concern.resident))
    return Paged(db.session.scalars(query).all(), number, size, total)


def latest_concerns(hotspot: Hotspot, count: int) -> list[Concern]:
    """The hotspot's newest concerns (one small query, whichever page of the list is shown)."""
    return list(
        db.session.scalars(
            db.select(Concern)
            .where(Concern.hotspot_id == hotspot.id)
            .order_by(Concern.reported_at.desc(), Concern.id.desc())
            .limit(count)
        )
    )


@dataclass(frozen=True)
class HistoryLine:
    """One line of a hotspot's history: an event, or a run of concerns joining it.

    event: the event itself; None for a run of two or more consecutive "clustered" events
    (the re-cluster writes one per concern), shown as one line with their count and times.
    The events stay in the table as they are: only the display is compact.
    """

    event: Event | None
    count: int
    first_at: datetime
    last_at: datetime
    actor: str


def history_page(hotspot: Hotspot, raw_page: str | None, size: int = HISTORY_PER_PAGE) -> Paged:
    """One page of the hotspot's history, newest first, runs of concerns joining as one line.

    Lines are made in SQL (window functions: SQLite 3.25+, PostgreSQL): consecutive system
    "clustered" events share an island number (their position among all events minus their
    position among clustered events), every other event is a line of its own. Then the page's
    lines are counted and cut with LIMIT/OFFSET, and only the events shown are loaded.
    """
    lines = _history_lines(hotspot.id)
    total = db.session.scalar(db.select(sa.func.count()).select_from(lines.subquery()))
    number = page_number(raw_page, page_count(total, size))
    rows = db.session.execute(
        lines.order_by(sa.desc("last_seq")).limit(size).offset((number - 1) * size)
    ).all()
    single = [r.event_id for r in rows if r.count == 1 or not r.batched]
    events = (
        {e.id: e for e in db.session.scalars(db.select(Event).where(Event.id.in_(single)))}
        if single
        else {}
    )
    items = [
        HistoryLine(events.get(r.event_id), r.count, r.first_at, r.last_at, r.actor) for r in rows
    ]
    return Paged(items, number, size, total)


def _history_lines(hotspot_id: int) -> sa.Select:
    """The hotspot's history lines (unordered): one per event, one per run of joins."""
    batched = sa.case(
        (sa.and_(Event.kind == EventKind.CLUSTERED, Event.actor == "system"), 1), else_=0
    )
    order = (Event.created_at, Event.id)
    seq = sa.func.row_number().over(order_by=order)
    ordered = (
        db.select(
            Event.id,
            Event.created_at,
            Event.actor,
            batched.label("batched"),
            seq.label("seq"),
            (seq - sa.func.row_number().over(partition_by=batched, order_by=order)).label("island"),
        )
        .where(Event.hotspot_id == hotspot_id)
        .subquery()
    )
    c = ordered.c
    line = sa.case((c.batched == 1, c.island), else_=c.seq)
    return db.select(
        sa.func.min(c.id).label("event_id"),
        sa.func.count().label("count"),
        sa.func.min(c.created_at).label("first_at"),
        sa.func.max(c.created_at).label("last_at"),
        sa.func.max(c.seq).label("last_seq"),
        sa.func.max(c.batched).label("batched"),
        sa.func.min(c.actor).label("actor"),
    ).group_by(c.batched, line)


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
