"""Pure computations over plain facts (no database, no Flask): the numbers on /metrics.

Clocks, stated once so that the numbers mean one thing:
- per category the clock starts at the hotspot's first report (what residents wait);
- per agency it starts when the agency became the lead (what the agency controls);
- time to first action ends at the first action logged (by anyone for a category, by that
  agency for an agency, at or after it became the lead); time to resolution ends when the
  hotspot was resolved, and counts for the agency that was the lead at that moment.
Percentiles interpolate linearly between ranks (numpy's default; p50 of [1, 2, 6] is 2,
p90 is 5.2).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

HOUR = 3600.0


@dataclass(frozen=True)
class HotspotFacts:
    id: int
    category: str
    created_at: datetime
    first_reported_at: datetime | None
    resolved_at: datetime | None
    done_at: datetime | None  # when it left the active statuses (None: still active)
    due_at: datetime | None = None
    service_level: timedelta | None = None  # the category's own, when it sets one

    @property
    def start(self) -> datetime:
        return self.first_reported_at or self.created_at

    def active_at(self, moment: datetime) -> bool:
        return self.created_at <= moment and (self.done_at is None or self.done_at > moment)


@dataclass(frozen=True)
class LeadFacts:
    hotspot_id: int
    agency: str
    start: datetime
    end: datetime | None
    due_at: datetime | None = None

    def active_at(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or self.end > moment)


@dataclass(frozen=True)
class ActionFacts:
    hotspot_id: int
    agency: str
    kind: str
    outcome: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class ConcernPoint:
    label: str | None
    lat: float | None
    lon: float | None
    reported_at: datetime


@dataclass(frozen=True)
class Spread:
    """How long something took: count, median and 90th percentile, in hours."""

    count: int
    median_h: float | None
    p90_h: float | None


@dataclass
class Row:
    """One agency's or category's line on the metrics page."""

    name: str
    first_action: Spread
    resolution: Spread
    backlog: int = 0
    overdue: int = 0
    trend: list[int] = field(default_factory=list)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0..1) by linear interpolation between closest ranks; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def spread(durations: Iterable[timedelta]) -> Spread:
    hours = [max(d.total_seconds(), 0.0) / HOUR for d in durations]
    return Spread(len(hours), percentile(hours, 0.5), percentile(hours, 0.9))


def _in(moment: datetime | None, since: datetime | None) -> bool:
    return moment is not None and (since is None or moment >= since)


def first_action_by_category(
    hotspots: Sequence[HotspotFacts], actions: Sequence[ActionFacts], since: datetime | None = None
) -> dict[str, Spread]:
    """From first report to the first action on the hotspot, for first actions since `since`."""
    first: dict[int, datetime] = {}
    for action in actions:
        if action.hotspot_id not in first or action.occurred_at < first[action.hotspot_id]:
            first[action.hotspot_id] = action.occurred_at
    durations: dict[str, list[timedelta]] = defaultdict(list)
    for hotspot in hotspots:
        acted = first.get(hotspot.id)
        if _in(acted, since):
            durations[hotspot.category].append(acted - hotspot.start)
    return {name: spread(values) for name, values in durations.items()}


def resolution_by_category(
    hotspots: Sequence[HotspotFacts], since: datetime | None = None
) -> dict[str, Spread]:
    """From first report to resolution, for hotspots resolved since `since`."""
    durations: dict[str, list[timedelta]] = defaultdict(list)
    for hotspot in hotspots:
        if _in(hotspot.resolved_at, since):
            durations[hotspot.category].append(hotspot.resolved_at - hotspot.start)
    return {name: spread(values) for name, values in durations.items()}


def first_action_by_agency(
    leads: Sequence[LeadFacts], actions: Sequence[ActionFacts], since: datetime | None = None
) -> dict[str, Spread]:
    """From becoming the lead to that agency's first action on the hotspot."""
    by_key: dict[tuple[int, str], list[datetime]] = defaultdict(list)
    for action in actions:
        by_key[action.hotspot_id, action.agency].append(action.occurred_at)
    durations: dict[str, list[timedelta]] = defaultdict(list)
    for lead in leads:
        after = [t for t in by_key.get((lead.hotspot_id, lead.agency), []) if t >= lead.start]
        if after and _in(min(after), since):
            durations[lead.agency].append(min(after) - lead.start)
    return {name: spread(values) for name, values in durations.items()}


def resolution_by_agency(
    hotspots: Sequence[HotspotFacts], leads: Sequence[LeadFacts], since: datetime | None = None
) -> dict[str, Spread]:
    """From becoming the lead to resolution, for the lead at the moment of resolution."""
    resolved = {h.id: h.resolved_at for h in hotspots if _in(h.resolved_at, since)}
    durations: dict[str, list[timedelta]] = defaultdict(list)
    for lead in leads:
        moment = resolved.get(lead.hotspot_id)
        if moment is not None and lead.start <= moment and (lead.end is None or lead.end >= moment):
            durations[lead.agency].append(moment - lead.start)
    return {name: spread(values) for name, values in durations.items()}


