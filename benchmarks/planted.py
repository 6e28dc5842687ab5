"""Planted problem places in a Milwaukee-like background: concerns whose true places are known.

`planted(size, seed)` returns `size` concerns over the last 90 days:

- `places` (default 120) problem places at real address points of the city package, picked
  at random (by the seed) across the city, no two within MIN_SEPARATION_M of each other. Each
  has 4-25 reports. A third are reported under related categories (half of them a drug house:
  drug_activity, nuisance_property, loitering, shots_fired; half a blight place:
  vacant_building, illegal_dumping, graffiti), the others under one category, any of the
  city's. 70% of each place's reports lie exactly on the address point, the rest 20-70 m
  away (uniform distance, random direction), as block and corner reports land.
- the rest, the background: Milwaukee's 2023 WIBR incident points sampled with replacement,
  each moved by a normal offset of sigma `jitter_m` (default 40 m) on each axis, with
  categories drawn by BACKGROUND_WEIGHTS.

Everything is determined by the seed except the end of the 90 days, which is today's UTC
midnight unless `now` is given. `write_csv` writes the `id,lat,lon,reported_at,category`
file `flask cluster-csv IN OUT` reads (ids are 1..size in row order); `write_truth` the
`id,place` file (-1: background).

Usage: PYTHONPATH=. python benchmarks/planted.py SIZE OUT.csv [--seed 7] [--truth TRUTH.csv]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CITY_DIR = ROOT / "maps" / "milwaukee"
DAYS = 90
REPORTS = (4, 25)  # reports per place, inclusive
RELATED_SHARE = 1 / 3  # places reported under related categories
AT_POINT_SHARE = 0.7  # of each place's reports: exactly on the address point
OFFSET_M = (20.0, 70.0)  # the others: this far away, uniform, in a random direction
MIN_SEPARATION_M = 200.0  # planted places are distinct places
JITTER_M = 40.0
RELATED = {
    "drug_house": ("drug_activity", "nuisance_property", "loitering", "shots_fired"),
    "blight": ("vacant_building", "illegal_dumping", "graffiti"),
}
# Background categories: roughly what residents report to a community prosecution unit
# (dumping, speeding and drugs most, prostitution least). Sums to 1.
BACKGROUND_WEIGHTS = {
    "shots_fired": 0.08,
    "violent_crime": 0.06,
    "drug_activity": 0.10,
    "prostitution": 0.02,
    "loitering": 0.07,
    "nuisance_property": 0.08,
    "vacant_building": 0.06,
    "illegal_dumping": 0.12,
    "graffiti": 0.06,
    "reckless_driving": 0.14,
    "noise": 0.09,
    "streetlight_out": 0.06,
    "other": 0.06,
}


@dataclass
class Planted:
    """Concerns, one entry per array position; x, y in the city's metric CRS."""

    x: np.ndarray
    y: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    category: np.ndarray  # city category codes (str)
    reported_at: np.ndarray  # epoch seconds (int64, UTC)
    place: np.ndarray  # planted place index, -1 for background
    address: np.ndarray  # (places, 2): each place's address point x, y

    @property
    def id(self) -> np.ndarray:
        """The ids written to the CSV: 1..size in row order."""
        return np.arange(1, len(self.x) + 1)

    def __len__(self) -> int:
        return len(self.x)


def planted(
    size: int,
    seed: int,
    places: int = 120,
    jitter_m: float = JITTER_M,
    now: datetime | None = None,
) -> Planted:
    """`size` concerns: `places` planted problem places plus a WIBR-shaped background."""
    from community.geo.citypkg import to_lonlat

    rng = np.random.default_rng(seed)
    address = _place_points(places, rng)
    px, py, pcat, pplace = _place_reports(address, rng)
    if len(px) > size:
        raise ValueError(f"{places} places need {len(px)} reports, more than size={size}")
    bx, by, bcat = _background(size - len(px), jitter_m, rng)
    x, y = np.concatenate([px, bx]), np.concatenate([py, by])
    category = np.concatenate([pcat, bcat])
    place = np.concatenate([pplace, np.full(len(bx), -1, dtype=np.int64)])
    order = rng.permutation(size)  # places' reports not first in the file
    x, y, category, place = x[order], y[order], category[order], place[order]
    lon, lat = to_lonlat(_city(), x, y)
    return Planted(
        x=x,
        y=y,
        lon=lon,
        lat=lat,
        category=category,
        reported_at=_times(size, rng, now),
        place=place,
        address=address,
    )


