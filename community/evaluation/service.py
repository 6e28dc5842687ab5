"""Evaluations read from the database: the responses, then the reports around them in bulk.

A handful of queries whatever the number of responses: first actions (one window-function
query), resolutions (one), the hotspots' places (one), the located reports of the period
(one), the data's first report (one). Counting is community.evaluation.counting's.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from community.evaluation import counting
from community.evaluation.counting import (
    FIRST_ACTION,
    RESOLUTION,
    Counter,
    Evaluation,
    Reports,
    Response,
    Settings,
)
from community.evaluation.windows import Window, window
from community.extensions import db
from community.geo.distance import degree_box
from community.models import (
    Action,
    Agency,
    Assignment,
    Category,
    Concern,
    ConcernStatus,
    Event,
    EventKind,
    Hotspot,
    HotspotStatus,
    utcnow,
)

NOT_COUNTED = (ConcernStatus.DUPLICATE, ConcernStatus.NOT_ACTIONABLE)


def settings() -> Settings:
    """The EVALUATION_* settings, else the defaults."""
    config, default = current_app.config, Settings()
    return Settings(
        weeks=float(config.get("EVALUATION_WEEKS", default.weeks)),
        ring_inner_m=float(config.get("EVALUATION_RING_INNER_M", default.ring_inner_m)),
        ring_outer_m=float(config.get("EVALUATION_RING_OUTER_M", default.ring_outer_m)),
        min_reports=int(config.get("EVALUATION_MIN_REPORTS", default.min_reports)),
        min_days=float(config.get("EVALUATION_MIN_DAYS", default.min_days)),
    )


def _places(hotspot_ids: set[int]) -> dict[int, sa.Row]:
    """Centre, outline, family and main category of each hotspot (not duplicates)."""
    if not hotspot_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Hotspot.id,
            Hotspot.centroid_lat,
            Hotspot.centroid_lon,
            Hotspot.outline,
            Hotspot.family,
            Category.code,
        )
        .outerjoin(Category, Category.id == Hotspot.category_id)
        .where(Hotspot.id.in_(hotspot_ids), Hotspot.status != HotspotStatus.DUPLICATE)
    )
    return {row.id: row for row in rows}


def _first_actions(since: datetime | None, hotspot_id: int | None) -> list[sa.Row]:
    """Each hotspot's first logged action (its time, agency and kind)."""
    order = sa.func.row_number().over(
        partition_by=Action.hotspot_id, order_by=(Action.occurred_at, Action.id)
    )
    ranked = sa.select(
        Action.hotspot_id, Action.occurred_at, Action.kind, Agency.name, order.label("n")
    ).join(Agency, Agency.id == Action.agency_id)
    if hotspot_id is not None:
        ranked = ranked.where(Action.hotspot_id == hotspot_id)
    ranked = ranked.subquery()
    query = sa.select(ranked).where(ranked.c.n == 1)
    if since is not None:
        query = query.where(ranked.c.occurred_at >= since)
    return list(db.session.execute(query))


def _resolutions(since: datetime | None, hotspot_id: int | None) -> list[sa.Row]:
    """Resolved hotspots: when (the latest resolution), the lead then, and the outcome."""
    query = sa.select(Hotspot.id, Hotspot.resolved_at).where(Hotspot.resolved_at.is_not(None))
    if hotspot_id is not None:
        query = query.where(Hotspot.id == hotspot_id)
    if since is not None:
        query = query.where(Hotspot.resolved_at >= since)
    resolved = {row.id: row.resolved_at for row in db.session.execute(query)}
    if not resolved:
        return []
    events = db.session.execute(
        sa.select(Event.hotspot_id, Event.data)
        .where(
            Event.kind == EventKind.STATUS_CHANGED,
            Event.to_status == HotspotStatus.RESOLVED,
            Event.hotspot_id.in_(resolved),
        )
        .order_by(Event.created_at, Event.id)
    )
    told = {hotspot: data or {} for hotspot, data in events}  # the latest wins
    return [
        (hotspot, at, told.get(hotspot, {}).get("lead"), told.get(hotspot, {}).get("outcome"))
        for hotspot, at in resolved.items()
    ]


