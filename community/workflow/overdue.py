"""Overdue flags: the periodic check that records when an agency's response passes its due date.

`sla.is_overdue` answers on every page; this writes it down once per assignment (an
`overdue` event in the hotspot's history, `Assignment.overdue_at`), so the history, metrics
and whoever reads the events learn it when it happens, not when someone next looks.
"""

from __future__ import annotations

from community.extensions import db
from community.models import Assignment, EventKind, Hotspot, utcnow
from community.workflow import history
from community.workflow.states import HOTSPOT_OWNED


def flag_overdue() -> int:
    """Record every newly overdue active assignment once; returns how many were flagged."""
    now = utcnow()
    late = db.session.scalars(
        db.select(Assignment)
        .join(Hotspot, Hotspot.id == Assignment.hotspot_id)
        .where(
            Assignment.ended_at.is_(None),
            Assignment.overdue_at.is_(None),
            Assignment.due_at < now,
            Hotspot.status.in_(list(HOTSPOT_OWNED)),
        )
        .with_for_update(of=Assignment, skip_locked=True)  # two schedulers: one flags each
    ).all()
    for assignment in late:
        assignment.overdue_at = now
        history.record(
            EventKind.OVERDUE,
            "system",
            hotspot_id=assignment.hotspot_id,
            reason=f"{assignment.agency.name}: response was due {assignment.due_at:%Y-%m-%d}",
            data={"agency_id": assignment.agency_id, "role": str(assignment.role)},
        )
    db.session.commit()
    return len(late)
