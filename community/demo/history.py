"""Dating the demo's agency work: what the workflow records now is stamped with when it
happened in the story (assigned days after the reports began, acted on days later, resolved
weeks after), so that time to first action and before-and-after evaluations have a past.

Only rows the workflow has just added and not yet written are stamped: the append-only
history is never changed, it is written with the right time in the first place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa

from community.demo.scenario import PlannedResponse
from community.extensions import db
from community.models import Action, Assignment, Concern, Event, utcnow

ASSIGN_AFTER_DAYS = (2.0, 10.0)  # from the place's first report to its lead agency
ACT_AFTER_DAYS = (0.5, 12.0)  # from the assignment to the first action
LEAD_TIME_DAYS = (1.0, 6.0)  # a planned response: assigned this long before acting
RESOLVE_AFTER_DAYS = (14.0, 30.0)  # from the first action to the resolution
LATEST = timedelta(hours=2)  # nothing is stamped later than this before now


@contextmanager
def happened_at(moment: datetime) -> Iterator[None]:
    """Run workflow calls as if at `moment`: their new events, assignments and actions get
    that time (due dates move with them), then are written."""
    real = utcnow()
    with db.session.no_autoflush:
        yield
        for row in list(db.session.new):
            if isinstance(row, Event | Action):
                row.created_at = moment
            elif isinstance(row, Assignment):
                row.created_at = moment
                if row.due_at is not None:
                    row.due_at = row.due_at - (real - moment)
    db.session.flush()


def planned_hotspots(
    ids: list[int], reports: list, planned: list[PlannedResponse]
) -> dict[int, PlannedResponse]:
    """hotspot id -> its planned response: the hotspot most of the place's reports joined."""
    if not planned:
        return {}
    wanted = {p.place: p for p in planned}
    by_concern = {
        concern_id: report.place
        for concern_id, report in zip(ids, reports, strict=True)
        if report.place in wanted
    }
    votes: dict[int, Counter] = {}
    rows = db.session.execute(
        sa.select(Concern.id, Concern.hotspot_id).where(
            Concern.id.in_(list(by_concern)), Concern.hotspot_id.is_not(None)
        )
    )
    for concern_id, hotspot_id in rows:
        votes.setdefault(by_concern[concern_id], Counter())[hotspot_id] += 1
    found: dict[int, PlannedResponse] = {}
    for place, counter in votes.items():
        hotspot_id = counter.most_common(1)[0][0]
        found.setdefault(hotspot_id, wanted[place])
    return found


class Timeline:
    """When each step of a hotspot's response happened, drawn for a seed."""

    def __init__(self, seed: int, now: datetime | None = None) -> None:
        self.rng = np.random.default_rng([seed, 23])
        self.now = now or utcnow()

    def _days(self, bounds: tuple[float, float]) -> timedelta:
        return timedelta(days=float(self.rng.uniform(*bounds)))

    def _cap(self, moment: datetime) -> datetime:
        return min(moment, self.now - LATEST)

    def assigned(self, first_report: datetime | None, plan: PlannedResponse | None) -> datetime:
        """When the lead agency took it on."""
        if plan is not None:
            acted = self.now - timedelta(days=plan.age_days)
            return self._cap(acted - self._days(LEAD_TIME_DAYS))
        start = first_report or self.now - timedelta(days=30)
        return self._cap(start + self._days(ASSIGN_AFTER_DAYS))

    def acted(self, assigned: datetime, plan: PlannedResponse | None) -> datetime:
        """When the first action happened (a planned response: exactly when planned)."""
        if plan is not None:
            return self._cap(self.now - timedelta(days=plan.age_days))
        return self._cap(assigned + self._days(ACT_AFTER_DAYS))

    def resolved(self, acted: datetime) -> datetime:
        """When the problem was resolved."""
        return self._cap(acted + self._days(RESOLVE_AFTER_DAYS))
