"""A Nominatim (OpenStreetMap) geocoder behind the same Place contract as the local one.

Intake calls this while a resident waits, so nothing here raises: network errors, timeouts,
HTTP errors (5xx, 429, ...) and malformed answers all log a warning and give Place.none().
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from geopy.adapters import URLLibAdapter
from geopy.geocoders import Nominatim

from community.geo.citypkg import CityPackage
from community.geo.context import annotate
from community.geo.distance import metres
from community.geo.place import Place, PlaceKind

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 300  # what is sent: longer text is cut at a word boundary
MAX_TEXT_CHARS = 5_000  # longer than this is a document, not a place: no request at all
SEARCH_LIMIT = 5
DEFAULT_TIMEOUT_S = 3.0
MAX_CONFIDENCE = 0.9  # an outside answer is never as sure as an exact City address (0.95)
DUPLICATE_M = 100.0  # answers with one kind and label this close are one place
NEAR_M = 250.0  # reverse: a house/landmark farther than this from the tap only names the area

# Nominatim's answer -> our kind, tried top to bottom (addresstype is Nominatim >= 4.3; older
# servers only give class/type, and jsonv2 calls class "category"):
#
#   answer                                                      kind       base confidence
#   place_rank <= 16, or addresstype/type city, town, village,  (dropped)  -- too coarse to file
#     municipality, county, state, region, country, continent               a concern at
#   addresstype road, or class highway (a street, or a stretch  area       0.25
#     of it: its midpoint is no particular block)
#   addresstype house/building, class building, place=house     address    0.75
#     (with a house number; a named building without one is a   landmark   0.6
#     landmark, an anonymous one an area)
#   class amenity, shop, tourism, leisure, historic, office,    landmark   0.6
#     craft, healthcare, emergency, railway, aeroway, ...
#   anything else (neighbourhood, suburb, quarter, postcode,    area       0.3
#     landuse, ...)
#
# confidence = base + 0.15 * importance (Nominatim's 0..1 prominence), capped at MAX_CONFIDENCE.
COARSE_TYPES = frozenset(
    {
        "city", "town", "village", "municipality", "county", "state", "state_district",
        "region", "province", "country", "continent", "administrative",
    }
)  # fmt: skip
LANDMARK_CLASSES = frozenset(
    {
        "amenity", "shop", "tourism", "leisure", "historic", "office", "craft", "club",
        "healthcare", "emergency", "railway", "aeroway", "public_transport", "man_made",
        "military", "sport", "bridge",
    }
)  # fmt: skip
BASE_CONFIDENCE: dict[str, float] = {"address": 0.75, "landmark": 0.6, "area": 0.3, "road": 0.25}
AREA_NAME_KEYS = ("neighbourhood", "suburb", "quarter", "city_district", "hamlet")
_POSTCODE = re.compile(r"\d{5}(-\d{4})?")


def parse_viewbox(value: str | Sequence[float]) -> tuple[float, float, float, float]:
    """Parse 'minlon,minlat,maxlon,maxlat' (or four numbers); ValueError when it is not one."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:
        box = tuple(float(p) for p in parts)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"viewbox must be 'minlon,minlat,maxlon,maxlat', got {value!r}") from exc
    if len(box) != 4 or not all(math.isfinite(v) for v in box):
        raise ValueError(f"viewbox must be 'minlon,minlat,maxlon,maxlat', got {value!r}")
    min_lon, min_lat, max_lon, max_lat = box
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        raise ValueError(f"viewbox corners out of order or range: {value!r}")
    return min_lon, min_lat, max_lon, max_lat


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _kind(raw: Mapping[str, Any]) -> str | None:
    """Our kind for one Nominatim answer ('road' is an area of lower confidence); None: drop."""
    cls = str(raw.get("class") or raw.get("category") or "")
    typ = str(raw.get("type") or "")
    addresstype = str(raw.get("addresstype") or "")
    rank = _float(raw.get("place_rank"))
    address = raw.get("address") if isinstance(raw.get("address"), Mapping) else {}
    if (rank is not None and rank <= 16) or addresstype in COARSE_TYPES:
        return None
    if cls in {"place", "boundary"} and typ in COARSE_TYPES:
        return None
    if addresstype == "road" or cls == "highway":
        return "road"
    if (
        addresstype in {"house", "building"}
        or cls == "building"
        or (cls, typ) == ("place", "house")
    ):
        if address.get("house_number") or typ == "house":
            return "address"
        return "landmark" if raw.get("name") else "area"
    if cls in LANDMARK_CLASSES:
        return "landmark"
    return "area"


