"""Which areas a place falls in, and whether it is inside the city limits."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np
import shapely

from community.geo.areas import AreaLocator
from community.geo.citypkg import (
    AreaShape,
    CityPackage,
    iter_areas,
    load_city,
    read_geojson,
    to_metres,
)

CITY_KIND = "city_limits"


@lru_cache(maxsize=4)
def _locator_for(path: str) -> AreaLocator:
    city = load_city(path)
    shapes = list(iter_areas(city))
    limits = city.manifest.get("city_limits")
    if limits:
        for _, geometry in read_geojson(city.file(limits["file"])):
            shapes.append(
                AreaShape(kind=CITY_KIND, code=city.slug, name=city.name, geometry=geometry)
            )
    return AreaLocator(shapes)


def area_locator(city: CityPackage) -> AreaLocator:
    """The (cached) lookup over every area layer of the city, plus its limits."""
    return _locator_for(str(city.path))


def annotate(city: CityPackage, place):
    """The place (and its alternatives) with the areas it falls in and whether it is in the city."""
    if not place.found:
        return place
    codes = area_locator(city).locate(place.lon, place.lat)
    in_city = codes.pop(CITY_KIND, None) is not None
    alternatives = tuple(annotate(city, alt) for alt in place.alternatives)
    return replace(place, areas=codes, in_city=in_city, alternatives=alternatives)


def inside_limits(city: CityPackage, lon: Any, lat: Any, tolerance_m: float = 0.0) -> np.ndarray:
    """For each point: inside the city limits, or within tolerance_m of them (vectorised; every
    point is inside when the package has neither a limits layer nor areas)."""
    limits = _limits_in_metres(str(city.path), float(tolerance_m))
    lon = np.asarray(lon, dtype=float)
    if limits is None:
        return np.ones(len(lon), dtype=bool)
    x, y = to_metres(city, lon, np.asarray(lat, dtype=float))
    return shapely.contains_xy(limits, x, y)


@lru_cache(maxsize=8)
def _limits_in_metres(city_path: str, tolerance_m: float) -> Any:
    """The city limits in the city's metric CRS, widened by the tolerance and prepared (a
    prepared polygon tests 100k points in milliseconds); the union of the area layers when
    the package has no limits layer."""
    city = load_city(city_path)
    spec = city.manifest.get("city_limits")
    if spec:
        shapes = [geometry for _, geometry in read_geojson(city.file(spec["file"]))]
    else:
        shapes = [area.geometry for area in iter_areas(city)]
    if not shapes:
        return None

    def project(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(to_metres(city, coords[:, 0], coords[:, 1]))

    limits = shapely.transform(shapely.union_all(shapes), project)
    if tolerance_m > 0:
        limits = limits.buffer(tolerance_m)
    shapely.prepare(limits)
    return limits