def responses(since: datetime | None = None, hotspot_id: int | None = None) -> list[Response]:
    """Every first action and every resolution (since `since`), oldest first."""
    firsts = _first_actions(since, hotspot_id)
    ends = _resolutions(since, hotspot_id)
    places = _places({row.hotspot_id for row in firsts} | {row[0] for row in ends})

    def make(hotspot: int, kind: str, at: datetime, agency: str | None, how: str | None):
        place = places[hotspot]
        return Response(
            hotspot_id=hotspot,
            response=kind,
            at=at,
            agency=agency or "—",
            kind=str(how or "other"),
            category=place.code or "other",
            family=place.family,
            lat=place.centroid_lat,
            lon=place.centroid_lon,
            outline=place.outline,
        )

    found = [
        make(r.hotspot_id, FIRST_ACTION, r.occurred_at, r.name, r.kind)
        for r in firsts
        if r.hotspot_id in places
    ]
    found += [make(h, RESOLUTION, at, lead, how) for h, at, lead, how in ends if h in places]
    return sorted(found, key=lambda r: (r.at, r.hotspot_id, r.response))


def _reports_query() -> sa.Select:
    """Counted located reports with their family (for the city's counts by window)."""
    return (
        sa.select(Concern.reported_at, Concern.lat, Concern.lon, Category.family)
        .join(Category, Category.id == Concern.category_id)
        .where(Concern.lat.is_not(None), Concern.status.not_in(NOT_COUNTED))
    )


def earliest_report() -> datetime | None:
    """The first located report: windows never reach back before the data begins."""
    return db.session.scalar(
        sa.select(sa.func.min(Concern.reported_at)).where(Concern.lat.is_not(None))
    )


def _epoch(column: sa.ColumnElement) -> sa.ColumnElement:
    """Seconds since 1970 computed by the database: 100,000 rows come back as plain numbers,
    not datetimes built one by one."""
    if db.engine.dialect.name == "postgresql":
        return sa.extract("epoch", column)
    return (sa.func.julianday(column) - 2440587.5) * 86400.0  # SQLite stores UTC text


def _points_query() -> sa.Select:
    return sa.select(
        _epoch(Concern.reported_at), Concern.lat, Concern.lon, Concern.category_id
    ).where(Concern.lat.is_not(None), Concern.status.not_in(NOT_COUNTED))


def _points(query: sa.Select) -> Reports:
    families = dict(db.session.execute(sa.select(Category.id, Category.family)).all())
    # The Core connection: plain rows, without the ORM's result machinery (a third faster).
    return Reports.from_columns(db.session.connection().execute(query).all(), families)


def load_reports(start: datetime, end: datetime) -> Reports:
    """Every counted located report between start and end, in one query."""
    return _points(_points_query().where(Concern.reported_at >= start, Concern.reported_at < end))


def evaluate_since(
    since: datetime | None = None, now: datetime | None = None, chosen: Settings | None = None
) -> list[Evaluation]:
    """Every response since `since` (all when None) old enough to evaluate."""
    now = now or utcnow()
    chosen = chosen or settings()
    found = responses(since)
    if not found:
        return []
    start = min(r.at for r in found) - timedelta(days=chosen.weeks * 7)
    counter = Counter(load_reports(start, now))
    return counting.evaluate_all(counter, found, now, chosen, earliest_report())


CACHE_MINUTES = 10  # the metrics page's evaluations are as of the last ten-minute mark
CACHE_SIZE = 8
_CACHE: dict[tuple, list[Evaluation]] = {}
_CACHE_LOCK = threading.Lock()


def evaluate_since_cached(since: datetime | None, now: datetime) -> list[Evaluation]:
    """evaluate_since as of the last ten-minute mark, kept (per process) until the data change.

    Evaluating a city's responses takes a second or two; the metrics page asks for the same
    figures on every view, and they only move when reports, actions or hotspots change.
    """
    now_mark, since_mark = _mark(now), (None if since is None else _mark(since))
    key = (since_mark, now_mark, settings(), _data_version())
    with _CACHE_LOCK:
        found = _CACHE.get(key)
    if found is None:
        found = evaluate_since(since_mark, now_mark)
        with _CACHE_LOCK:
            if len(_CACHE) >= CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = found
    return found