def write_csv(data: Planted, path: str | Path) -> None:
    """The `id,lat,lon,reported_at,category` CSV (reported_at ISO 8601, UTC)."""
    stamps = pd.to_datetime(data.reported_at, unit="s", utc=True)
    frame = pd.DataFrame(
        {
            "id": data.id,
            "lat": np.round(data.lat, 7),
            "lon": np.round(data.lon, 7),
            "reported_at": stamps.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "category": data.category,
        }
    )
    frame.to_csv(path, index=False)


def write_truth(data: Planted, path: str | Path) -> None:
    """The `id,place` CSV: each concern's planted place, -1 for background."""
    pd.DataFrame({"id": data.id, "place": data.place}).to_csv(path, index=False)


@lru_cache(maxsize=1)
def _city():
    from community.geo.citypkg import load_city

    return load_city(CITY_DIR)


@lru_cache(maxsize=1)
def _address_xy() -> np.ndarray:
    """The city's distinct address points, (n, 2) metres."""
    from community.geo.citypkg import load_address_points

    frame = load_address_points(_city())
    return np.unique(frame[["x", "y"]].to_numpy(), axis=0)


@lru_cache(maxsize=1)
def _incident_xy() -> np.ndarray:
    """Milwaukee's 2023 WIBR incident points, (n, 2) metres."""
    from community.geo.citypkg import to_metres

    city = _city()
    frame = pd.read_csv(city.file("wibr_crime_2023_jan_sep.csv.gz"), usecols=["lat", "lon"])
    frame = frame.dropna()
    x, y = to_metres(city, frame.lon.to_numpy(), frame.lat.to_numpy())
    return np.column_stack([x, y])


def _place_points(count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` random address points, none within MIN_SEPARATION_M of one taken before."""
    points = _address_xy()
    taken: list[np.ndarray] = []
    for index in rng.permutation(len(points)):
        point = points[index]
        if all(np.hypot(*(point - other)) >= MIN_SEPARATION_M for other in taken):
            taken.append(point)
            if len(taken) == count:
                return np.array(taken)
    raise ValueError(f"cannot place {count} places {MIN_SEPARATION_M:g} m apart")


def _place_reports(
    address: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every place's reports: x, y, category, place index."""
    xs, ys, categories, indexes = [], [], [], []
    related = _related_places(len(address), rng)
    codes = list(BACKGROUND_WEIGHTS)
    for index, (ax, ay) in enumerate(address):
        count = int(rng.integers(REPORTS[0], REPORTS[1] + 1))
        at_point = round(AT_POINT_SHARE * count)
        distance = np.concatenate([np.zeros(at_point), rng.uniform(*OFFSET_M, count - at_point)])
        angle = rng.uniform(0, 2 * np.pi, count)
        xs.append(ax + distance * np.cos(angle))
        ys.append(ay + distance * np.sin(angle))
        choices = RELATED[related[index]] if index in related else (rng.choice(codes),)
        categories.append(rng.choice(choices, count))
        indexes.append(np.full(count, index, dtype=np.int64))
    return (
        np.concatenate(xs),
        np.concatenate(ys),
        np.concatenate(categories).astype(str),
        np.concatenate(indexes),
    )


def _related_places(count: int, rng: np.random.Generator) -> dict[int, str]:
    """A third of the places, half drug houses and half blight places."""
    chosen = rng.choice(count, round(RELATED_SHARE * count), replace=False)
    kinds = list(RELATED)
    return {int(place): kinds[i % len(kinds)] for i, place in enumerate(chosen)}


def _background(
    count: int, jitter_m: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`count` jittered WIBR incident points with BACKGROUND_WEIGHTS categories."""
    incidents = _incident_xy()
    pick = rng.integers(0, len(incidents), count)
    x = incidents[pick, 0] + rng.normal(0, jitter_m, count)
    y = incidents[pick, 1] + rng.normal(0, jitter_m, count)
    codes = np.array(list(BACKGROUND_WEIGHTS))
    weights = np.array(list(BACKGROUND_WEIGHTS.values()))
    category = codes[rng.choice(len(codes), count, p=weights / weights.sum())]
    return x, y, category.astype(str)


def _times(count: int, rng: np.random.Generator, now: datetime | None) -> np.ndarray:
    """Epoch seconds spread uniformly over the DAYS before `now` (default today, UTC)."""
    end = now or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    offsets = rng.uniform(0, DAYS * 86400, count).astype(np.int64)
    return int(end.timestamp()) - offsets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--places", type=int, default=120)
    parser.add_argument("--jitter-m", type=float, default=JITTER_M)
    parser.add_argument("--truth", help="also write the id,place truth CSV here")
    args = parser.parse_args()
    data = planted(args.size, args.seed, args.places, args.jitter_m)
    write_csv(data, args.out)
    if args.truth:
        write_truth(data, args.truth)


if __name__ == "__main__":
    main()
