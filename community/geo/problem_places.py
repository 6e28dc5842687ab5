"""Problem places: spots where concerns stand out from their surroundings, at any density.

A hotspot is one place an agency can own and fix (a property, a corner, a block face), not
a neighbourhood: crime concentrates at micro places (Weisburd's law of crime concentration).
Fixed-radius density clustering (DBSCAN 150 m, 3) chains through dense blocks into blobs
kilometres wide at a real city's volume, so places are found as local peaks instead:

1. Every distinct spot (positions rounded to ``spot_m``) is a candidate centre. Around it,
   the reports are counted at a few scales: the spot itself (one address point: the same
   house reported again), a lot (``scales_m``, say 25 m) and a block face (55 m).
2. The surroundings give what chance alone would put there: the density of reports in a
   ring out to ``background_m`` (on a coarse grid, cheap at any size), times each scale's
   area. A candidate stands out when, at some scale, it has at least ``min_reports`` reports
   and Poisson chance would give that many with probability below ``significance``
   (divided by the number of scales tested). In a dense neighbourhood a place must be far
   denser than its neighbours; in a quiet one a few reports on one corner are enough.
3. Candidates that stand out are taken as centres where reports gather most (the most
   reports within half the radius, then the most at the spot itself: a place is centred on
   its house, not on a map tap beside it); one within ``radius_m`` of a centre already
   taken is the same place (a house and its corner). Every report joins the nearest centre
   within ``radius_m``, or none.

So a place is never wider than ``radius_m``, whether the city sends 2,000 or a million
reports, and a city is never one hotspot. Neighbourhood-wide patterns are the Gi* heat
layer's job (hotstats.py). Run per problem family (categories that are one problem at one
place, in the category table), so speeding on an arterial never joins the drug house beside it.
Pure computation: numpy, scipy; no database, no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree
from scipy.stats import poisson


@dataclass(frozen=True)
class PlaceRule:
    """What makes a problem place; every distance in metres."""

    radius_m: float = 80.0  # a place's reach from its centre: a property, its corner, a face
    min_reports: int = 3  # fewest reports at the scale a place stands out at
    significance: float = 1e-5  # chance of that many reports from the surroundings alone
    background_m: float = 600.0  # half-width of the surroundings' square
    scales_m: tuple[float, ...] = (1.0, 25.0, 55.0)  # radii tested: an address, a lot, a block
    spot_m: float = 1.0  # positions this close are one spot (one address point)
    cell_m: float = 100.0  # cell of the surroundings' grid

    def __post_init__(self) -> None:
        if self.radius_m <= 0 or self.background_m <= self.radius_m:
            raise ValueError("need 0 < radius_m < background_m")
        if self.min_reports < 2:
            raise ValueError("min_reports must be at least 2")
        if not 0 < self.significance < 1:
            raise ValueError("significance must be between 0 and 1")
        if not self.scales_m or min(self.scales_m) <= 0 or max(self.scales_m) > self.radius_m:
            raise ValueError("scales_m must be positive and at most radius_m")


def find_places(
    x_m: Any, y_m: Any, family: Any | None = None, rule: PlaceRule | None = None
) -> np.ndarray:
    """One label per report: the problem place it belongs to, or -1 for none.

    ``family`` (one entry per report, any hashable codes) keeps unrelated problems apart:
    places are found in each family on its own. Labels are unique across families.
    """
    rule = rule or PlaceRule()
    x = np.asarray(x_m, dtype=float).ravel()
    y = np.asarray(y_m, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError("x_m and y_m must have the same length")
    if family is None:
        return _places(x, y, rule)
    family = np.asarray(family).ravel()
    if family.shape != x.shape:
        raise ValueError("family must have one entry per report")
    labels = np.full(len(x), -1, dtype=np.int64)
    offset = 0
    for code in _distinct(family):
        where = np.flatnonzero(family == code)
        found = _places(x[where], y[where], rule)
        inside = found >= 0
        labels[where[inside]] = found[inside] + offset
        offset += int(found.max()) + 1 if inside.any() else 0
    return labels


def radius_p90(x_m: Any, y_m: Any, labels: Any) -> dict[int, float]:
    """Each place's 90th-percentile distance (metres) of its members from their mean."""
    x = np.asarray(x_m, dtype=float).ravel()
    y = np.asarray(y_m, dtype=float).ravel()
    labels = np.asarray(labels).ravel()
    keep = labels >= 0
    if not keep.any():
        return {}
    x, y, labels = x[keep], y[keep], labels[keep]
    order = np.argsort(labels, kind="stable")
    x, y, labels = x[order], y[order], labels[order]
    unique, starts, counts = np.unique(labels, return_index=True, return_counts=True)
    cx = np.add.reduceat(x, starts) / counts
    cy = np.add.reduceat(y, starts) / counts
    index = np.repeat(np.arange(len(unique)), counts)
    distance = np.hypot(x - cx[index], y - cy[index])
    return {
        int(label): float(np.percentile(distance[start : start + count], 90))
        for label, start, count in zip(unique, starts, counts, strict=True)
    }


def _distinct(values: np.ndarray) -> list[Any]:
    """Distinct values in first-seen order (object arrays of mixed types included)."""
    return list(dict.fromkeys(values.tolist()))


