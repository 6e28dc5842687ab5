"""Clustering on synthetic points, hull outlines and centroids."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from community.geo.citypkg import to_metres
from community.geo.clustering import centroid, cluster_points, hull_outline


def _blobs(rng, centres, n, spread):
    return np.vstack([rng.normal(c, spread, size=(n, 2)) for c in centres])


def test_two_clusters_and_noise():
    rng = np.random.default_rng(1)
    pts = _blobs(rng, [(0, 0), (2000, 0)], 40, 30)
    noise = np.array([[1000, 5000], [-4000, -4000], [6000, 300]])
    pts = np.vstack([pts, noise])
    labels = cluster_points(pts[:, 0], pts[:, 1], eps_m=150, min_samples=3)
    assert labels.dtype.kind == "i" and len(labels) == len(pts)
    assert len(set(labels[:40])) == 1 and len(set(labels[40:80])) == 1
    assert labels[0] != labels[40] and labels[0] >= 0
    assert (labels[80:] == -1).all()


def test_empty_and_tiny():
    assert cluster_points([], []).shape == (0,)
    assert (cluster_points([0.0, 10.0], [0.0, 0.0]) == -1).all()
    with pytest.raises(ValueError):
        cluster_points([1.0], [1.0, 2.0])


def test_grid_path_matches_exact_path():
    rng = np.random.default_rng(2)
    pts = _blobs(rng, [(0, 0), (3000, 3000), (-3000, 2000)], 300, 40)
    pts = np.vstack([pts, rng.uniform(-20000, 20000, size=(100, 2))])
    exact = cluster_points(pts[:, 0], pts[:, 1])
    gridded = cluster_points(pts[:, 0], pts[:, 1], grid_above=10)
    for start in (0, 300, 600):
        assert len(set(exact[start : start + 300])) == 1
        assert len(set(gridded[start : start + 300])) == 1
    assert len(set(gridded[:900])) == 3


def test_grid_path_large_input_is_bounded():
    rng = np.random.default_rng(3)
    pts = _blobs(rng, [(0, 0), (5000, 0)], 40_000, 200)
    labels = cluster_points(pts[:, 0], pts[:, 1], eps_m=150, min_samples=5)
    assert len(labels) == 80_000
    assert labels[0] != labels[-1] and labels[0] >= 0 and labels[-1] >= 0


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


def test_groups_cluster_apart_and_labels_stay_unique():
    from community.geo.clustering import cluster_by_group

    rng = np.random.default_rng(4)
    pts = _blobs(rng, [(0, 0)], 20, 20)
    groups = np.array(["drugs"] * 10 + ["dumping"] * 10)
    labels = cluster_by_group(pts[:, 0], pts[:, 1], groups)
    assert len(set(labels[:10])) == 1 and len(set(labels[10:])) == 1
    assert labels[0] != labels[10] and (labels >= 0).all()
    together = cluster_by_group(pts[:, 0], pts[:, 1], None)
    assert len(set(together)) == 1


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
