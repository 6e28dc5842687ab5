"""Maps to hand over: an area's, the city's or one hotspot's, as one self-contained HTML file.

A prosecutor puts it on the meeting-room projector or sends it to an alderman's office: it
opens from a file with no network and no login (community.geo.foliummap draws it). What is on
it is public detail only, read here: each hotspot's place at the block ("2400 block of N 35th
St"), category, counts, status, owners, trend, days open and last action, at a point rounded
as Open311 publishes points (about a block); concerns only as counts per block. Never
residents' words, phone numbers, staff notes or who reported.

Which hotspots: an area's are those of its meeting report for the period, numbered as the
printed report numbers them; the triage map's are those of its filters; the city's are those
reported in the period (any status but duplicate and not actionable), highest priority first.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from babel.dates import format_date
from flask import Response, current_app

from community.basemap.layers import layer_data
from community.extensions import db
from community.filters import city_zone
from community.geo.mapdoc import MapSpec, MapWords, Mark, Overlay, Tiles, content_security_policy
from community.models import Area, Category, Concern, GeocodeStatus, Hotspot, HotspotStatus, utcnow
from community.open311.serialize import rounded
from community.places.city import current_city
from community.redaction import public_text
from community.reports.areas import AreaSelection
from community.reports.i18n import gettext as _
from community.reports.i18n import ngettext, report_locale
from community.reports.labels import N_
from community.reports.service import (
    DEFAULT_DAYS,
    MAX_DAYS,
    NOT_COUNTED,
    HotspotRow,
    Period,
    hotspot_rows,
    listed_hotspots,
)
from community.triage.filters import ACTIVE, TriageFilters
from community.triage.service import concern_conditions, hotspot_conditions
from community.workflow.states import CONCERN_MAPPED, HOTSPOT_ACTIVE

MAX_HOTSPOTS = 5000  # as the triage map: more than this is not a map a person reads
HOTSPOT_FRAME_M = 300  # what a one-hotspot map shows around the place
HIDDEN = (HotspotStatus.DUPLICATE, HotspotStatus.NOT_ACTIONABLE)
LISTED_STATUSES = tuple(status for status in HotspotStatus if status not in HIDDEN)
NONE = "—"

TRENDS = {"rising": N_("rising"), "falling": N_("falling"), "steady": N_("steady")}
PRIORITY_NAMES = (
    N_("Highest priority"),
    N_("High priority"),
    N_("Medium priority"),
    N_("Lower priority"),
)
# Base layers from the city package: style, shown when the map opens (by scope), title.
BASE_STYLE = {"color": "#12355b", "weight": 2, "fillColor": "#f4f1e8", "fillOpacity": 1}
BASE_STYLE_WITH_TILES = {"color": "#12355b", "weight": 2, "fill": False}
STREET_STYLE = {"color": "#9a9a9a", "weight": 1}
AREA_LAYERS = (
    ("roads", N_("Main roads"), {"color": "#7a7a7a", "weight": 2.5, "opacity": 0.9}),
    ("neighborhood", N_("Neighborhoods"), {"color": "#6a3d9a", "weight": 1, "dashArray": "4 3"}),
    ("aldermanic_district", N_("Aldermanic districts"), {"color": "#b15928", "weight": 1.5}),
    ("police_district", N_("Police districts"), {"color": "#e31a1c", "weight": 2}),
)


class MapInputError(ValueError):
    """What was asked for cannot make a map; the message says what to fix."""


@dataclass(frozen=True)
class MapFile:
    """One map document and what is on it."""

    html: str
    file_name: str
    hotspots: int
    concerns: int


@dataclass(frozen=True)
class _Scope:
    """What one map covers, before it is worded."""

    kind: str  # "area", "city" or "hotspot": the base layers and the file name follow it
    title: str
    slug: str
    period: Period
    frame: tuple[float, float, float, float]
    areas: tuple[dict[str, Any], ...]
    rows: list[HotspotRow]
    concern_count: int
    heat_categories: tuple[int, ...] = ()


def area_map(
    selection: AreaSelection,
    period: Period,
    language: str,
    *,
    heat: bool = False,
    verdicts: Mapping[int, str] | None = None,
) -> MapFile:
    """The map of a meeting report's area and period: the same hotspots, the same numbers."""
    with report_locale(language):
        concern_count, rows = listed_hotspots(selection, period, language)
        scope = _Scope(
            kind="area",
            title=selection.label,
            slug=selection.label,
            period=period,
            frame=_bounds(selection.areas),
            areas=tuple(json.loads(area.geometry) for area in selection.areas),
            rows=rows,
            concern_count=concern_count,
        )
        return _map_file(scope, language, heat=heat, verdicts=verdicts)


