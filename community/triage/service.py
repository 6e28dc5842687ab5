"""The triage map's queries: hotspots, concerns, heat and repeat addresses for the filters.

Everything is aggregated or cut to the viewport here, on the server: at city scale the map
gets a few hundred grid cells, never a hundred thousand markers. Text from residents leaves
as data (phone numbers masked); the browser puts it into the page as text, never as HTML.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for

from community.extensions import db
from community.filters import city_zone, redact_phones
from community.models import (
    AreaKind,
    Assignment,
    Category,
    Concern,
    GeocodeStatus,
    Hotspot,
    RepeatLocation,
)
from community.models.hotspot import trend
from community.triage.filters import ACTIVE, Bbox, FilterError, TriageFilters
from community.workflow.states import CONCERN_MAPPED

OUTLINE_ZOOM = 14  # from this zoom, hotspots come as outlines; below it, as centres
POINTS_ZOOM = 15  # from this zoom, concerns in the viewport come one by one
MAX_POINTS = 4000  # more than this in the viewport: grid cells again
CELL_PX = 48  # grid cell size on screen at any zoom
TEXT_CHARS = 280  # resident text in a popup is cut here (the hotspot page has all of it)
RANKED = 25
HOTSPOT_PAD = 0.25  # hotspots whose centre is just outside the viewport still show their edge
MAX_HOTSPOTS = 5000

AREA_COLUMN = {
    AreaKind.NEIGHBORHOOD: Concern.neighborhood_id,
    AreaKind.ALDERMANIC_DISTRICT: Concern.aldermanic_district_id,
    AreaKind.WARD: Concern.ward_id,
    AreaKind.POLICE_DISTRICT: Concern.police_district_id,
}
AREA_KINDS = tuple(AREA_COLUMN)


@dataclass(frozen=True)
class RankedHotspot:
    """One line of the ranked list beside the map."""

    id: int
    label: str
    status: str
    priority: float
    reasons: str
    trend: str
    concern_count: int
    lat: float
    lon: float
    lead: str | None


def _area_column(filters: TriageFilters) -> sa.ColumnElement:
    column = AREA_COLUMN.get(filters.area.kind)
    if column is None:
        raise FilterError(
            "area: choose a neighborhood, aldermanic district, ward or police district."
        )
    return column


def hotspot_conditions(filters: TriageFilters) -> list[sa.ColumnElement[bool]]:
    """Where-clauses on Hotspot for every filter."""
    conditions = [
        Hotspot.status.in_([str(s) for s in filters.statuses]),
        sa.or_(Hotspot.last_reported_at.is_(None), Hotspot.last_reported_at >= filters.since_dt),
        sa.or_(Hotspot.first_reported_at.is_(None), Hotspot.first_reported_at < filters.until_dt),
    ]
    if filters.category_ids:
        # The main category, or any category among its concerns (category_counts is JSON
        # {code: n} written by the re-cluster, so a quoted code followed by ':' is a member).
        conditions.append(
            sa.or_(
                Hotspot.category_id.in_(filters.category_ids),
                *[Hotspot.category_counts.like(f'%"{code}":%') for code in filters.category_codes],
            )
        )
    if filters.agency_id is not None:
        conditions.append(
            Hotspot.assignments.any(
                sa.and_(Assignment.agency_id == filters.agency_id, Assignment.ended_at.is_(None))
            )
        )
    if filters.area is not None:
        members = sa.select(Concern.hotspot_id).where(_area_column(filters) == filters.area.id)
        conditions.append(Hotspot.id.in_(members))
    if filters.min_priority is not None:
        conditions.append(Hotspot.priority >= filters.min_priority)
    return conditions


def ranked_hotspots(filters: TriageFilters, limit: int = RANKED) -> list[RankedHotspot]:
    """The top hotspots for the filters, highest priority first."""
    hotspots = db.session.scalars(
        sa.select(Hotspot)
        .where(*hotspot_conditions(filters))
        .order_by(Hotspot.priority.desc(), Hotspot.id)
        .limit(limit)
    ).all()
    return [
        RankedHotspot(
            id=h.id,
            label=h.label,
            status=str(h.status),
            priority=h.priority,
            reasons=h.priority_reasons or "",
            trend=h.trend,
            concern_count=h.concern_count,
            lat=h.centroid_lat,
            lon=h.centroid_lon,
            lead=h.lead.agency.name if h.lead else None,
        )
        for h in hotspots
    ]


def hotspot_features(
    filters: TriageFilters, bbox: Bbox | None, zoom: int | None = None
) -> dict[str, Any]:
    """Hotspots as GeoJSON: outlines from OUTLINE_ZOOM (or with no zoom), else their centres.

    Below OUTLINE_ZOOM an outline of a block or two is smaller than its marker, so only the
    centre is sent: the city-wide view costs a point per hotspot, not a polygon.
    """
    outlines = zoom is None or zoom >= OUTLINE_ZOOM
    query = sa.select(
        Hotspot.id,
        Hotspot.label,
        Hotspot.status,
        Hotspot.priority,
        Hotspot.priority_reasons,
        Hotspot.concern_count,
        Hotspot.recent_count,
        Hotspot.previous_count,
        Hotspot.centroid_lat,
        Hotspot.centroid_lon,
        Hotspot.outline,
    ).where(*hotspot_conditions(filters))
    if bbox is not None:
        box = bbox.padded(HOTSPOT_PAD)
        query = query.where(
            Hotspot.centroid_lat.between(box.south, box.north),
            Hotspot.centroid_lon.between(box.west, box.east),
        )
    rows = db.session.execute(
        query.order_by(Hotspot.priority.desc(), Hotspot.id).limit(MAX_HOTSPOTS)
    ).all()
    page = url_for("staff.hotspot", hotspot_id=0).rsplit("/", 1)[0]
    features = [_hotspot_feature(row, page, outlines) for row in rows]
    return _collection(features, count=len(features), truncated=len(rows) == MAX_HOTSPOTS)


def _hotspot_feature(row: sa.Row, page: str, outlines: bool) -> dict[str, Any]:
    geometry = (outlines and _outline(row.outline)) or {
        "type": "Point",
        "coordinates": [round(row.centroid_lon, 6), round(row.centroid_lat, 6)],
    }
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "id": row.id,
            "label": row.label,
            "status": str(row.status),
            "priority": row.priority,
            "reasons": row.priority_reasons or "",
            "concerns": row.concern_count,
            "trend": trend(row.recent_count or 0, row.previous_count or 0),
            "center": [round(row.centroid_lat, 6), round(row.centroid_lon, 6)],
            "url": f"{page}/{row.id}",
        },
    }


def _outline(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        geometry = json.loads(text)
    except ValueError:
        return None
    return geometry if isinstance(geometry, dict) and "coordinates" in geometry else None


def concern_conditions(filters: TriageFilters) -> list[sa.ColumnElement[bool]]:
    """Where-clauses on Concern: located, shown statuses, date range, category, area.

    The hotspot filters (status, agency, priority) narrow the concerns to those hotspots only
    when one is set to something other than its default.
    """
    conditions = [
        Concern.geocode_status == GeocodeStatus.LOCATED,
        Concern.status.in_(CONCERN_MAPPED),
        Concern.reported_at >= filters.since_dt,
        Concern.reported_at < filters.until_dt,
    ]
    if filters.category_ids:
        conditions.append(Concern.category_id.in_(filters.category_ids))
    if filters.area is not None:
        conditions.append(_area_column(filters) == filters.area.id)
    if (
        filters.status_param != ACTIVE
        or filters.agency_id is not None
        or filters.min_priority is not None
    ):
        hotspots = sa.select(Hotspot.id).where(*hotspot_conditions(filters))
        conditions.append(Concern.hotspot_id.in_(hotspots))
    return conditions


def _in_bbox(bbox: Bbox | None) -> list[sa.ColumnElement[bool]]:
    if bbox is None:
        return []
    return [Concern.lat.between(bbox.south, bbox.north), Concern.lon.between(bbox.west, bbox.east)]


def concern_layer(filters: TriageFilters, bbox: Bbox | None, zoom: int) -> dict[str, Any]:
    """Concerns for the viewport: one by one when zoomed in and few enough, else grid cells."""
    where = concern_conditions(filters) + _in_bbox(bbox)
    if zoom >= POINTS_ZOOM and bbox is not None:
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Concern).where(*where))
        if count <= MAX_POINTS:
            return _concern_points(where)
    return _concern_grid(where, zoom)


def _concern_points(where: list) -> dict[str, Any]:
    rows = db.session.execute(
        sa.select(
            Concern.id,
            Concern.case_number,
            Concern.text,
            Concern.source,
            Concern.reported_at,
            Concern.lat,
            Concern.lon,
            Concern.hotspot_id,
            Concern.location_label,
            Category.name_en,
        )
        .join(Category, Category.id == Concern.category_id)
        .where(*where)
        .order_by(Concern.reported_at.desc())
    ).all()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(r.lon, 6), round(r.lat, 6)]},
            "properties": {
                "case": r.case_number,
                "text": _short(redact_phones(r.text)),
                "category": r.name_en,
                "source": str(r.source),
                "reported": city_day(r.reported_at),
                "place": r.location_label or "",
                "hotspot": r.hotspot_id,
            },
        }
        for r in rows
    ]
    return _collection(features, kind="points", count=len(features))


def _short(text: str) -> str:
    return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1].rstrip() + "…"


def cell_degrees(zoom: int) -> float:
    """The grid cell size, in degrees of longitude, that is CELL_PX pixels wide at a zoom."""
    return 360.0 / (256 * 2**zoom) * CELL_PX


def _concern_grid(where: list, zoom: int) -> dict[str, Any]:
    """Counts per grid cell, each drawn at the mean position of its concerns.

    Grouped in the database: at city scale a hundred thousand rows become a few hundred
    without crossing into Python. The cell index is a cast to integer of a positive number,
    which SQLite truncates and PostgreSQL rounds: either way a regular grid of the same size.
    """
    size = cell_degrees(zoom)
    col = sa.cast((Concern.lon + 180.0) / size, sa.Integer).label("col")
    row = sa.cast((Concern.lat + 90.0) / size, sa.Integer).label("row")
    cells = db.session.execute(
        sa.select(
            col,
            row,
            sa.func.count().label("n"),
            sa.func.avg(Concern.lon).label("lon"),
            sa.func.avg(Concern.lat).label("lat"),
        )
        .where(*where)
        .group_by(col, row)
    ).all()
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(float(c.lon), 5), round(float(c.lat), 5)],
            },
            "properties": {"count": int(c.n)},
        }
        for c in cells
    ]
    return _collection(features, kind="grid", count=sum(c.n for c in cells), cell_deg=size)


_HEAT_CACHE: dict[tuple, dict[str, Any]] = {}
_HEAT_LOCK = threading.Lock()
HEAT_CACHE_SIZE = 8


def heat_layer(filters: TriageFilters) -> dict[str, Any]:
    """The Gi* heat cells for the date range and categories (area and hotspot filters aside).

    Gi* over a city's worth of concerns takes seconds, so a result is kept (per process)
    until a concern is added or changed: the key holds the concerns' count and latest change.
    """
    version = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(Concern.updated_at)).select_from(Concern)
    ).one()
    key = (filters.since, filters.until, filters.category_ids, *version)
    cached = _HEAT_CACHE.get(key)
    if cached is not None:
        return cached
    from community.hotspots.heat import heat_geojson  # Gi* and pandas: only for the heat layer

    heat = heat_geojson(
        filters.since_dt, filters.until_dt, category_ids=list(filters.category_ids) or None
    )
    # With too few cells Gi* has no variance and gives NaN, which JSON cannot carry: null.
    for props in [heat["properties"]] + [f["properties"] for f in heat["features"]]:
        for name, value in props.items():
            if isinstance(value, float) and not math.isfinite(value):
                props[name] = None
    with _HEAT_LOCK:
        while len(_HEAT_CACHE) >= HEAT_CACHE_SIZE:
            _HEAT_CACHE.pop(next(iter(_HEAT_CACHE)))
        _HEAT_CACHE[key] = heat
    return heat


def repeat_features(filters: TriageFilters, bbox: Bbox | None) -> dict[str, Any]:
    """Addresses reported again and again, for the date range, category and area."""
    query = sa.select(RepeatLocation).where(
        RepeatLocation.last_reported_at >= filters.since_dt,
        RepeatLocation.first_reported_at < filters.until_dt,
    )
    if filters.category_ids:
        query = query.where(RepeatLocation.category_id.in_(filters.category_ids))
    if filters.area is not None and filters.area.kind == AreaKind.NEIGHBORHOOD:
        query = query.where(RepeatLocation.neighborhood_id == filters.area.id)
    elif filters.area is not None:
        area = filters.area
        query = query.where(
            RepeatLocation.lat.between(area.min_lat, area.max_lat),
            RepeatLocation.lon.between(area.min_lon, area.max_lon),
        )
    if bbox is not None:
        query = query.where(
            RepeatLocation.lat.between(bbox.south, bbox.north),
            RepeatLocation.lon.between(bbox.west, bbox.east),
        )
    rows = db.session.scalars(query.order_by(RepeatLocation.concern_count.desc()).limit(2000))
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(r.lon, 6), round(r.lat, 6)]},
            "properties": {
                "label": r.label,
                "concerns": r.concern_count,
                "first": city_day(r.first_reported_at),
                "last": city_day(r.last_reported_at),
                "hotspot": r.hotspot_id,
            },
        }
        for r in rows
    ]
    return _collection(features, count=len(features))


def city_day(moment: datetime) -> str:
    """The date in the city when something happened (a report at 23:30 is that day's)."""
    return moment.astimezone(city_zone()).date().isoformat()


def hotspot_map(hotspot: Hotspot, limit: int = 2000) -> dict[str, Any]:
    """One hotspot's outline and its located concerns, for the small map on its page."""
    rows = db.session.execute(
        sa.select(Concern.case_number, Concern.text, Concern.reported_at, Concern.lat, Concern.lon)
        .where(Concern.hotspot_id == hotspot.id, Concern.lat.is_not(None))
        .order_by(Concern.reported_at.desc())
        .limit(limit)
    ).all()
    concerns = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(r.lon, 6), round(r.lat, 6)]},
            "properties": {
                "case": r.case_number,
                "text": _short(redact_phones(r.text)),
                "reported": city_day(r.reported_at),
            },
        }
        for r in rows
    ]
    outline = _outline(hotspot.outline)
    return {
        "label": hotspot.label,
        "status": str(hotspot.status),
        "center": [hotspot.centroid_lat, hotspot.centroid_lon],
        "outline": outline,
        "concerns": _collection(concerns, count=len(concerns)),
    }


def _collection(features: list, **properties: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features, "properties": properties}
