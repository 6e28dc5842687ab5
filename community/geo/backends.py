"""Which geocoder the app uses: the local City-data one (default) or a Nominatim server.

Settings (a Flask config or any mapping):

    GEOCODER                 "local" (default) or "nominatim"
    NOMINATIM_URL            required for nominatim, e.g. "http://127.0.0.1:8080"
    NOMINATIM_USER_AGENT     default "community-prosecution (<city slug>)"
    NOMINATIM_TIMEOUT        seconds, default 3
    NOMINATIM_COUNTRY_CODES  default "us" (comma-separated ISO codes; "" for none)
    NOMINATIM_VIEWBOX        "minlon,minlat,maxlon,maxlat"; unset/None: the city limits' bounds;
                             "": no viewbox
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import shapely

from community.geo import geocoder
from community.geo.citypkg import CityPackage, load_city
from community.geo.context import CITY_KIND, annotate, area_locator
from community.geo.place import Place
from community.geo.reverse import reverse_geocode

if TYPE_CHECKING:
    from community.geo.nominatim import NominatimGeocoder

BACKENDS = ("local", "nominatim")


@runtime_checkable
class GeocoderBackend(Protocol):
    """Text -> Place and point -> Place for one city; implementations never raise on bad input."""

    def geocode(self, text: str) -> Place:
        """Locate free text."""
        ...

    def reverse(self, lon: float, lat: float) -> Place:
        """Name the point a resident tapped on the map."""
        ...


class LocalGeocoder:
    """The geocoder over the city package's own data (address points, areas)."""

    def __init__(self, city: CityPackage) -> None:
        """Geocode within this city package."""
        self.city = city

    def __repr__(self) -> str:
        return f"LocalGeocoder({self.city.slug!r})"

    def geocode(self, text: str) -> Place:
        """community.geo.geocoder.geocode, annotated with areas when it was not already."""
        place = geocoder.geocode(self.city, text)
        if place.found and place.in_city is None:
            place = annotate(self.city, place)
        return place

    def reverse(self, lon: float, lat: float) -> Place:
        """community.geo.reverse.reverse_geocode."""
        return reverse_geocode(self.city, lon, lat)


def city_viewbox(city: CityPackage) -> tuple[float, float, float, float] | None:
    """Bounds (minlon, minlat, maxlon, maxlat) of the city limits, else of all its areas."""
    return _viewbox_for(str(city.path))


@lru_cache(maxsize=4)
def _viewbox_for(path: str) -> tuple[float, float, float, float] | None:
    shapes = area_locator(load_city(path)).shapes
    geoms = [s.geometry for s in shapes if s.kind == CITY_KIND] or [s.geometry for s in shapes]
    if not geoms:
        return None
    min_lon, min_lat, max_lon, max_lat = shapely.union_all(geoms).bounds
    return (float(min_lon), float(min_lat), float(max_lon), float(max_lat))


def _nominatim(settings: Mapping[str, Any], city: CityPackage) -> NominatimGeocoder:
    from community.geo.nominatim import DEFAULT_TIMEOUT_S, NominatimGeocoder, parse_viewbox

    url = settings.get("NOMINATIM_URL")
    if not url or not isinstance(url, str):
        raise ValueError("GEOCODER 'nominatim' needs NOMINATIM_URL, e.g. 'http://127.0.0.1:8080'")
    timeout_setting = settings.get("NOMINATIM_TIMEOUT")
    try:
        timeout = float(DEFAULT_TIMEOUT_S if timeout_setting is None else timeout_setting)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"NOMINATIM_TIMEOUT must be seconds, got {timeout_setting!r}") from exc
    raw_box = settings.get("NOMINATIM_VIEWBOX")
    if raw_box is None:
        viewbox = city_viewbox(city)
    elif raw_box == "":
        viewbox = None
    else:
        viewbox = parse_viewbox(raw_box)
    country_codes = settings.get("NOMINATIM_COUNTRY_CODES")
    return NominatimGeocoder(
        url,
        user_agent=str(
            settings.get("NOMINATIM_USER_AGENT") or f"community-prosecution ({city.slug})"
        ),
        timeout=timeout,
        country_codes="us" if country_codes is None else country_codes,
        viewbox=viewbox,
        city=city,
    )


def backend_for(settings: Mapping[str, Any], city: CityPackage) -> GeocoderBackend:
    """The geocoder the settings ask for (see the module docstring); ValueError if misconfigured."""
    name = str(settings.get("GEOCODER") or "local").strip().lower()
    if name == "local":
        return LocalGeocoder(city)
    if name == "nominatim":
        return _nominatim(settings, city)
    raise ValueError(f"unknown GEOCODER {name!r}: expected one of {', '.join(BACKENDS)}")
