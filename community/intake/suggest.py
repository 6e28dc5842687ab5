"""Live place suggestions while a resident types, and the name of a point they tapped."""

from __future__ import annotations

from typing import Any

from community.geo.place import Place
from community.places.city import geocoder

MIN_QUERY = 3  # fewer letters name nothing and would only load the server
MAX_QUERY = 120
MAX_SUGGESTIONS = 5


def suggestions(text: str) -> list[dict[str, Any]]:
    """A few readings of partly typed words, best first, each with a point and a label."""
    place = geocoder().geocode(text[:MAX_QUERY])
    readings = [p for p in (place, *place.alternatives) if p.found]
    return [reading_json(p) for p in readings[:MAX_SUGGESTIONS]]


def name_point(lat: float, lon: float) -> dict[str, Any]:
    """What a tapped point is next to, and whether it is inside the city."""
    return reading_json(geocoder().reverse(lon, lat), lat=lat, lon=lon)


def reading_json(
    place: Place, lat: float | None = None, lon: float | None = None
) -> dict[str, Any]:
    """The public shape of a reading: no more than a label, a point, an area and in/out."""
    neighborhood = place.areas.get("neighborhood")
    lat = place.lat if lat is None else lat
    lon = place.lon if lon is None else lon
    return {
        "label": place.label,
        "kind": place.kind,
        "lat": None if lat is None else round(lat, 6),
        "lon": None if lon is None else round(lon, 6),
        "neighborhood": neighborhood.title() if neighborhood else None,
        "in_city": place.in_city,
    }