def _places(x: np.ndarray, y: np.ndarray, rule: PlaceRule) -> np.ndarray:
    """Labels for one family's reports."""
    labels = np.full(len(x), -1, dtype=np.int64)
    if len(x) < rule.min_reports:
        return labels
    spots = _spots(x, y, rule.spot_m)
    tree = cKDTree(np.column_stack([x, y]))
    standing_out = _stand_out(tree, x, y, spots, rule)
    gathered = tree.query_ball_point(spots[standing_out], rule.radius_m / 2, return_length=True)
    at_spot = tree.query_ball_point(spots[standing_out], rule.spot_m, return_length=True)
    order = np.lexsort((-at_spot, -gathered))
    centres = _centres(spots[standing_out][order], rule.radius_m)
    if len(centres) == 0:
        return labels
    distance, nearest = cKDTree(centres).query(
        np.column_stack([x, y]), distance_upper_bound=rule.radius_m
    )
    found = np.isfinite(distance)
    labels[found] = nearest[found]
    return _renumber(labels, rule.min_reports)


def _spots(x: np.ndarray, y: np.ndarray, spot_m: float) -> np.ndarray:
    """Distinct spots: the mean position of the reports that round to each."""
    keys = np.column_stack([np.round(x / spot_m), np.round(y / spot_m)]).astype(np.int64)
    _, spot_of, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    spot_of = spot_of.ravel()
    sx = np.bincount(spot_of, weights=x) / counts
    sy = np.bincount(spot_of, weights=y) / counts
    return np.column_stack([sx, sy])


def _stand_out(
    tree: cKDTree, x: np.ndarray, y: np.ndarray, spots: np.ndarray, rule: PlaceRule
) -> np.ndarray:
    """Which spots stand out from their surroundings at some scale (a boolean per spot)."""
    density = _surroundings(x, y, spots, rule)
    threshold = np.log(rule.significance / len(rule.scales_m))  # Bonferroni over the scales
    found = np.zeros(len(spots), dtype=bool)
    for radius in rule.scales_m:
        count = tree.query_ball_point(spots, radius, return_length=True)
        expected = np.maximum(density * np.pi * radius**2, 1e-12)
        found |= (count >= rule.min_reports) & (poisson.logsf(count - 1, expected) <= threshold)
    return found


def _surroundings(x: np.ndarray, y: np.ndarray, spots: np.ndarray, rule: PlaceRule) -> np.ndarray:
    """Reports per square metre around each spot: a square of half-width background_m, less
    the 3x3 cells around the spot (the place itself must not set its own yardstick)."""
    cell = rule.cell_m
    x0, y0 = float(x.min()), float(y.min())
    ix = ((x - x0) // cell).astype(np.int64)
    iy = ((y - y0) // cell).astype(np.int64)
    nx, ny = int(ix.max()) + 1, int(iy.max()) + 1
    grid = np.bincount(iy * nx + ix, minlength=nx * ny).reshape(ny, nx)
    table = np.zeros((ny + 1, nx + 1), dtype=np.int64)
    table[1:, 1:] = grid.cumsum(0).cumsum(1)
    sx = np.clip(((spots[:, 0] - x0) // cell).astype(np.int64), 0, nx - 1)
    sy = np.clip(((spots[:, 1] - y0) // cell).astype(np.int64), 0, ny - 1)
    outer = max(1, round(rule.background_m / cell))
    count_out, area_out = _box(table, sy, sx, outer, nx, ny)
    count_in, area_in = _box(table, sy, sx, 1, nx, ny)
    ring_cells = np.maximum(area_out - area_in, 1)
    return (count_out - count_in) / (ring_cells * cell * cell)


def _box(
    table: np.ndarray, iy: np.ndarray, ix: np.ndarray, half: int, nx: int, ny: int
) -> tuple[np.ndarray, np.ndarray]:
    """Count in, and number of cells of, the square of half-width ``half`` cells around each
    cell, clipped to the grid (a summed-area table: four look-ups each)."""
    top, bottom = np.clip(iy - half, 0, ny), np.clip(iy + half + 1, 0, ny)
    left, right = np.clip(ix - half, 0, nx), np.clip(ix + half + 1, 0, nx)
    count = table[bottom, right] - table[top, right] - table[bottom, left] + table[top, left]
    return count, (bottom - top) * (right - left)


def _centres(spots: np.ndarray, reach: float) -> np.ndarray:
    """The spots (best first) that are not within ``reach`` of a better one taken before."""
    taken: dict[tuple[int, int], list[int]] = {}
    centres: list[int] = []
    for spot in range(len(spots)):
        px, py = spots[spot]
        gx, gy = int(px // reach), int(py // reach)
        if any(
            (spots[other, 0] - px) ** 2 + (spots[other, 1] - py) ** 2 < reach**2
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for other in taken.get((gx + dx, gy + dy), ())
        ):
            continue
        taken.setdefault((gx, gy), []).append(spot)
        centres.append(spot)
    return spots[centres]


def _renumber(labels: np.ndarray, min_reports: int) -> np.ndarray:
    """Drop places with fewer than min_reports members; labels 0..k-1 by first appearance."""
    inside = labels >= 0
    if not inside.any():
        return labels
    unique, inverse, counts = np.unique(labels[inside], return_inverse=True, return_counts=True)
    keep = counts >= min_reports
    new = np.full(len(unique), -1, dtype=np.int64)
    new[keep] = np.arange(int(keep.sum()))
    out = np.full(len(labels), -1, dtype=np.int64)
    out[inside] = new[inverse.ravel()]
    return out
