"""Hull outlines, centroids and repeat keys."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from community.geo.citypkg import to_metres
from community.geo.clustering import centroid, hull_outline


def _blobs(rng, centres, n, spread):
    return np.vstack([rng.normal(c, spread, size=(n, 2)) for c in centres])


def test_hull_outline_and_centroid(city):
    lons = np.array([-87.958, -87.957, -87.9575, -87.9578])
    lats = np.array([43.070, 43.070, 43.071, 43.0705])
    outline = hull_outline(lons, lats, 50.0, city)
    assert outline["type"] == "Polygon"
    poly = shapely.geometry.shape(outline)
    assert poly.contains(shapely.points(lons, lats)).all()
    # the buffer reaches about 50 m beyond the hull
    x, y = to_metres(city, lons, lats)
    hull_m = shapely.multipoints(np.column_stack([x, y])).convex_hull
    ring_lon, ring_lat = np.array(outline["coordinates"][0]).T
    rx, ry = to_metres(city, ring_lon, ring_lat)
    dist = shapely.distance(hull_m, shapely.points(rx, ry))
    assert dist == pytest.approx(np.full_like(dist, 50.0), abs=1.0)
    lon, lat = centroid(lons, lats)
    assert lon == pytest.approx(lons.mean()) and lat == pytest.approx(lats.mean())


def test_hull_outline_single_point(city):
    outline = hull_outline([-87.9], [43.04], 25.0, city)
    assert outline["type"] == "Polygon"
    with pytest.raises(ValueError):
        centroid([], [])


def test_repeat_keys_need_n_reports_within_the_span():
    from community.geo.clustering import repeat_keys

    day = 86400.0
    keys = np.array([1, 1, 1, 2, 2, 2, 3, 3])
    times = np.array([0, 10, 29, 0, 20, 40, 0, 1]) * day
    assert repeat_keys(keys, times, 3, 30).tolist() == [1]
    assert repeat_keys(keys, times, 2, 30).tolist() == [1, 2, 3]
    assert repeat_keys([], [], 3, 30).tolist() == []


def test_outlines_for_every_label_at_once(city):
    from community.geo.clustering import hull_outlines

    rng = np.random.default_rng(5)
    lons = np.r_[rng.normal(-87.95, 0.0005, 10), rng.normal(-87.90, 0.0005, 10)]
    lats = np.r_[rng.normal(43.06, 0.0005, 10), rng.normal(43.06, 0.0005, 10)]
    x, y = to_metres(city, lons, lats)
    labels = np.r_[np.zeros(10, int), np.ones(10, int)]
    outlines = hull_outlines(x, y, labels, 40.0, city)
    assert set(outlines) == {0, 1}
    for label, outline in outlines.items():
        shape = shapely.geometry.shape(outline)
        chosen = labels == label
        assert shape.contains(shapely.points(lons[chosen], lats[chosen])).all()
