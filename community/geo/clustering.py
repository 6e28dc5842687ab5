"""Density clustering of concern locations, and the outline and centre of a cluster."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from scipy.spatial import ConvexHull, QhullError
from sklearn.cluster import DBSCAN

from community.geo.citypkg import CityPackage, to_lonlat, to_metres

# Above this many points DBSCAN runs on grid cells instead of points (see cluster_points).
# 100k points still run exactly (about 0.6 s and 300 MB on Milwaukee-like densities).
GRID_ABOVE = 200_000


def cluster_points(
    x_m: Any, y_m: Any, eps_m: float = 150.0, min_samples: int = 3, *, grid_above: int = GRID_ABOVE
) -> np.ndarray:
    """DBSCAN on projected metres; returns one int label per point, -1 for noise.

    DBSCAN keeps every point's eps-neighbourhood in memory, which for dense city-wide inputs
    (a million points) exhausts memory (17 GB seen). Above ``grid_above`` points we snap points
    to a grid of eps/4 cells, cluster the occupied cells weighted by their point count
    (sample_weight), and give each point its cell's label. Snapping moves a point at most
    eps/4 * sqrt(2)/2 (~0.18 eps), a small blur for hotspot detection that bounds memory and
    time by the number of occupied cells rather than points.

    Below that, every point is clustered as it is. (Clustering repeated spots once, weighted,
    gives the same labels but is slower in scikit-learn, whose weighted path sums weights in
    a Python loop: measured 0.77 s against 0.52 s at 100k Milwaukee-like concerns.)
    """
    x = np.asarray(x_m, dtype=float).ravel()
    y = np.asarray(y_m, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError("x_m and y_m must have the same length")
    if len(x) == 0:
        return np.empty(0, dtype=np.int64)
    model = DBSCAN(eps=eps_m, min_samples=min_samples, algorithm="ball_tree")
    if len(x) <= grid_above:
        points = np.column_stack([x, y])
        unique, inverse, counts = np.unique(points, axis=0, return_inverse=True, return_counts=True)
        if len(unique) > 0.9 * len(points):  # few repeats: weighting would not pay
            return model.fit_predict(points).astype(np.int64)
        labels = model.fit_predict(unique, sample_weight=counts)
        return labels[inverse.ravel()].astype(np.int64)
    cell = eps_m / 4.0
    cells = np.column_stack([np.floor(x / cell), np.floor(y / cell)]).astype(np.int64)
    unique, inverse, counts = np.unique(cells, axis=0, return_inverse=True, return_counts=True)
    centres = (unique.astype(float) + 0.5) * cell
    labels = model.fit_predict(centres, sample_weight=counts)
    return labels[inverse.ravel()].astype(np.int64)


def cluster_by_group(
    x_m: Any,
    y_m: Any,
    groups: Any | None,
    eps_m: float = 150.0,
    min_samples: int = 3,
    *,
    grid_above: int = GRID_ABOVE,
) -> np.ndarray:
    """DBSCAN run separately per group (e.g. category group); labels unique across groups.

    With ``groups`` None every point is one group. Drug complaints and dumping on the same
    corner are different problems with different owners, so by default they do not share a
    hotspot.
    """
    x = np.asarray(x_m, dtype=float).ravel()
    y = np.asarray(y_m, dtype=float).ravel()
    if groups is None:
        return cluster_points(x, y, eps_m, min_samples, grid_above=grid_above)
    groups = np.asarray(groups).ravel()
    if groups.shape != x.shape:
        raise ValueError("groups must have one entry per point")
    labels = np.full(len(x), -1, dtype=np.int64)
    offset = 0
    for group in np.unique(groups):
        where = np.flatnonzero(groups == group)
        found = cluster_points(x[where], y[where], eps_m, min_samples, grid_above=grid_above)
        clustered = found >= 0
        labels[where[clustered]] = found[clustered] + offset
        offset += int(found.max()) + 1 if clustered.any() else 0
    return labels


def repeat_keys(keys: Any, times_s: Any, min_count: int = 3, days: float = 30.0) -> np.ndarray:
    """The keys (e.g. one address) reported at least min_count times within any span of days.

    A chronic-nuisance signal: the same address three times in thirty days. ``times_s`` are
    seconds (any epoch). Runs in O(n log n) with no per-key Python loop.
    """
    keys = np.asarray(keys).ravel()
    times = np.asarray(times_s, dtype=float).ravel()
    if keys.shape != times.shape:
        raise ValueError("keys and times must have the same length")
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    if len(keys) < min_count:
        return keys[:0]
    order = np.lexsort((times, keys))
    keys, times = keys[order], times[order]
    step = min_count - 1
    if step == 0:
        return np.unique(keys)
    same = keys[step:] == keys[:-step]
    close = (times[step:] - times[:-step]) <= days * 86400.0
    return np.unique(keys[:-step][same & close])


def centroid(lons: Any, lats: Any) -> tuple[float, float]:
    """Mean position of the points as (lon, lat); fine at city scale."""
    lons = np.asarray(lons, dtype=float)
    lats = np.asarray(lats, dtype=float)
    if lons.size == 0:
        raise ValueError("centroid of no points")
    return float(lons.mean()), float(lats.mean())


def hull_outline(lons: Any, lats: Any, buffer_m: float, city: CityPackage) -> dict[str, Any]:
    """Convex hull of the points buffered by buffer_m metres, as a GeoJSON geometry in lon/lat."""
    x, y = to_metres(city, np.atleast_1d(lons), np.atleast_1d(lats))
    if x.size == 0:
        raise ValueError("outline of no points")
    hull = shapely.multipoints(np.column_stack([x, y])).convex_hull
    if buffer_m > 0:
        hull = hull.buffer(buffer_m, quad_segs=8)

    def back(coords: np.ndarray) -> np.ndarray:
        lon, lat = to_lonlat(city, coords[:, 0], coords[:, 1])
        return np.column_stack([np.round(lon, 7), np.round(lat, 7)])

    return shapely.geometry.mapping(shapely.transform(hull, back))


def hull_outlines(
    x_m: Any, y_m: Any, labels: Any, buffer_m: float, city: CityPackage
) -> dict[int, dict[str, Any]]:
    """Buffered convex hulls of every label's points at once, as GeoJSON geometries by label.

    Each label's hull comes from qhull on its own points (only the hull's few vertices become
    shapely geometries), so a hundred thousand points cost tens of milliseconds.
    """
    labels = np.asarray(labels).ravel()
    keep = labels >= 0
    if not keep.any():
        return {}
    x = np.asarray(x_m, dtype=float).ravel()[keep]
    y = np.asarray(y_m, dtype=float).ravel()[keep]
    labels = labels[keep]
    order = np.argsort(labels, kind="stable")
    unique, starts = np.unique(labels[order], return_index=True)
    points = np.column_stack([x[order], y[order]])
    hulls = [
        _hull(points[start:end])
        for start, end in zip(starts, [*starts[1:], len(order)], strict=True)
    ]
    hulls = shapely.buffer(np.array(hulls, dtype=object), buffer_m, quad_segs=8)

    def back(coords: np.ndarray) -> np.ndarray:
        lon, lat = to_lonlat(city, coords[:, 0], coords[:, 1])
        return np.column_stack([np.round(lon, 7), np.round(lat, 7)])

    hulls = shapely.transform(hulls, back)
    return {
        int(label): shapely.geometry.mapping(hull)
        for label, hull in zip(unique, hulls, strict=True)
    }


def _hull(points: np.ndarray) -> shapely.Geometry:
    """The convex hull of some points (a point or a line when they are too few or in a row)."""
    if len(points) >= 3:
        try:
            vertices = ConvexHull(points).vertices
            return shapely.Polygon(points[vertices])
        except QhullError:  # all on one line: shapely's hull is that line
            pass
    return shapely.multipoints(points).convex_hull
