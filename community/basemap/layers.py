"""Base layers from the city package: simplified, rounded, serialised once per process.

Every map of the app (the resident's form, staff maps) draws these instead of, or over, a tile
server: the city outline is the base when no TILE_URL is set, so maps work offline.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # geo pulls in pandas and pyproj: loaded with the first layer, not every page
    from community.geo.citypkg import CityPackage

CITY_LAYER = "city"
ROADS_LAYER = "roads"
# Degrees; about 20 m on the ground: borders and roads still sit on the right street.
AREA_TOLERANCE = 0.0002
ROAD_TOLERANCE = 0.00015
DECIMALS = 5  # about 1 m


@dataclass(frozen=True)
class LayerInfo:
    """One base layer: its id (in URLs), the kind of features, and whether it is the base."""

    id: str
    kind: str  # "city", "roads" or an area kind from the manifest
    base: bool


@dataclass(frozen=True)
class LayerData:
    """A layer serialised: JSON bytes, the same gzipped, and their ETag."""

    body: bytes
    gzipped: bytes
    etag: str
    features: int


def layer_infos(city: CityPackage) -> list[LayerInfo]:
    """The layers the city package has, base (outline) first, then areas, then roads."""
    infos = []
    if city.manifest.get("city_limits"):
        infos.append(LayerInfo(CITY_LAYER, CITY_LAYER, True))
    for layer in city.manifest.get("areas", []):
        infos.append(LayerInfo(layer["kind"], layer["kind"], False))
    if city.manifest.get("roads"):
        infos.append(LayerInfo(ROADS_LAYER, ROADS_LAYER, False))
    return infos


def layer_data(city: CityPackage, layer_id: str) -> LayerData | None:
    """The layer's GeoJSON, built on first use and kept for the process; None if unknown."""
    if layer_id not in {info.id for info in layer_infos(city)}:
        return None
    return _build(str(city.path), layer_id)


@lru_cache(maxsize=32)
def _build(city_path: str, layer_id: str) -> LayerData:
    from community.geo.citypkg import load_city

    city = load_city(city_path)
    features = list(_features(city, layer_id))
    body = json.dumps(
        {"type": "FeatureCollection", "features": features}, separators=(",", ":")
    ).encode()
    return LayerData(
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0),
        etag=hashlib.sha256(body).hexdigest()[:32],
        features=len(features),
    )


def _features(city: CityPackage, layer_id: str):
    from community.geo.citypkg import iter_areas, read_geojson

    if layer_id == CITY_LAYER:
        for _props, geometry in read_geojson(city.file(city.manifest["city_limits"]["file"])):
            yield _feature(geometry, AREA_TOLERANCE, {"name": city.name})
    elif layer_id == ROADS_LAYER:
        yield from _roads(city)
    else:
        for area in iter_areas(city, [layer_id]):
            yield _feature(area.geometry, AREA_TOLERANCE, {"code": area.code, "name": area.name})


def _roads(city: CityPackage):
    """One MultiLineString per road name: thousands of short segments cost more in keys."""
    from community.geo.citypkg import geometry_geojson, read_geojson

    spec = city.manifest["roads"]
    lines: dict[str, list] = {}
    for props, geometry in read_geojson(city.file(spec["file"])):
        name = str(props.get(spec.get("name_field", "name")) or "")
        simple = _rounded(geometry_geojson(geometry.simplify(ROAD_TOLERANCE)))
        parts = (
            simple["coordinates"]
            if simple["type"] == "MultiLineString"
            else [simple["coordinates"]]
        )
        lines.setdefault(name, []).extend(part for part in parts if len(part) > 1)
    for name, parts in sorted(lines.items()):
        yield {
            "type": "Feature",
            "properties": {"name": name or None},
            "geometry": {"type": "MultiLineString", "coordinates": parts},
        }


def _feature(geometry, tolerance: float, properties: dict[str, Any]) -> dict[str, Any]:
    from community.geo.citypkg import geometry_geojson

    simple = geometry.simplify(tolerance, preserve_topology=True)
    if simple.is_empty:
        simple = geometry
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": _rounded(geometry_geojson(simple)),
    }


def _rounded(value: Any) -> Any:
    """Coordinates rounded to DECIMALS (nested tuples and lists become lists)."""
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value
