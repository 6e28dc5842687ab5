"""The metrics page's numbers: facts read from the database, then community.metrics.compute.

Status timing comes from the append-only Event history (when a hotspot left the active
statuses); assignments give who led when; actions give what was done. Staff notes are never
read here. Newer fields (a due date on an assignment or hotspot) are read when they exist.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from community.evaluation.service import evaluate_since_cached
from community.evaluation.summary import EvaluationSummary, summarise
from community.extensions import db
from community.metrics import compute
from community.metrics.compute import (
    ActionFacts,
    ConcernPoint,
    HotspotFacts,
    LeadFacts,
    RepeatLocation,
    Row,
)
from community.models import (
    Action,
    Agency,
    Area,
    Assignment,
    AssignmentRole,
    Category,
    Concern,
    Event,
    EventKind,
    Hotspot,
    HotspotStatus,
    utcnow,
)

ACTIVE = {
    HotspotStatus.NEW,
    HotspotStatus.TRIAGED,
    HotspotStatus.ASSIGNED,
    HotspotStatus.IN_PROGRESS,
}
TREND_WEEKS = 12


@dataclass
class Metrics:
    """Everything the metrics pages show, for the `days` before `now`."""

    now: datetime
    since: datetime
    days: int
    categories: list[Row]
    agencies: list[Row]
    backlog_total: int
    overdue_total: int
    trend_moments: list[datetime]
    trend_total: list[int]
    mix: dict[str, Counter]
    kinds_total: Counter
    outcomes: Counter
    resolutions: dict[str, Counter]
    concerns_total: int
    resolved_total: int
    per_neighborhood: list[tuple[str, int]]
    per_police_district: list[tuple[str, int]]
    repeats: list[RepeatLocation] = field(default_factory=list)
    repeat_rule: tuple[int, int] = (3, 30)
    # Did it work: responses in the period evaluated before and after (community.evaluation).
    evaluations: EvaluationSummary | None = None


def _done_times() -> dict[int, datetime | None]:
    """When each hotspot last left the active statuses (None if it came back)."""
    done: dict[int, datetime | None] = {}
    rows = db.session.execute(
        sa.select(Event.hotspot_id, Event.to_status, Event.created_at)
        .where(Event.kind == EventKind.STATUS_CHANGED, Event.hotspot_id.is_not(None))
        .order_by(Event.created_at, Event.id)
    )
    for hotspot_id, to_status, created_at in rows:
        if to_status in ACTIVE:
            done[hotspot_id] = None
        elif done.get(hotspot_id) is None:
            done[hotspot_id] = created_at
    return done


def resolution_outcomes(since: datetime) -> dict[str, Counter]:
    """How hotspots resolved since `since` ended, by the lead agency recorded at resolution."""
    rows = db.session.execute(
        sa.select(Event.data).where(
            Event.kind == EventKind.STATUS_CHANGED,
            Event.to_status == HotspotStatus.RESOLVED,
            Event.created_at >= since,
        )
    )
    found: dict[str, Counter] = {}
    for (data,) in rows:
        if data and data.get("outcome"):
            found.setdefault(data.get("lead") or "—", Counter())[data["outcome"]] += 1
    return found


def load_hotspots() -> list[HotspotFacts]:
    done = _done_times()
    categories = {c.id: c for c in db.session.scalars(sa.select(Category))}
    facts = []
    for hotspot in db.session.scalars(sa.select(Hotspot)):
        category = categories.get(hotspot.category_id)
        level_days = getattr(category, "service_level_days", None)
        left = None
        if hotspot.status not in ACTIVE:
            # No status event (data from before the history): fall back to its own stamps.
            left = done.get(hotspot.id) or hotspot.resolved_at or hotspot.updated_at
        facts.append(
            HotspotFacts(
                id=hotspot.id,
                category=category.code if category is not None else "other",
                created_at=hotspot.created_at,
                first_reported_at=hotspot.first_reported_at,
                resolved_at=hotspot.resolved_at,
                done_at=left,
                due_at=getattr(hotspot, "due_at", None),
                service_level=timedelta(days=level_days) if level_days else None,
            )
        )
    return facts


def load_leads() -> list[LeadFacts]:
    rows = db.session.execute(
        sa.select(Assignment, Agency.name)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(Assignment.role == AssignmentRole.LEAD)
    )
    return [
        LeadFacts(
            hotspot_id=assignment.hotspot_id,
            agency=name,
            start=assignment.created_at,
            end=assignment.ended_at,
            due_at=getattr(assignment, "due_at", None),
        )
        for assignment, name in rows
    ]


def load_actions() -> list[ActionFacts]:
    rows = db.session.execute(
        sa.select(
            Action.hotspot_id, Agency.name, Action.kind, Action.outcome, Action.occurred_at
        ).join(Agency, Agency.id == Action.agency_id)
    )
    return [
        ActionFacts(hotspot_id=h, agency=a, kind=str(k), outcome=o and str(o), occurred_at=t)
        for h, a, k, o, t in rows
    ]


def load_points(since: datetime, agency_id: int | None = None) -> list[ConcernPoint]:
    """Located concerns since `since`; with agency_id only those of hotspots the agency is on
    now (agency staff may see those places and no others)."""
    query = sa.select(Concern.location_label, Concern.lat, Concern.lon, Concern.reported_at).where(
        Concern.reported_at >= since, Concern.lat.is_not(None)
    )
    if agency_id is not None:
        theirs = sa.select(Assignment.hotspot_id).where(
            Assignment.agency_id == agency_id, Assignment.ended_at.is_(None)
        )
        query = query.where(Concern.hotspot_id.in_(theirs))
    return [ConcernPoint(*row) for row in db.session.execute(query)]


def concerns_per_area(column: sa.Column, since: datetime) -> list[tuple[str, int]]:
    """Concerns reported since `since` per area, most first."""
    rows = db.session.execute(
        sa.select(Area.name, sa.func.count(Concern.id))
        .join(Area, Area.id == column)
        .where(Concern.reported_at >= since)
        .group_by(Area.name)
        .order_by(sa.func.count(Concern.id).desc(), Area.name)
    )
    return [(name, count) for name, count in rows]


def _rows(
    names: dict[str, str],
    first: dict[str, compute.Spread],
    resolution: dict[str, compute.Spread],
    backlog: Counter,
    overdue: Counter,
    trend: dict[str, list[int]],
) -> list[Row]:
    keys = set(first) | set(resolution) | set(backlog) | set(overdue)
    empty = compute.Spread(0, None, None)
    rows = [
        Row(
            name=names.get(key, key),
            first_action=first.get(key, empty),
            resolution=resolution.get(key, empty),
            backlog=backlog.get(key, 0),
            overdue=overdue.get(key, 0),
            trend=trend.get(key, []),
        )
        for key in keys
    ]
    return sorted(rows, key=lambda r: (-r.backlog, -r.resolution.count, r.name))


def build_metrics(
    days: int = 90, now: datetime | None = None, places_of_agency: int | None = None
) -> Metrics:
    """The numbers for the `days` before `now` (backlogs and trends as of now); with
    places_of_agency, the repeat addresses only of that agency's hotspots."""
    now = now or utcnow()
    since = now - timedelta(days=days)
    hotspots, leads, actions = load_hotspots(), load_leads(), load_actions()
    # The workflow's default service level where it has one (issue 7), else 30 days.
    default_due = timedelta(days=int(current_app.config.get("SERVICE_LEVEL_DEFAULT_DAYS", 30)))
    moments = compute.week_ends(now, TREND_WEEKS)
    category_names = dict(db.session.execute(sa.select(Category.code, Category.name_en)).all())

    def table(key, first, resolution, names) -> list[Row]:
        return _rows(
            names,
            first,
            resolution,
            compute.backlog(hotspots, leads, now, key),
            compute.overdue(hotspots, leads, now, default_due, key),
            compute.backlog_trend(hotspots, leads, moments, key),
        )

    repeat_count = int(current_app.config.get("CLUSTER_REPEAT_COUNT", 3))
    repeat_days = int(current_app.config.get("CLUSTER_REPEAT_DAYS", 30))
    mix = compute.outcome_mix(actions, since)
    total = compute.backlog_trend(hotspots, leads, moments, compute.everything).get("all")
    return Metrics(
        now=now,
        since=since,
        days=days,
        categories=table(
            compute.by_category,
            compute.first_action_by_category(hotspots, actions, since),
            compute.resolution_by_category(hotspots, since),
            category_names,
        ),
        agencies=table(
            compute.by_agency,
            compute.first_action_by_agency(leads, actions, since),
            compute.resolution_by_agency(hotspots, leads, since),
            {},
        ),
        backlog_total=sum(compute.backlog(hotspots, leads, now, compute.everything).values()),
        overdue_total=sum(
            compute.overdue(hotspots, leads, now, default_due, compute.everything).values()
        ),
        trend_moments=moments,
        trend_total=total or [0] * len(moments),
        mix=mix,
        kinds_total=sum(mix.values(), Counter()),
        outcomes=compute.outcomes(actions, since),
        resolutions=resolution_outcomes(since),
        concerns_total=db.session.scalar(
            sa.select(sa.func.count(Concern.id)).where(Concern.reported_at >= since)
        ),
        resolved_total=sum(1 for h in hotspots if h.resolved_at and h.resolved_at >= since),
        per_neighborhood=concerns_per_area(Concern.neighborhood_id, since),
        per_police_district=concerns_per_area(Concern.police_district_id, since),
        repeats=compute.repeat_locations(
            load_points(since, places_of_agency), repeat_count, repeat_days
        ),
        repeat_rule=(repeat_count, repeat_days),
        evaluations=summarise(evaluate_since_cached(since, now), category_names),
    )
