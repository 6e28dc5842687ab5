"""Service levels: when a hotspot's response is due, and which assignments are overdue.

Each category may set `service_level_days`; otherwise SERVICE_LEVEL_DEFAULT_DAYS applies. The
clock starts when an agency is assigned; staff may set another due date within bounds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app

from community.models import Assignment, Category, utcnow
from community.workflow.states import HOTSPOT_OWNED

# A due date must be a real plan: not in the past, not years away.
MAX_DUE_DAYS = 366


def service_level_days(category: Category | None) -> int:
    """Days an agency has to respond to a hotspot of this category."""
    if category is not None and category.service_level_days:
        return category.service_level_days
    return int(current_app.config["SERVICE_LEVEL_DEFAULT_DAYS"])


def due_for(category: Category | None, start: datetime | None = None) -> datetime:
    """The due time for a response starting now (or at start)."""
    return (start or utcnow()) + timedelta(days=service_level_days(category))


def due_date_problem(value: date, today: date | None = None) -> str | None:
    """Why a due date typed by staff is refused, or None when it is acceptable."""
    today = today or utcnow().date()
    latest = today + timedelta(days=MAX_DUE_DAYS)
    if value < today or value > latest:
        return f"Pick a due date between {today.isoformat()} and {latest.isoformat()}."
    return None


def end_of_day(value: date) -> datetime:
    """A due date as a time: the end of that day (UTC), so "due today" is not yet overdue."""
    return datetime.combine(value, time(23, 59, 59), tzinfo=UTC)


def is_overdue(assignment: Assignment, now: datetime | None = None) -> bool:
    """An active assignment on a hotspot being worked, past its due time."""
    return (
        assignment.active
        and assignment.due_at is not None
        and assignment.hotspot.status in HOTSPOT_OWNED
        and assignment.due_at < (now or utcnow())
    )
