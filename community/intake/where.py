"""Where a web report is: the typed words, a reading the resident chose, or a tap on the map.

The browser may send a point (a suggestion picked, a tap, "use my location"), but the server
trusts only its own geocoder: a point that matches one of the typed words' readings takes that
reading; any other point is named by reverse geocoding. A place outside the city limits is
refused before anything is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l

from community.geo.distance import metres as distance_m
from community.geo.place import Place
from community.intake.errors import IntakeError
from community.places.city import current_city, geocoder

MATCH_M = 40.0  # a point this close to a reading is that reading (labels and pins round)
MAP_CONFIDENCE = 0.9  # the resident put the pin there: the point is right, whatever its label
POINT_RE = re.compile(r"^\s*(-?\d{1,3}(?:\.\d{1,9})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,9})?)\s*$")
# "..., IL" or "IL 60601" (a state after a comma or before a ZIP), a ZIP: somewhere else.
STATE_RE = re.compile(r",\s*([A-Za-z]{2,})\.?(?=\s*(?:$|,|\d{5}))|\b([A-Za-z]{2})\.?\s+\d{5}\b")
# A ZIP code ends the text or a comma-separated part, after other words (never a house number).
ZIP_RE = re.compile(r"(?<=[,\s])(\d{5})(?:-\d{4})?\s*(?=,|$)")


@dataclass(frozen=True)
class Located:
    """The place the server settled on (None: only words; the locate job or staff place them).

    `chosen`: the resident picked it (a reading or a point on the map), so it is placed at
    once; typed words alone are only checked here and placed by the locate job, as before.
    """

    place: Place | None
    on_map: bool = False
    chosen: bool = False


def outside_city_error() -> IntakeError:
    return IntakeError(
        "location",
        _l(
            "That place is outside the City of %(city)s. We can only act on problems inside "
            "the city limits.",
            city=current_city().name,
        ),
    )


def parse_point(value: str | None) -> tuple[float, float] | None:
    """A "lat,lon" pair from the form; None when empty; IntakeError when it is not a point."""
    if not value or not value.strip():
        return None
    match = POINT_RE.match(value)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
    raise IntakeError("location", _l("We could not read that point on the map. Tap the map again."))


def locate_report(location_text: str | None, point: tuple[float, float] | None) -> Located:
    """The place for a report; IntakeError when it is outside the city."""
    text = (location_text or "").strip()
    if point is not None:
        return _at_point(text, point)
    if not text:
        return Located(None)
    place = geocoder().geocode(text)
    if place.found and place.in_city is False:
        raise outside_city_error()
    if not place.found:
        if names_elsewhere(text):
            raise outside_city_error()
        return Located(None)
    return Located(place)


def _at_point(text: str, point: tuple[float, float]) -> Located:
    lat, lon = point
    if text:
        typed = geocoder().geocode(text)
        for reading in (typed, *typed.alternatives):
            if reading.found and distance_m(lat, lon, reading.lat, reading.lon) <= MATCH_M:
                if reading.in_city is False:
                    raise outside_city_error()
                # The resident picked this reading: it is no longer ambiguous.
                return Located(replace(reading, alternatives=()), chosen=True)
    named = geocoder().reverse(lon, lat)
    if named.in_city is not True:
        raise outside_city_error()
    return Located(
        replace(named, lat=lat, lon=lon, confidence=max(named.confidence, MAP_CONFIDENCE)),
        on_map=True,
        chosen=True,
    )


def names_elsewhere(text: str) -> bool:
    """The words name another state or a ZIP code outside the city's ZIP prefixes."""
    from community.geo.geocoder import US_STATES  # the geocoder loads pandas: not at import

    city = current_city()
    home = city.manifest.get("state", "").upper()
    for match in STATE_RE.finditer(text):
        word = (match.group(1) or match.group(2)).upper()
        if word in US_STATES and word != home:
            return True
    prefixes = tuple(city.manifest.get("zip_prefixes", []))
    return bool(prefixes) and any(not code.startswith(prefixes) for code in ZIP_RE.findall(text))