def filtered_map(
    filters: TriageFilters,
    language: str,
    *,
    heat: bool = False,
    verdicts: Mapping[int, str] | None = None,
    counted: TriageFilters | None = None,
    now: datetime | None = None,
) -> MapFile:
    """The map of the triage map's filters (dates, categories, status, agency, area, priority);
    concerns are counted with `counted` (default: the same filters, as the triage map counts)."""
    now = now or utcnow()
    period = Period(start=filters.since_dt, end=max(filters.since_dt, min(filters.until_dt, now)))
    hotspots = list(
        db.session.scalars(
            sa.select(Hotspot)
            .where(*hotspot_conditions(filters), Hotspot.status.not_in(HIDDEN))
            .order_by(Hotspot.priority.desc(), Hotspot.id)
            .limit(MAX_HOTSPOTS)
        )
    )
    in_period = _concerns_per_hotspot(filters, [h.id for h in hotspots])
    concern_count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Concern)
        .where(*concern_conditions(counted or filters))
    )
    area = filters.area
    city = current_city()
    with report_locale(language):
        categories = {c.id: c for c in db.session.scalars(sa.select(Category))}
        scope = _Scope(
            kind="area" if area is not None else "city",
            title=_area_title(area) if area is not None else city.name,
            slug=area.name if area is not None else city.name,
            period=period,
            frame=_bounds([area]) if area is not None else _city_frame(),
            areas=(json.loads(area.geometry),) if area is not None else (),
            rows=hotspot_rows(hotspots, period, in_period, categories, language),
            concern_count=concern_count or 0,
            heat_categories=filters.category_ids,
        )
        return _map_file(scope, language, heat=heat, verdicts=verdicts)


def city_map(
    since: date | None,
    until: date | None,
    language: str,
    *,
    heat: bool = False,
    verdicts: Mapping[int, str] | None = None,
    today: date | None = None,
) -> MapFile:
    """The whole city for a period (default: the last 30 days): the hotspots reported in it, of
    any status but duplicate and not actionable, and every concern reported in it."""
    filters = city_filters(since, until, today)
    every_concern = replace(filters, statuses=tuple(sorted(HOTSPOT_ACTIVE)), status_param=ACTIVE)
    return filtered_map(filters, language, heat=heat, verdicts=verdicts, counted=every_concern)


def city_filters(
    since: date | None, until: date | None, today: date | None = None
) -> TriageFilters:
    """The triage filters of the whole city for a period, hotspots of any listed status."""
    today = today or datetime.now(city_zone()).date()
    until = until or today
    since = since or until - timedelta(days=DEFAULT_DAYS)
    if since > until:
        raise MapInputError("The period must start before it ends.")
    if (until - since).days > MAX_DAYS:
        raise MapInputError(f"A map covers at most {MAX_DAYS} days; choose a later start date.")
    return TriageFilters(
        since=since,
        until=until,
        statuses=LISTED_STATUSES,
        status_param=",".join(LISTED_STATUSES),
    )


