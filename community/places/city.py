"""The app's city package and geocoder, cached per process (loaded on first use, never at import)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:  # geo pulls in pandas and pyproj: load them on first use, not with every page
    from community.geo.areas import AreaLocator
    from community.geo.backends import GeocoderBackend
    from community.geo.citypkg import CityPackage

GEOCODER_SETTINGS = (
    "GEOCODER",
    "NOMINATIM_URL",
    "NOMINATIM_USER_AGENT",
    "NOMINATIM_TIMEOUT",
    "NOMINATIM_COUNTRY_CODES",
    "NOMINATIM_VIEWBOX",
)


def current_city() -> CityPackage:
    """The city package named by CITY_PACKAGE."""
    from community.geo.citypkg import load_city

    return load_city(current_app.config["CITY_PACKAGE"])


def area_locator() -> AreaLocator:
    """Point-in-polygon lookup over every area layer of the current city (and its limits)."""
    from community.geo.context import area_locator as locator

    return locator(current_city())


def geocoder() -> GeocoderBackend:
    """The geocoder the settings choose (the city package's own by default)."""
    settings = tuple((name, current_app.config.get(name)) for name in GEOCODER_SETTINGS)
    return _geocoder_for(current_app.config["CITY_PACKAGE"], settings)


@functools.lru_cache(maxsize=8)
def _geocoder_for(city_path: str, settings: tuple) -> GeocoderBackend:
    from community.geo.backends import backend_for
    from community.geo.citypkg import load_city

    return backend_for(dict(settings), load_city(city_path))


def warm_caches() -> None:
    """Load the street index, landmarks, the reverse index and area shapes now, through the
    backend the settings choose (a worker or gunicorn's master does this before forking)."""
    from community.geo.backends import LocalGeocoder

    geocoder()  # the chosen backend, built once (it sends nothing)
    local = LocalGeocoder(current_city())  # the city's own indexes: every backend reads them
    place = local.geocode("2847 N 35th St and Center near Washington Park")
    if place.found:
        local.reverse(place.lon, place.lat)
    area_locator()
