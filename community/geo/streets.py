"""The city's streets, from its address points and arterial centerlines.

Each street (direction, name, type; e.g. N 35TH ST) keeps its address numbers and positions in
metres, so that the geocoder can find an exact address, interpolate a missing number along the
same side, find the middle of a hundred block, and move a parcel point onto the street in
front of it (police and 911 locations sit on the centerline, about 30 m from the parcel).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein
from scipy.spatial import cKDTree
from shapely.geometry import LineString, MultiLineString, Point

from community.geo.address import STREET_ALIASES, normalize_street
from community.geo.citypkg import (
    CityPackage,
    load_address_points,
    load_city,
    read_geojson,
    to_metres,
)

StreetKey = tuple[str, str, str]  # (direction, name, type) in the City's vocabulary

FUZZY_MIN_LENGTH = 5  # shorter names are too easy to confuse ("MAIN" ~ "MARIN")
FUZZY_CUTOFF = 84.0
CENTERLINE_SNAP_M = 60.0  # an arterial centerline this close is the street in front
MAX_FROM_POINTS_M = 250.0  # a fitted position this far from every address point is no position


@dataclass
class Street:
    """One street's address points, sorted by number."""

    key: StreetKey
    numbers: np.ndarray
    x: np.ndarray
    y: np.ndarray
    suffixes: dict[int, str] = field(default_factory=dict)  # row -> "A", only where there is one
    lines: MultiLineString | None = None
    _tree: cKDTree | None = field(default=None, repr=False)

    @property
    def tree(self) -> cKDTree:
        if self._tree is None:
            self._tree = cKDTree(np.column_stack([self.x, self.y]))
        return self._tree

    def side(self, parity: int) -> np.ndarray:
        """Row positions of the even (0) or odd (1) side."""
        return np.flatnonzero(self.numbers % 2 == parity)


