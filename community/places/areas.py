"""Loading the city package's areas into the database, idempotently."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from community.extensions import db
from community.models import Area, AreaKind

if TYPE_CHECKING:  # geo pulls in pandas and pyproj: loaded when areas are, not with every page
    from community.geo.citypkg import CityPackage


def load_areas(city: CityPackage) -> dict[str, int]:
    """Insert or update every area of the city; returns counts by kind."""
    from community.geo.citypkg import geometry_geojson, iter_areas

    existing = {
        (a.kind, a.code): a for a in db.session.scalars(db.select(Area).filter_by(city=city.slug))
    }
    counts: dict[str, int] = {}
    for shape in iter_areas(city):
        kind = AreaKind(shape.kind)
        area = existing.get((kind, shape.code)) or Area(city=city.slug, kind=kind, code=shape.code)
        min_lon, min_lat, max_lon, max_lat = shape.geometry.bounds
        area.name = shape.name
        area.geometry = json.dumps(geometry_geojson(shape.geometry))
        area.min_lon, area.min_lat, area.max_lon, area.max_lat = min_lon, min_lat, max_lon, max_lat
        db.session.add(area)
        counts[kind] = counts.get(kind, 0) + 1
    db.session.commit()
    _AREA_IDS.pop((str(db.engine.url), city.slug), None)
    return counts


_AREA_IDS: dict[tuple[str, str], dict[tuple[str, str], int]] = {}


def area_ids(city_slug: str) -> dict[tuple[str, str], int]:
    """(kind, code) -> Area.id for the city, cached per database (areas change only on load)."""
    key = (str(db.engine.url), city_slug)
    if not _AREA_IDS.get(key):
        rows = db.session.execute(
            db.select(Area.kind, Area.code, Area.id).filter_by(city=city_slug)
        )
        _AREA_IDS[key] = {(str(kind), code): area_id for kind, code, area_id in rows}
    return _AREA_IDS[key]
