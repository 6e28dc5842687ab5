"""The heat layer from stored concerns: a dense corner is a significant hot cell."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import shapely

from community.extensions import db
from community.hotspots.heat import heat_geojson
from community.models import utcnow
from tests.hotspots.synthetic import blob, concern_at, to_latlon


def test_a_dense_corner_is_hot_and_the_layer_is_geojson(app) -> None:
    rng = np.random.default_rng(11)
    blob(rng, (0, 0), 40, 60)
    for e, n in rng.uniform(-4000, 4000, size=(60, 2)):
        concern_at(float(e), float(n))
    db.session.commit()
    layer = heat_geojson(since=utcnow() - timedelta(days=90))
    assert layer["type"] == "FeatureCollection"
    hot = [f for f in layer["features"] if f["properties"]["significant"]]
    assert hot, "the dense corner should be significant"
    lat, lon = to_latlon(0, 0)
    corner = shapely.Point(lon, lat)
    nearest = min(hot, key=lambda f: shapely.geometry.shape(f["geometry"]).distance(corner))
    assert shapely.geometry.shape(nearest["geometry"]).distance(corner) < 0.003  # ~250 m
    assert sum(f["properties"]["count"] for f in layer["features"]) == 100
    assert heat_geojson(since=utcnow() + timedelta(days=1))["features"] == []
