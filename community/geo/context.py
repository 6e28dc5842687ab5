"""Which areas a place falls in, and whether it is inside the city limits."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from community.geo.areas import AreaLocator
from community.geo.citypkg import AreaShape, CityPackage, iter_areas, load_city, read_geojson

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
