"""Shapes of a cluster of concerns (outline, centre) and repeat keys (repeat addresses).

Which concerns make a hotspot is problem_places.py's job."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from community.geo.citypkg import CityPackage, to_lonlat, to_metres


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
    """Buffered (buffer_m > 0) convex hulls of every label's points at once, as GeoJSON
    polygons by label.

    One vectorised pass: a multipoint per label (shapely.multipoints with indices), their
    hulls and buffers in GEOS, and the rings read back as one coordinate array, so thousands
    of hotspots cost tens of milliseconds rather than a Python object each.
    """
    labels = np.asarray(labels).ravel()
    keep = labels >= 0
    if not keep.any():
        return {}
    x = np.asarray(x_m, dtype=float).ravel()[keep]
    y = np.asarray(y_m, dtype=float).ravel()[keep]
    unique, index = np.unique(labels[keep], return_inverse=True)
    order = np.argsort(index.ravel(), kind="stable")  # GEOS wants the parts grouped
    points = shapely.multipoints(np.column_stack([x, y])[order], indices=index.ravel()[order])
    hulls = shapely.buffer(shapely.convex_hull(points), buffer_m, quad_segs=8)
    coords, owner = shapely.get_coordinates(hulls, return_index=True)
    lon, lat = to_lonlat(city, coords[:, 0], coords[:, 1])
    ring = np.column_stack([np.round(lon, 7), np.round(lat, 7)]).tolist()
    # A buffered convex hull is one convex polygon: a single exterior ring, no holes.
    starts = np.searchsorted(owner, np.arange(len(unique) + 1))
    return {
        int(label): {"type": "Polygon", "coordinates": [ring[starts[i] : starts[i + 1]]]}
        for i, label in enumerate(unique.tolist())
    }
