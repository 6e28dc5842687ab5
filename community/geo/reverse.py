"""Point -> Place: what a resident's tap on the web map is next to.

The tapped point is the truth (the resident saw the spot on the map); the nearest City address
point only names it ("near 2847 N 35th St"), with a confidence that falls with its distance.
"""

from __future__ import annotations

import math
import string
from dataclasses import replace
from functools import lru_cache

import numpy as np
from sklearn.neighbors import KDTree

from community.geo.address import format_address
from community.geo.citypkg import CityPackage, load_city, to_metres
from community.geo.context import annotate, area_locator
from community.geo.place import Place
from community.geo.streets import street_index

DEFAULT_MAX_DISTANCE_M = 250.0
NEAR_CONFIDENCE = 0.9  # the tap is on the address point itself
FAR_CONFIDENCE = 0.5  # the nearest address is max_distance_m away
AREA_CONFIDENCE = 0.3  # no address close enough: only the neighbourhood names the point
AREA_KIND = "neighborhood"
TIE_M = 1.0  # address points this much farther than the nearest count as the same spot
TIE_CANDIDATES = 8


class _AddressTree:
    """A KDTree over a city's address points in metres, with the columns a label needs."""

    def __init__(self, city: CityPackage) -> None:
        # Built from the street index's arrays, so the address file is read once per process.
        streets = list(street_index(city).streets.values())
        self.tree = KDTree(
            np.column_stack(
                [np.concatenate([s.x for s in streets]), np.concatenate([s.y for s in streets])]
            )
        )
        self.number = np.concatenate([s.numbers for s in streets])
        self._street_of = np.repeat(np.arange(len(streets)), [s.numbers.size for s in streets])
        self._first_row = np.cumsum([0] + [s.numbers.size for s in streets])
        self._streets = streets

    def _suffix(self, row: int) -> str:
        street = int(self._street_of[row])
        return self._streets[street].suffixes.get(row - int(self._first_row[street]), "")

    def nearest(self, x: float, y: float) -> tuple[int, float]:
        """Row and distance (metres) of the address point nearest to (x, y).

        Units of one building often share a point (2845 and 2847 N 35th St): among points
        within TIE_M of the nearest, the lowest house number without a suffix wins, so the
        answer does not depend on the tree's internal order.
        """
        k = min(TIE_CANDIDATES, len(self.number))
        distances, rows = self.tree.query(np.array([[x, y]]), k=k)
        nearest = float(distances[0][0])
        tied = [int(r) for d, r in zip(distances[0], rows[0], strict=True) if d <= nearest + TIE_M]
        row = min(tied, key=lambda r: (self._suffix(r) != "", int(self.number[r]), r))
        return row, nearest

    def label(self, row: int) -> str:
        direction, street, street_type = self._streets[int(self._street_of[row])].key
        return format_address(
            int(self.number[row]), self._suffix(row), direction, street, street_type
        )


@lru_cache(maxsize=4)
def _tree_for(path: str) -> _AddressTree:
    return _AddressTree(load_city(path))


@lru_cache(maxsize=4)
def _area_names(path: str) -> dict[tuple[str, str], str]:
    return {(s.kind, s.code): s.name for s in area_locator(load_city(path)).shapes}


def _coordinates(lon: object, lat: object) -> tuple[float, float] | None:
    try:
        lon_f, lat_f = float(lon), float(lat)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)):
        return None
    if not (-180.0 <= lon_f <= 180.0 and -90.0 <= lat_f <= 90.0):
        return None
    return lon_f, lat_f


def _confidence(distance_m: float, max_distance_m: float) -> float:
    share = min(max(distance_m / max_distance_m, 0.0), 1.0) if max_distance_m > 0 else 0.0
    return NEAR_CONFIDENCE - (NEAR_CONFIDENCE - FAR_CONFIDENCE) * share


def _area_label(city: CityPackage, areas: dict[str, str]) -> str:
    code = areas.get(AREA_KIND)
    if code is None:
        return city.name
    name = _area_names(str(city.path)).get((AREA_KIND, code), code)
    return string.capwords(name.lower())


def reverse_geocode(
    city: CityPackage, lon: float, lat: float, max_distance_m: float = DEFAULT_MAX_DISTANCE_M
) -> Place:
    """Name the point a resident tapped: the nearest address within max_distance_m, else its area.

    Returns kind "address" (lat/lon = the tapped point, label "near <address>", confidence 0.9 at
    0 m falling to 0.5 at max_distance_m); kind "area" labelled with the neighbourhood when no
    address is that close; kind "none" with in_city False outside the city limits; and
    Place.none() for non-finite or out-of-range coordinates. Never raises for bad coordinates.
    """
    coords = _coordinates(lon, lat)
    if coords is None:
        return Place.none()
    lon_f, lat_f = coords
    point = annotate(
        city, Place(kind="area", lat=lat_f, lon=lon_f, label="", confidence=AREA_CONFIDENCE)
    )
    if not city.manifest.get("city_limits"):
        # Without a city-limits layer, being inside any area layer is the best we know.
        point = replace(point, in_city=bool(point.areas))
    if not point.in_city:
        return replace(Place.none(), in_city=False)

    tree = _tree_for(str(city.path))
    x, y = to_metres(city, lon_f, lat_f)
    row, distance = tree.nearest(float(x), float(y))
    if distance <= max_distance_m:
        return replace(
            point,
            kind="address",
            label=f"near {tree.label(row)}",
            confidence=_confidence(distance, max_distance_m),
        )
    return replace(point, label=_area_label(city, point.areas))