def _shorten(display_name: str) -> str:
    """'2847, North 35th Street, Sherman Park, Milwaukee, Milwaukee County, Wisconsin, 53210,
    United States' -> '2847 North 35th Street, Sherman Park, Milwaukee'."""
    parts = [p.strip() for p in display_name.split(",") if p.strip()]
    if len(parts) > 1 and parts[0].isdigit():
        parts[:2] = [f"{parts[0]} {parts[1]}"]
    kept = [
        p
        for p in parts
        if not _POSTCODE.fullmatch(p) and not p.endswith(" County") and p != "United States"
    ]
    return ", ".join(kept[:3])[:160]


def _label(raw: Mapping[str, Any], kind: str) -> str:
    address = raw.get("address") if isinstance(raw.get("address"), Mapping) else {}
    number, road = address.get("house_number"), address.get("road")
    if kind == "address" and number and road:
        return f"{number} {road}"
    name = raw.get("name") or address.get(str(raw.get("addresstype") or ""))
    if name and road and name != road and kind == "landmark":
        return f"{name}, {road}"
    if name:
        return str(name)
    return _shorten(str(raw.get("display_name") or ""))


def _same(a: Place, b: Place) -> bool:
    """One place answered twice (an OSM node and way for the same house, say)."""
    if (a.kind, a.label) != (b.kind, b.label) or None in (a.lon, a.lat, b.lon, b.lat):
        return False
    return metres(a.lat, a.lon, b.lat, b.lon) < DUPLICATE_M  # type: ignore[arg-type]