def lead_at(leads: Sequence[LeadFacts], moment: datetime) -> dict[int, LeadFacts]:
    """The lead of each hotspot at a moment."""
    return {lead.hotspot_id: lead for lead in leads if lead.active_at(moment)}


def backlog(
    hotspots: Sequence[HotspotFacts],
    leads: Sequence[LeadFacts],
    moment: datetime,
    key: Callable[[HotspotFacts, LeadFacts | None], str | None],
) -> Counter:
    """Active hotspots at a moment, counted by key(hotspot, lead) (None keys skipped)."""
    owners = lead_at(leads, moment)
    counts: Counter = Counter()
    for hotspot in hotspots:
        if hotspot.active_at(moment):
            name = key(hotspot, owners.get(hotspot.id))
            if name is not None:
                counts[name] += 1
    return counts


def week_ends(now: datetime, weeks: int) -> list[datetime]:
    """The ends of the last `weeks` weeks, oldest first, the last one being now."""
    return [now - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def backlog_trend(
    hotspots: Sequence[HotspotFacts],
    leads: Sequence[LeadFacts],
    moments: Sequence[datetime],
    key: Callable[[HotspotFacts, LeadFacts | None], str | None],
) -> dict[str, list[int]]:
    """Backlog by key at each moment (a list per key, aligned with moments)."""
    trend: dict[str, list[int]] = defaultdict(lambda: [0] * len(moments))
    for i, moment in enumerate(moments):
        for name, count in backlog(hotspots, leads, moment, key).items():
            trend[name][i] = count
    return dict(trend)


def due(hotspot: HotspotFacts, lead: LeadFacts | None, default: timedelta) -> datetime:
    """When a response is due: the lead's due date where recorded, else the service level
    (the category's, else the default) from the lead's start, or from the first report while
    nobody leads."""
    if lead is not None and lead.due_at is not None:
        return lead.due_at
    if hotspot.due_at is not None:
        return hotspot.due_at
    level = hotspot.service_level or default
    return (lead.start if lead is not None else hotspot.start) + level


def overdue(
    hotspots: Sequence[HotspotFacts],
    leads: Sequence[LeadFacts],
    now: datetime,
    default: timedelta,
    key: Callable[[HotspotFacts, LeadFacts | None], str | None],
) -> Counter:
    """Active hotspots past their due date, counted by key."""
    owners = lead_at(leads, now)
    counts: Counter = Counter()
    for hotspot in hotspots:
        lead = owners.get(hotspot.id)
        if hotspot.active_at(now) and due(hotspot, lead, default) < now:
            name = key(hotspot, lead)
            if name is not None:
                counts[name] += 1
    return counts


def by_category(hotspot: HotspotFacts, lead: LeadFacts | None) -> str:
    return hotspot.category


def by_agency(hotspot: HotspotFacts, lead: LeadFacts | None) -> str | None:
    return lead.agency if lead is not None else None


def everything(hotspot: HotspotFacts, lead: LeadFacts | None) -> str:
    return "all"


def outcome_mix(
    actions: Sequence[ActionFacts], since: datetime | None = None
) -> dict[str, Counter]:
    """Actions since `since` by agency and kind (arrest, citation, diversion referral ...)."""
    mix: dict[str, Counter] = defaultdict(Counter)
    for action in actions:
        if _in(action.occurred_at, since):
            mix[action.agency][action.kind] += 1
    return dict(mix)


def outcomes(actions: Sequence[ActionFacts], since: datetime | None = None) -> Counter:
    """Recorded outcomes of actions since `since` (actions without one are not counted)."""
    return Counter(a.outcome for a in actions if a.outcome and _in(a.occurred_at, since))


@dataclass(frozen=True)
class RepeatLocation:
    label: str
    reports: int  # in the period
    most_in_window: int  # most reports within any window of the given days
    first: datetime
    last: datetime


def location_key(point: ConcernPoint) -> str | None:
    """Same place: the same label (case and spaces ignored), else the same ~100 m cell."""
    if point.label and point.label.strip():
        return " ".join(point.label.lower().split())
    if point.lat is not None and point.lon is not None:
        return f"{point.lat:.3f},{point.lon:.3f}"
    return None


def repeat_locations(
    points: Iterable[ConcernPoint], min_reports: int, days: int
) -> list[RepeatLocation]:
    """Places reported at least min_reports times within `days` days, most reported first."""
    groups: dict[str, list[ConcernPoint]] = defaultdict(list)
    for point in points:
        key = location_key(point)
        if key is not None:
            groups[key].append(point)
    window = timedelta(days=days)
    found = []
    for group in groups.values():
        if len(group) < min_reports:
            continue
        times = sorted(p.reported_at for p in group)
        most, left = 0, 0
        for right, moment in enumerate(times):
            while moment - times[left] > window:
                left += 1
            most = max(most, right - left + 1)
        if most >= min_reports:
            label = group[0].label or f"{group[0].lat:.3f}, {group[0].lon:.3f}"
            found.append(RepeatLocation(label, len(times), most, times[0], times[-1]))
    return sorted(found, key=lambda r: (-r.most_in_window, -r.reports, r.label))