class StreetIndex:
    """Street names, their address points and arterial centerlines, for one city."""

    def __init__(
        self,
        points: pd.DataFrame,
        roads: list[tuple[StreetKey, LineString]],
        aliases: dict[str, str] | None = None,
        former_names: dict[str, list[str]] | None = None,
        numbered_parallel: bool = False,
    ) -> None:
        self.numbered_parallel = numbered_parallel
        # Where two streets meet, filled by the geocoder as corners are asked for.
        self.meets: dict[tuple[StreetKey, StreetKey], list[tuple[float, float]]] = {}
        self.streets: dict[StreetKey, Street] = {}
        frame = points.sort_values(["street", "direction", "street_type", "number", "suffix"])
        grouped = frame.groupby(["direction", "street", "street_type"], sort=False, observed=True)
        for key, rows in grouped:
            key = tuple(str(part) for part in key)
            suffixes = rows["suffix"].astype(str).to_numpy()
            self.streets[key] = Street(
                key=key,
                numbers=rows["number"].to_numpy(dtype=np.int64),
                x=rows["x"].to_numpy(dtype=float),
                y=rows["y"].to_numpy(dtype=float),
                suffixes={i: str(v) for i, v in enumerate(suffixes) if v},
            )
        self.names: dict[str, list[StreetKey]] = {}
        for key in self.streets:
            self.names.setdefault(key[1], []).append(key)
        self._attach_roads(roads)
        self.aliases = {**STREET_ALIASES, **(aliases or {})}
        self.aliases = {k: v for k, v in self.aliases.items() if v in self.names}
        self.former_names = {
            k: [n for n in v if n in self.names] for k, v in (former_names or {}).items()
        }
        self._fuzzy_choices = [
            n for n in self.names if len(n) >= FUZZY_MIN_LENGTH and not n[0].isdigit()
        ]
        self.max_name_words = max(len(n.split()) for n in self.names)
        self._short_names = _short_names(self.names)
        self._longer: dict[str, list[str]] = {}
        for full in self.names:
            words = full.split()
            if len(words) > 1 and not words[-1][0].isdigit():
                self._longer.setdefault(words[-1], []).append(full)

    def _attach_roads(self, roads: list[tuple[StreetKey, LineString]]) -> None:
        by_key: dict[StreetKey, list[LineString]] = {}
        for key, line in roads:
            if key in self.streets:
                by_key.setdefault(key, []).append(line)
            else:
                # OSM sometimes omits the direction: attach to the one street of that name+type.
                matches = [k for k in self.names.get(key[1], []) if k[2] == key[2] and not key[0]]
                if len(matches) == 1:
                    by_key.setdefault(matches[0], []).append(line)
        for key, lines in by_key.items():
            self.streets[key].lines = MultiLineString(lines)

    # -- names -------------------------------------------------------------------------------

    def canonical_name(self, name: str) -> str | None:
        """The City's name for a street name a resident wrote exactly (aliases included)."""
        name = self.aliases.get(name, name)
        return name if name in self.names else None

    def fuzzy_name(self, name: str) -> str | None:
        """The City's name closest to a misspelt one ("BURLIEGH" -> "BURLEIGH"), if close enough.

        Also the everyday short form of a longer official name ("MITCHELL" for HISTORIC
        MITCHELL) when only one street ends that way.
        """
        names = self.fuzzy_names(name)
        return names[0] if names else None

    def fuzzy_names(self, name: str) -> tuple[str, ...]:
        """The City's names closest to a misspelt one; several when they are equally close
        ("MICHELL": MITCHELL or MICHELLE), so that the words around can settle it or we ask."""
        if name in self._short_names:
            return (self._short_names[name],)
        if len(name) < FUZZY_MIN_LENGTH or name[0].isdigit():
            return ()
        return _fuzzy(name, tuple(self._fuzzy_choices))

    def keys(self, name: str, direction: str = "", street_type: str = "") -> list[StreetKey]:
        """Streets with that name (and direction and type, when given), former names included."""
        names = [name, *self.former_names.get(name, [])]
        found = []
        for candidate in names:
            for key in self.names.get(candidate, []):
                if direction and key[0] and key[0] != direction:
                    continue
                if street_type and candidate == name and key[2] != street_type:
                    continue
                found.append(key)
        if not found and street_type:  # a wrong type ("35th Ave") still names the street
            return self.keys(name, direction)
        if not found and direction:  # a wrong direction too
            return self.keys(name, "", street_type)
        return found

    def longer_keys(self, name: str, direction: str, street_type: str) -> list[StreetKey]:
        """Streets whose longer name ends with this one (same direction and type when given):
        "W Mitchell St" for W HISTORIC MITCHELL ST (the City renamed one stretch of it)."""
        return [
            key
            for full in self._longer.get(name, [])
            for key in self.names[full]
            if (not direction or key[0] == direction) and (not street_type or key[2] == street_type)
        ]

    # -- positions ---------------------------------------------------------------------------

    def exact(self, key: StreetKey, number: int, suffix: str = "") -> tuple[float, float] | None:
        """The City's point for number (and suffix) on the street, if it has that address.

        The parcel point itself: it is the house the resident means. (Measured against the
        police's own street-centreline locations, moving it onto the street does not bring it
        closer: see benchmarks/geocode_accuracy.py.)
        """
        street = self.streets[key]
        first = int(np.searchsorted(street.numbers, number))
        last = int(np.searchsorted(street.numbers, number, side="right"))
        rows = range(first, last)
        pos = next((r for r in rows if street.suffixes.get(r, "") == suffix), None)
        if pos is None and suffix:
            pos = next((r for r in rows if r not in street.suffixes), None)
        if pos is None:
            return None
        return float(street.x[pos]), float(street.y[pos])

    def interpolate(self, key: StreetKey, number: int) -> tuple[float, float] | None:
        """Where a number the City has no point for would be, between its neighbours."""
        street = self.streets[key]
        side = street.numbers[street.side(number % 2)]
        if side.size == 0 or not side[0] < number < side[-1]:
            return None  # beyond the street's ends: no invented point
        upper = int(np.searchsorted(side, number))
        if side[upper] - side[upper - 1] > 400:
            return None  # a gap of blocks: the street may not run there
        return self.position(key, number)

    def block(
        self, key: StreetKey, hundred: int, middle: bool = True
    ) -> tuple[float, float] | None:
        """A hundred block on the street: its middle, or where its first number would be."""
        street = self.streets[key]
        if not street.numbers[0] - 100 < hundred < street.numbers[-1] + 1:
            return None
        return self.position(key, hundred + 50 if middle else hundred, reach=100)

    def position(self, key: StreetKey, number: int, reach: int = 0) -> tuple[float, float] | None:
        """Where a house number falls on the street's centerline, as a centerline geocoder does.

        Along the street: a line fitted through the nearby numbers' positions (so one big
        parcel whose middle is far from its door does not pull the point). Across: halfway
        between the two sides' parcels, or the arterial centerline when only one side is built.
        """
        street = self.streets[key]
        for window in (100, 250, 600):
            lo = int(np.searchsorted(street.numbers, number - window))
            hi = int(np.searchsorted(street.numbers, number + window, side="right"))
            if hi - lo >= 4:
                break
        else:
            return None
        nums = street.numbers[lo:hi].astype(float)
        if not nums[0] - reach <= number <= nums[-1] + reach:
            return None
        points = np.column_stack([street.x[lo:hi], street.y[lo:hi]])
        centre = points.mean(axis=0)
        _, _, vt = np.linalg.svd(points - centre, full_matrices=False)
        along_dir = vt[0]
        along = (points - centre) @ along_dir
        if np.ptp(nums) == 0 or np.ptp(along) < 5:
            return None
        slope, intercept = _robust_line(nums, along)
        if slope == 0:
            return None
        normal = np.array([-along_dir[1], along_dir[0]])
        across = (points - centre) @ normal
        odd = nums % 2 == 1
        if odd.any() and (~odd).any():
            offset = (np.median(across[odd]) + np.median(across[~odd])) / 2
        else:
            offset = np.median(across)
        point = centre + (intercept + slope * number) * along_dir + offset * normal
        if np.min(np.hypot(*(points - point).T)) > MAX_FROM_POINTS_M:
            return None  # the fit strays from the street (a bend, or two pieces of one name)
        if odd.any() and (~odd).any():
            return float(point[0]), float(point[1])
        return self._onto_line(street, float(point[0]), float(point[1]))

    def _onto_line(self, street: Street, x: float, y: float) -> tuple[float, float]:
        if street.lines is not None:
            here = Point(x, y)
            if street.lines.distance(here) <= CENTERLINE_SNAP_M:
                snapped = street.lines.interpolate(street.lines.project(here))
                return snapped.x, snapped.y
        return x, y


