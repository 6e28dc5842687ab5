"""Rows of concerns and hotspots for a filter, read in batches: a staff and a public variant.

Only plain columns are selected (no ORM objects, no relationships), and the database hands
them over EXPORT_BATCH_SIZE at a time (a server-side cursor on PostgreSQL), so an export of a
million rows holds one batch in memory. Staff rows keep exact places; public rows are
anonymised: the point rounded to about a block, the address generalised to its block, the
resident's words with contact details and house numbers removed, dates without times.
Never exported: phone numbers, residents, staff notes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from flask import current_app

from community.exports.filters import ExportFilter
from community.exports.streams import feature
from community.extensions import db
from community.filters import city_zone
from community.models import (
    Agency,
    Area,
    AreaKind,
    Assignment,
    AssignmentRole,
    Category,
    Concern,
    Hotspot,
)
from community.open311.serialize import block_address, public_status, rounded
from community.redaction import public_text, redact_contacts

AREA_COLUMN = {
    AreaKind.NEIGHBORHOOD: Concern.neighborhood_id,
    AreaKind.ALDERMANIC_DISTRICT: Concern.aldermanic_district_id,
    AreaKind.WARD: Concern.ward_id,
    AreaKind.POLICE_DISTRICT: Concern.police_district_id,
}

STAFF_CONCERN_COLUMNS = (
    "case_number",
    "reported_at",
    "category",
    "status",
    "source",
    "location",
    "location_kind",
    "lat",
    "lon",
    "neighborhood",
    "police_district",
    "aldermanic_district",
    "ward",
    "hotspot_id",
    "text",
)
PUBLIC_CONCERN_COLUMNS = (
    "case_number",
    "reported_date",
    "category",
    "status",
    "block",
    "lat",
    "lon",
    "neighborhood",
    "police_district",
    "aldermanic_district",
    "hotspot_id",
    "description",
)
STAFF_HOTSPOT_COLUMNS = (
    "hotspot_id",
    "label",
    "category",
    "status",
    "priority",
    "concerns",
    "first_reported_at",
    "last_reported_at",
    "resolved_at",
    "lead_agency",
    "neighborhood",
    "lat",
    "lon",
)
PUBLIC_HOTSPOT_COLUMNS = (
    "hotspot_id",
    "label",
    "category",
    "status",
    "concerns",
    "first_reported_date",
    "last_reported_date",
    "resolved_date",
    "lead_agency",
    "neighborhood",
    "lat",
    "lon",
)


def _batch() -> int:
    return int(current_app.config.get("EXPORT_BATCH_SIZE", 1000))


def _local(value: datetime | None, zone: tzinfo) -> str:
    """A time in the city's zone, W3C style (2026-01-05T06:00:00-06:00)."""
    return "" if value is None else value.astimezone(zone).isoformat(timespec="seconds")


def _day(value: datetime | None, zone: tzinfo) -> str:
    """The day in the city's zone (public exports carry no times)."""
    return "" if value is None else value.astimezone(zone).date().isoformat()


def _names(model: type, column: sa.Column) -> dict[int, str]:
    return dict(db.session.execute(sa.select(model.id, column)).all())


def _lead_join() -> sa.sql.expression.ColumnElement:
    return sa.and_(
        Assignment.hotspot_id == Hotspot.id,
        Assignment.role == AssignmentRole.LEAD,
        Assignment.ended_at.is_(None),
    )


def _agency_hotspots(agency_id: int) -> sa.sql.Select:
    return sa.select(Assignment.hotspot_id).where(
        Assignment.agency_id == agency_id, Assignment.ended_at.is_(None)
    )


def _concern_query(flt: ExportFilter) -> sa.sql.Select:
    query = sa.select(
        Concern.id,
        Concern.case_number,
        Concern.reported_at,
        Concern.category_id,
        Concern.status,
        Concern.source,
        Concern.location_label,
        Concern.location_kind,
        Concern.lat,
        Concern.lon,
        Concern.neighborhood_id,
        Concern.police_district_id,
        Concern.aldermanic_district_id,
        Concern.ward_id,
        Concern.hotspot_id,
        Concern.text,
        Concern.language,
    )
    if flt.area is not None:
        query = query.where(AREA_COLUMN[AreaKind(flt.area.kind)] == flt.area.id)
    if flt.start is not None:
        query = query.where(Concern.reported_at >= flt.start)
    if flt.end is not None:
        query = query.where(Concern.reported_at < flt.end)
    if flt.category_id is not None:
        query = query.where(Concern.category_id == flt.category_id)
    statuses = flt.concern_statuses()
    if statuses:
        query = query.where(Concern.status.in_(statuses))
    if flt.agency_id is not None:
        query = query.where(Concern.hotspot_id.in_(_agency_hotspots(flt.agency_id)))
    return query.order_by(Concern.id)


def _rows(query: sa.sql.Select) -> Iterator[sa.Row]:
    """The query's rows, fetched a batch at a time (server-side where the database can)."""
    result = db.session.execute(query.execution_options(yield_per=_batch()))
    yield from result