def place_from_result(raw: Any) -> Place | None:
    """Map one Nominatim JSON result (json or jsonv2) to a Place; None when unusable."""
    if not isinstance(raw, Mapping):
        return None
    lat, lon = _float(raw.get("lat")), _float(raw.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    kind = _kind(raw)
    if kind is None:
        return None
    label = _label(raw, kind)
    if not label:
        return None
    importance = min(max(_float(raw.get("importance")) or 0.0, 0.0), 1.0)
    confidence = min(BASE_CONFIDENCE[kind] + 0.15 * importance, MAX_CONFIDENCE)
    public: PlaceKind = "area" if kind == "road" else kind  # type: ignore[assignment]
    return Place(kind=public, lat=lat, lon=lon, label=label, confidence=confidence)


def _query_text(text: Any) -> str | None:
    if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
        return None
    query = " ".join(text.split())
    if len(query) > MAX_QUERY_CHARS:
        query = query[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
    return query or None


class NominatimGeocoder:
    """Geocode through a Nominatim server (normally our own, e.g. http://127.0.0.1:8080).

    With ``city`` the answers get the city's areas and in_city (as the local geocoder's do),
    and answers inside the city come first.
    """

    def __init__(
        self,
        url: str,
        *,
        user_agent: str,
        timeout: float = DEFAULT_TIMEOUT_S,
        country_codes: str | Sequence[str] | None = "us",
        viewbox: tuple[float, float, float, float] | None = None,
        city: CityPackage | None = None,
    ) -> None:
        """Configure the client; ValueError for a URL that is not http(s)://host[:port][/path]."""
        match = re.fullmatch(r"(https?)://([^/?#\s]+)(/[^?#\s]*)?", url.strip())
        if not match:
            raise ValueError(f"Nominatim URL must be http(s)://host[:port][/path], got {url!r}")
        if not user_agent:
            raise ValueError("Nominatim needs a user agent naming this application")
        if not (timeout > 0):
            raise ValueError(f"Nominatim timeout must be positive, got {timeout!r}")
        scheme, host, path = match.group(1), match.group(2), (match.group(3) or "").rstrip("/")
        self.url = f"{scheme}://{host}{path}"
        self.country_codes = (
            [c.strip().lower() for c in country_codes.split(",") if c.strip()]
            if isinstance(country_codes, str)
            else [str(c).lower() for c in country_codes or ()]
        )
        self.viewbox = viewbox
        self.city = city
        self.timeout = float(timeout)
        # urllib, not requests: geopy's requests adapter retries 429s and 5xx with back-off
        # (minutes), and an intake path must fail fast and let staff place the concern.
        self._client = Nominatim(
            user_agent=user_agent,
            domain=host + path,
            scheme=scheme,
            timeout=self.timeout,
            adapter_factory=URLLibAdapter,
        )

    def __repr__(self) -> str:
        return f"NominatimGeocoder({self.url!r})"

    def _finish(self, place: Place) -> Place:
        return annotate(self.city, place) if self.city is not None else place

    def geocode(self, text: str) -> Place:
        """Best reading of the text, other readings as alternatives; Place.none() on any failure."""
        query = _query_text(text)
        if query is None:
            return Place.none()
        viewbox = None
        if self.viewbox is not None:
            min_lon, min_lat, max_lon, max_lat = self.viewbox
            viewbox = [(min_lat, min_lon), (max_lat, max_lon)]
        try:
            results = self._client.geocode(
                query,
                exactly_one=False,
                limit=SEARCH_LIMIT,
                addressdetails=True,
                country_codes=self.country_codes or None,
                viewbox=viewbox,
            )
            places: list[Place] = []
            for location in results or []:
                place = place_from_result(getattr(location, "raw", None))
                if place is not None and not any(_same(place, p) for p in places):
                    places.append(self._finish(place))
        except Exception as exc:  # intake path: never raise to the caller
            self._warn("search", exc)
            return Place.none()
        if not places:
            return Place.none()
        places.sort(key=lambda p: p.in_city is False)  # stable: in-city (or unknown) first
        return places[0].with_alternatives(tuple(places[1:]))

    def reverse(self, lon: float, lat: float, max_distance_m: float = NEAR_M) -> Place:
        """Name a tapped point: lat/lon stay the tap; the label names what Nominatim finds there."""
        lon_f, lat_f = _float(lon), _float(lat)
        if lon_f is None or lat_f is None or not (-180 <= lon_f <= 180 and -90 <= lat_f <= 90):
            return Place.none()
        try:
            location = self._client.reverse((lat_f, lon_f), exactly_one=True, addressdetails=True)
            raw = getattr(location, "raw", None) if location is not None else None
            found = place_from_result(raw)
        except Exception as exc:  # intake path: never raise to the caller
            self._warn("reverse", exc)
            return Place.none()
        if found is None or raw is None:
            return Place.none()
        distance = metres(lat_f, lon_f, float(raw["lat"]), float(raw["lon"]))
        if found.kind in ("address", "landmark") and distance <= max_distance_m:
            share = distance / max_distance_m if max_distance_m > 0 else 1.0
            place = replace(found, label=f"near {found.label}", confidence=0.9 - 0.4 * share)
        else:
            address = raw.get("address") if isinstance(raw.get("address"), Mapping) else {}
            area = next((address[k] for k in AREA_NAME_KEYS if address.get(k)), None)
            place = replace(
                found,
                kind="area",
                label=str(area or found.label),
                confidence=min(0.3, found.confidence),
            )
        place = self._finish(replace(place, lat=lat_f, lon=lon_f))
        if place.in_city is False:  # as the local reverse geocoder: outside the city is nowhere
            return replace(Place.none(), in_city=False)
        return place

    def _warn(self, what: str, exc: Exception) -> None:
        # The resident's text stays out of the log; the error names the failure.
        logger.warning(
            "Nominatim %s at %s failed: %s: %s", what, self.url, type(exc).__name__, str(exc)[:200]
        )