def hotspot_map(hotspot_id: int, language: str, now: datetime | None = None) -> MapFile:
    """One problem place with its concerns, counted per block."""
    hotspot = db.session.get(Hotspot, hotspot_id)
    if hotspot is None:
        raise MapInputError(f"No hotspot number {hotspot_id}.")
    if hotspot.status == HotspotStatus.DUPLICATE and hotspot.merged_into_id:
        raise MapInputError(
            f"Hotspot {hotspot_id} was merged into hotspot {hotspot.merged_into_id}: "
            "make the map of that one."
        )
    now = now or utcnow()
    start = hotspot.first_reported_at or hotspot.created_at
    period = Period(start=start, end=max(start, now))
    concerns = db.session.execute(
        sa.select(Concern.lat, Concern.lon, Concern.category_id, Concern.location_label)
        .where(
            Concern.hotspot_id == hotspot.id,
            Concern.geocode_status == GeocodeStatus.LOCATED,
            Concern.status.in_(CONCERN_MAPPED),
        )
        .order_by(Concern.reported_at)
    ).all()
    lat, lon = rounded(hotspot.centroid_lat), rounded(hotspot.centroid_lon)
    with report_locale(language):
        categories = {c.id: c for c in db.session.scalars(sa.select(Category))}
        rows = hotspot_rows(
            [hotspot], period, Counter({hotspot.id: len(concerns)}), categories, language
        )
        scope = _Scope(
            kind="hotspot",
            title=rows[0].location or _("Hotspot %(number)s", number=hotspot.id),
            slug=f"hotspot-{hotspot.id}",
            period=period,
            frame=_around(lat, lon, HOTSPOT_FRAME_M),
            areas=(),
            rows=rows,
            concern_count=len(concerns),
        )
        blocks = _concern_blocks(concerns, categories, language)
        return _map_file(scope, language, concerns=blocks)


def _map_file(
    scope: _Scope,
    language: str,
    *,
    heat: bool = False,
    verdicts: Mapping[int, str] | None = None,
    concerns: Sequence[Mark] = (),
) -> MapFile:
    """Word the scope, draw it, name the file (inside report_locale(language))."""
    from community.geo.foliummap import build_map_html
    from community.reports.mapassets import leaflet_assets

    city = current_city()
    spec = MapSpec(
        words=_words(scope, language, heat=heat, concerns=bool(concerns)),
        frame=scope.frame,
        areas=scope.areas,
        overlays=_overlays(scope),
        hotspots=tuple(_hotspot_mark(row, verdicts) for row in scope.rows),
        concerns=tuple(concerns),
        heat=_heat(scope) if heat else None,
        tiles=_tiles(),
        attribution=city.attribution,
        extra={"hotspots": str(len(scope.rows)), "language": language},
    )
    html = build_map_html(spec, leaflet_assets())
    return MapFile(
        html=html,
        file_name=file_name(scope.slug, scope.period, language),
        hotspots=len(scope.rows),
        concerns=scope.concern_count,
    )