def concern_rows(flt: ExportFilter, public: bool = False) -> Iterator[dict[str, Any]]:
    """One dict per concern matching the filter, staff or public columns."""
    areas = _names(Area, Area.name)
    categories = _names(Category, Category.code)
    zone = city_zone()  # once per export: finding it is not free
    for row in _rows(_concern_query(flt)):
        common = {
            "case_number": row.case_number,
            "category": categories.get(row.category_id, ""),
            "neighborhood": areas.get(row.neighborhood_id, ""),
            "police_district": areas.get(row.police_district_id, ""),
            "aldermanic_district": areas.get(row.aldermanic_district_id, ""),
            "hotspot_id": row.hotspot_id,
        }
        if public:
            yield {
                **common,
                "reported_date": _day(row.reported_at, zone),
                "status": public_status(row.status),
                "block": block_address(row.location_label) or "",
                "lat": rounded(row.lat),
                "lon": rounded(row.lon),
                "description": public_text(row.text, language=row.language),
            }
        else:
            yield {
                **common,
                "reported_at": _local(row.reported_at, zone),
                "status": str(row.status),
                "source": str(row.source),
                "location": row.location_label or "",
                "location_kind": str(row.location_kind),
                "lat": row.lat,
                "lon": row.lon,
                "ward": areas.get(row.ward_id, ""),
                # Staff see exact places, but a phone number or e-mail never leaves in a file.
                "text": redact_contacts(row.text or ""),
            }


def _hotspot_query(flt: ExportFilter) -> sa.sql.Select:
    query = (
        sa.select(
            Hotspot.id,
            Hotspot.label,
            Hotspot.category_id,
            Hotspot.status,
            Hotspot.priority,
            Hotspot.concern_count,
            Hotspot.first_reported_at,
            Hotspot.last_reported_at,
            Hotspot.resolved_at,
            Hotspot.neighborhood_id,
            Hotspot.centroid_lat,
            Hotspot.centroid_lon,
            Agency.name.label("lead_agency"),
        )
        .outerjoin(Assignment, _lead_join())
        .outerjoin(Agency, Agency.id == Assignment.agency_id)
    )
    if flt.area is not None:
        inside = sa.select(Concern.hotspot_id).where(
            AREA_COLUMN[AreaKind(flt.area.kind)] == flt.area.id
        )
        query = query.where(Hotspot.id.in_(inside))
    if flt.start is not None:
        query = query.where(Hotspot.last_reported_at >= flt.start)
    if flt.end is not None:
        query = query.where(Hotspot.first_reported_at < flt.end)
    if flt.category_id is not None:
        query = query.where(Hotspot.category_id == flt.category_id)
    statuses = flt.hotspot_statuses()
    if statuses:
        query = query.where(Hotspot.status.in_(statuses))
    if flt.agency_id is not None:
        query = query.where(Hotspot.id.in_(_agency_hotspots(flt.agency_id)))
    return query.order_by(Hotspot.id)


def hotspot_rows(flt: ExportFilter, public: bool = False) -> Iterator[dict[str, Any]]:
    """One dict per hotspot matching the filter, staff or public columns."""
    areas = _names(Area, Area.name)
    categories = _names(Category, Category.code)
    zone = city_zone()  # once per export: finding it is not free
    for row in _rows(_hotspot_query(flt)):
        common = {
            "hotspot_id": row.id,
            "category": categories.get(row.category_id, ""),
            "concerns": row.concern_count,
            "lead_agency": row.lead_agency or "",
            "neighborhood": areas.get(row.neighborhood_id, ""),
        }
        if public:
            yield {
                **common,
                "label": public_text(row.label),
                "status": str(row.status),
                "first_reported_date": _day(row.first_reported_at, zone),
                "last_reported_date": _day(row.last_reported_at, zone),
                "resolved_date": _day(row.resolved_at, zone),
                "lat": rounded(row.centroid_lat),
                "lon": rounded(row.centroid_lon),
            }
        else:
            yield {
                **common,
                "label": row.label,
                "status": str(row.status),
                "priority": round(row.priority or 0.0, 2),
                "first_reported_at": _local(row.first_reported_at, zone),
                "last_reported_at": _local(row.last_reported_at, zone),
                "resolved_at": _local(row.resolved_at, zone),
                "lat": row.centroid_lat,
                "lon": row.centroid_lon,
            }


def columns(kind: str, public: bool) -> tuple[str, ...]:
    """The columns of an export, in order."""
    if kind == "concerns":
        return PUBLIC_CONCERN_COLUMNS if public else STAFF_CONCERN_COLUMNS
    return PUBLIC_HOTSPOT_COLUMNS if public else STAFF_HOTSPOT_COLUMNS


def records(kind: str, flt: ExportFilter, public: bool) -> Iterator[dict[str, Any]]:
    """The rows of an export of concerns or hotspots."""
    return concern_rows(flt, public) if kind == "concerns" else hotspot_rows(flt, public)


def as_tuples(kind: str, rows: Iterator[dict[str, Any]], public: bool) -> Iterator[list[Any]]:
    """Rows as CSV cells, in column order (None as an empty cell)."""
    names = columns(kind, public)
    for row in rows:
        yield ["" if row[name] is None else row[name] for name in names]


def as_features(kind: str, rows: Iterator[dict[str, Any]], public: bool) -> Iterator[dict]:
    """Rows as GeoJSON features (the point out of the properties)."""
    names = [n for n in columns(kind, public) if n not in ("lat", "lon")]
    key = "case_number" if kind == "concerns" else "hotspot_id"
    for row in rows:
        yield feature(row[key], row["lon"], row["lat"], {n: row[n] for n in names})