def _mark(moment: datetime) -> datetime:
    step = CACHE_MINUTES * 60
    return datetime.fromtimestamp(moment.timestamp() // step * step, tz=UTC)


def _data_version() -> tuple:
    """Changes whenever anything an evaluation reads does (four small aggregate queries)."""
    concerns = db.session.execute(
        sa.select(sa.func.count(Concern.id), sa.func.max(Concern.updated_at))
    ).one()
    actions = db.session.execute(sa.select(sa.func.count(Action.id), sa.func.max(Action.id))).one()
    events = db.session.scalar(sa.select(sa.func.max(Event.id)))
    hotspots = db.session.scalar(sa.select(sa.func.max(Hotspot.updated_at)))
    return (*concerns, *actions, events, hotspots)


def evaluate_hotspots(hotspot_ids: set[int], since: datetime, now: datetime) -> list[Evaluation]:
    """The responses of some hotspots between since and now, evaluated as of `now` (a report
    for last month counts no report made after it)."""
    if not hotspot_ids:
        return []
    chosen = settings()
    found = [r for r in responses(since) if r.hotspot_id in hotspot_ids and r.at < now]
    if not found:
        return []
    start = min(r.at for r in found) - timedelta(days=chosen.weeks * 7)
    counter = Counter(load_reports(start, now))
    return counting.evaluate_all(counter, found, now, chosen, earliest_report())


@dataclass(frozen=True)
class HotspotEvaluation:
    """The hotspot page's panel: each evaluated response with its weekly counts."""

    evaluation: Evaluation | None
    response: Response
    before_weeks: list[int]
    after_weeks: list[int]
    too_recent: bool  # not a week old yet: nothing to say
    ring: tuple[float, float] = (0.0, 0.0)  # the ring's inner and outer edge, metres
    min_reports: int = 6  # fewer in both windows: "too few reports to tell"


def for_hotspot(hotspot: Hotspot, now: datetime | None = None) -> list[HotspotEvaluation]:
    """The hotspot's responses evaluated: only reports near it are loaded; the city's count
    of the family in each window is one grouped query."""
    now = now or utcnow()
    chosen = settings()
    found = responses(hotspot_id=hotspot.id)
    if not found:
        return []
    earliest = earliest_report()
    spans = {r.response: window(r.at, now, chosen.weeks, earliest, chosen.min_days) for r in found}
    counter = Counter(_nearby_reports(hotspot, found, spans, chosen))
    counter.city = _city_counts(hotspot.family, [s for s in spans.values() if s])
    shown = []
    ring = (chosen.ring_inner_m, chosen.ring_outer_m)
    for response in found:
        span = spans[response.response]
        if span is None:
            shown.append(HotspotEvaluation(None, response, [], [], True, ring, chosen.min_reports))
            continue
        (evaluation,) = counting.evaluate_all(counter, [response], now, chosen, earliest)
        before, after = counting.weekly(counter.place_times(response, span, chosen), span)
        shown.append(
            HotspotEvaluation(evaluation, response, before, after, False, ring, chosen.min_reports)
        )
    return shown


def _nearby_reports(
    hotspot: Hotspot, found: list[Response], spans: dict, chosen: Settings
) -> Reports:
    """Reports within the ring's outer edge of the place (a box on the lat/lon index)."""
    live = [s for s in spans.values() if s is not None]
    if not live:
        return Reports.from_columns([], {})
    reach = chosen.ring_outer_m + 200.0  # the place's own size, generously
    dlat, dlon = degree_box(hotspot.centroid_lat, reach)
    query = _points_query().where(
        Concern.lat.between(hotspot.centroid_lat - dlat, hotspot.centroid_lat + dlat),
        Concern.lon.between(hotspot.centroid_lon - dlon, hotspot.centroid_lon + dlon),
        Concern.reported_at >= min(s.start for s in live),
        Concern.reported_at < max(s.end for s in live),
    )
    return _points(query)


def _city_counts(family: str | None, spans: list[Window]):
    """The city's count of the family in each window half, in one grouped query."""
    edges = sorted({s.start for s in spans} | {s.at for s in spans} | {s.end for s in spans})
    if not edges:
        return lambda family, start, end: 0
    bucket = sa.case(
        *[(Concern.reported_at < edge, i) for i, edge in enumerate(edges[1:])], else_=-1
    )
    query = (
        _reports_query()
        .with_only_columns(bucket.label("b"), sa.func.count())
        .where(Concern.reported_at >= edges[0], Concern.reported_at < edges[-1])
        .group_by("b")
    )
    if family is not None:
        query = query.where(Category.family == family)
    per = dict(db.session.execute(query).all())

    def city(_family: str | None, start: float, end: float) -> int:
        first = next(i for i, e in enumerate(edges) if abs(e.timestamp() - start) < 1e-6)
        last = next(i for i, e in enumerate(edges) if abs(e.timestamp() - end) < 1e-6)
        return sum(per.get(i, 0) for i in range(first, last))

    return city


def hotspots_of_agency(agency_id: int | None) -> set[int]:
    """The hotspots an agency is on now (none without an agency)."""
    if agency_id is None:
        return set()
    return set(
        db.session.scalars(
            sa.select(Assignment.hotspot_id).where(
                Assignment.agency_id == agency_id, Assignment.ended_at.is_(None)
            )
        )
    )