def download(made: MapFile) -> Response:
    """The map as a file to save (never shown at the app's address), not kept by caches."""
    response = Response(made.html, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="{made.file_name}"'
    response.headers["Content-Security-Policy"] = content_security_policy(_tiles())
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def file_name(slug: str, period: Period, language: str) -> str:
    """'map-sherman-park-2026-10-30-es.html': safe in any file system and header."""
    words = "-".join("".join(ch if ch.isalnum() else " " for ch in slug).split()).lower()
    return f"map-{words[:80] or 'area'}-{period.local_dates()[1].isoformat()}-{language}.html"


def _words(scope: _Scope, language: str, *, heat: bool, concerns: bool) -> MapWords:
    first, last = scope.period.local_dates()
    made = utcnow().astimezone(city_zone()).date()

    def day(value: date) -> str:
        return format_date(value, format="medium", locale=language)

    count = len(scope.rows)
    kind = _("Hotspot map")
    concerns_text = ngettext("%(num)d concern", "%(num)d concerns", scope.concern_count)
    hotspots_text = ngettext("%(num)d hotspot", "%(num)d hotspots", count)
    lines = (
        f"{kind} · {day(first)} – {day(last)}",
        f"{concerns_text} · {hotspots_text}",
        _("Made %(date)s", date=day(made)),
    )
    empty = None  # an area's open hotspots are listed even when the period brought nothing
    if not scope.concern_count:
        empty = _("No concerns were reported here in this period.")
    elif not count:
        empty = _("No hotspots in this period.")
    return MapWords(
        language=language,
        title=scope.title,
        lines=lines,
        map_label=_("Map of %(area)s", area=scope.title),
        hotspots_layer=_("Hotspots"),
        concerns_layer=_("Concerns, per block") if concerns else "",
        heat_layer=_("Heat: where concerns gather") if heat else "",
        area_layer=_("Area outline"),
        legend_title=_("Hotspots, numbered by priority"),
        priority_classes=tuple(_(name) for name in PRIORITY_NAMES),
        size_note=_("A bigger circle means a higher priority."),
        done_note=_("White inside: resolved or closed"),
        concern_note=_("Concerns on one block (how many)"),
        heat_note=_("Red: more concerns than chance would give"),
        list_title=_("Hotspots on this map"),
        number_header=_("Number"),
        place_header=_("Location"),
        zoom_in=_("Zoom in"),
        zoom_out=_("Zoom out"),
        close=_("Close"),
        empty=empty,
    )


def _hotspot_mark(row: HotspotRow, verdicts: Mapping[int, str] | None) -> Mark:
    lead = row.lead or _("Not yet assigned")
    facts = [
        (_("Category"), row.category or NONE),
        (_("Concerns this period"), str(row.concerns_period)),
        (_("Concerns in all"), str(row.concerns_total)),
        (_("Status"), row.status),
        (_("Lead agency"), lead),
        (_("Partners"), ", ".join(row.partners) or NONE),
        (_("Trend"), _(TRENDS.get(row.trend, row.trend))),
        (_("Days open"), str(row.days_open)),
        (_("Last action"), row.last_action or NONE),
    ]
    if verdicts is not None:
        # The evaluation verdict (before/after against the surroundings), once one exists.
        facts.append((_("Evaluation"), verdicts.get(row.id) or NONE))
    return Mark(
        lat=rounded(row.lat),
        lon=rounded(row.lon),
        text=str(row.number),
        title=row.location,
        facts=tuple(facts),
        priority=row.priority,
        done=not row.active,
    )


def _concern_blocks(
    concerns: Sequence[sa.Row], categories: dict[int, Category], language: str
) -> list[Mark]:
    """Concerns counted per block: their points rounded as Open311 rounds them, their place
    generalised to the block, their categories; never their words or their times."""
    groups: dict[tuple[float, float], list[sa.Row]] = defaultdict(list)
    for row in concerns:
        if row.lat is not None and row.lon is not None:
            groups[(rounded(row.lat), rounded(row.lon))].append(row)
    marks = []
    for (lat, lon), rows in sorted(groups.items()):
        places = Counter(
            public_text(row.location_label, language=language) for row in rows if row.location_label
        )
        kinds = Counter(row.category_id for row in rows)
        words = [
            f"{categories[cid].name(language) if cid in categories else '?'} ({n})"
            for cid, n in kinds.most_common()
        ]
        place = places.most_common(1)[0][0] if places else NONE
        marks.append(
            Mark(
                lat=lat,
                lon=lon,
                text=str(len(rows)),
                title=place,
                facts=((_("Concerns"), str(len(rows))), (_("Category"), ", ".join(words))),
            )
        )
    return marks


def _overlays(scope: _Scope) -> tuple[Overlay, ...]:
    """The city's outline (the base), streets near an area, roads and boundary layers."""
    city = current_city()
    tiles = _tiles()
    layers = []
    base = layer_data(city, "city")
    if base is not None:
        style = BASE_STYLE_WITH_TILES if tiles else BASE_STYLE
        layers.append(Overlay("city", json.loads(base.body), style, in_control=False))
    if scope.kind != "city":
        from community.geo.foliummap import lines_geojson
        from community.reports.staticmap import city_streets

        streets = lines_geojson(city_streets(str(city.path)), _padded(scope.frame, 0.25))
        layers.append(Overlay(_("Streets"), streets, STREET_STYLE, tooltip="name"))
    for layer_id, title, style in AREA_LAYERS:
        data = layer_data(city, layer_id)
        if data is None:
            continue
        shown = layer_id == "roads" or (layer_id == "neighborhood" and scope.kind == "city")
        layers.append(
            Overlay(
                _(title),
                json.loads(data.body),
                style if layer_id == "roads" else {**style, "fill": False},
                shown=shown,
                tooltip="name",
            )
        )
    return tuple(layers)


def _heat(scope: _Scope) -> dict[str, Any]:
    """The Gi* cells of the period (the triage map's heat layer) that fall in the frame."""
    from community.hotspots.heat import heat_geojson

    heat = heat_geojson(
        scope.period.start, scope.period.end, category_ids=list(scope.heat_categories) or None
    )
    west, south, east, north = _padded(scope.frame, 0.1)
    cells = []
    for feature in heat["features"]:
        lon, lat = feature["geometry"]["coordinates"][0][0]
        if west <= lon <= east and south <= lat <= north:
            props = feature["properties"]
            if not math.isfinite(props.get("z") or 0.0):
                props["z"] = None
            cells.append(feature)
    return {"type": "FeatureCollection", "features": cells}


def _tiles() -> Tiles | None:
    """The tile server when TILE_URL is set; None keeps the file free of any request."""
    url = current_app.config.get("TILE_URL")
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}.", "*.")
    return Tiles(
        url=url,
        attribution=current_app.config.get("TILE_ATTRIBUTION") or "",
        origin=f"{parts.scheme}://{host}",
    )