def _robust_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares line refitted without outliers (big parcels far from their door)."""
    keep = np.ones(x.size, dtype=bool)
    slope = intercept = 0.0
    for _ in range(2):
        if keep.sum() < 2 or np.ptp(x[keep]) == 0:
            break
        slope, intercept = np.polyfit(x[keep], y[keep], 1)
        residual = np.abs(y - (intercept + slope * x))
        limit = max(3.0 * np.median(residual[keep]), 15.0)
        keep = residual <= limit
    return float(slope), float(intercept)


def _short_names(names: dict[str, list]) -> dict[str, str]:
    """Last words of multi-word names that stand for one street only (and are no name themselves)."""
    tails: dict[str, set[str]] = {}
    for name in names:
        words = name.split()
        for cut in range(1, len(words)):
            tail = " ".join(words[cut:])
            if len(tail) >= 5 and not tail[0].isdigit():
                tails.setdefault(tail, set()).add(name)
    return {
        tail: next(iter(full))
        for tail, full in tails.items()
        if len(full) == 1 and tail not in names
    }


@lru_cache(maxsize=4096)
def _fuzzy(name: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    """Closest names with the same first letter (residents rarely mistype the first one)."""
    same_start = tuple(c for c in choices if c[0] == name[0])
    found = process.extract(name, same_start, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=3)
    if not found:  # "CENTRE" for CENTER: a swapped pair of letters
        found = process.extract(
            name, same_start, scorer=DamerauLevenshtein.normalized_similarity, score_cutoff=0.8,
            limit=3,
        )  # fmt: skip
    if not found:
        return ()
    best = found[0][1]
    return tuple(choice for choice, score, _ in found if score >= best - 1e-9)


def _road_keys(city: CityPackage) -> list[tuple[StreetKey, LineString]]:
    spec = city.manifest.get("roads")
    if not spec:
        return []
    roads = []
    for props, geometry in read_geojson(city.file(spec["file"])):
        name = props.get(spec.get("name_field", "name"))
        if not name or geometry.is_empty:
            continue
        parts = normalize_street(str(name)).split()
        key = _split_key(parts)
        if key is None:
            continue
        lines = shapely.get_parts(geometry)
        for line in lines:
            coords = np.asarray(line.coords)
            x, y = to_metres(city, coords[:, 0], coords[:, 1])
            roads.append((key, LineString(np.column_stack([x, y]))))
    return roads


def _split_key(parts: list[str]) -> StreetKey | None:
    from community.geo.address import DIRECTIONS, STREET_TYPES

    if len(parts) < 2:
        return None
    direction = parts[0] if parts[0] in DIRECTIONS.values() else ""
    body = parts[1:] if direction else parts
    street_type = body[-1] if len(body) > 1 and body[-1] in STREET_TYPES.values() else ""
    name = " ".join(body[:-1] if street_type else body)
    return (direction, name, street_type) if name else None


@lru_cache(maxsize=4)
def _index_for(path: str) -> StreetIndex:
    city = load_city(path)
    streets = city.manifest.get("streets", {})
    return StreetIndex(
        load_address_points(city),
        _road_keys(city),
        aliases=streets.get("aliases"),
        former_names=streets.get("former_names"),
        numbered_parallel=bool(streets.get("numbered_streets_parallel")),
    )


def street_index(city: CityPackage) -> StreetIndex:
    """The (cached) street index of a city package."""
    return _index_for(str(city.path))