def _concerns_per_hotspot(filters: TriageFilters, hotspot_ids: list[int]) -> Counter:
    if not hotspot_ids:
        return Counter()
    rows = db.session.execute(
        sa.select(Concern.hotspot_id, sa.func.count())
        .where(
            Concern.hotspot_id.in_(hotspot_ids),
            Concern.reported_at >= filters.since_dt,
            Concern.reported_at < filters.until_dt,
            Concern.status.not_in(NOT_COUNTED),
        )
        .group_by(Concern.hotspot_id)
    )
    return Counter(dict(rows.tuples().all()))


def _area_title(area: Area) -> str:
    from community.reports.areas import display_name

    return display_name(area.name)


def _bounds(areas: Sequence[Area]) -> tuple[float, float, float, float]:
    return (
        min(a.min_lon for a in areas),
        min(a.min_lat for a in areas),
        max(a.max_lon for a in areas),
        max(a.max_lat for a in areas),
    )


def _city_frame() -> tuple[float, float, float, float]:
    """The city limits' bounds (the areas loaded from the city package cover them)."""
    row = db.session.execute(
        sa.select(
            sa.func.min(Area.min_lon),
            sa.func.min(Area.min_lat),
            sa.func.max(Area.max_lon),
            sa.func.max(Area.max_lat),
        )
    ).one()
    if row[0] is None:
        lat, lon = current_city().center
        return _around(lat, lon, 8000)
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


def _around(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    dlat = metres / 111_320
    dlon = metres / (111_320 * math.cos(math.radians(lat)))
    return (lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def _padded(frame: Sequence[float], share: float) -> tuple[float, float, float, float]:
    west, south, east, north = frame
    dx, dy = (east - west) * share, (north - south) * share
    return (west - dx, south - dy, east + dx, north + dy)
