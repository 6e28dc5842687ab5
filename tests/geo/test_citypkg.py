"""City package loading: manifest, area layers, address points, projection."""

from __future__ import annotations

import json

import numpy as np
import pytest

from community.geo.citypkg import (
    area_kinds,
    iter_areas,
    load_address_points,
    load_city,
    to_lonlat,
    to_metres,
)


def test_load_city_reads_manifest(city):
    assert city.slug == "milwaukee"
    assert city.case_prefix == "MKE"
    assert city.metric_crs == "EPSG:32616"
    assert city.center == pytest.approx((43.0389, -87.9065))
    assert "OpenStreetMap" in city.attribution
    assert city.manifest["address_points"]["file"] == "mai_address_points.csv.gz"
    assert hash(city) == hash(load_city(city.path / "city.json"))


def test_load_city_errors(tmp_path):
    with pytest.raises(ValueError, match=r"no city\.json"):
        load_city(tmp_path)
    (tmp_path / "city.json").write_text("{not json")
    with pytest.raises(ValueError, match="cannot read"):
        load_city(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "city.json").write_text(json.dumps({"slug": "x", "name": "X"}))
    with pytest.raises(ValueError, match="missing keys"):
        load_city(other)


def test_iter_areas_every_layer(city):
    shapes = list(iter_areas(city))
    kinds = {s.kind for s in shapes}
    assert kinds == set(area_kinds(city))
    by_kind = {k: [s for s in shapes if s.kind == k] for k in kinds}
    assert len(by_kind["aldermanic_district"]) == 15
    assert len(by_kind["ward"]) == 315  # 317 features; ward 0001 is split in three
    assert len({s.code for s in by_kind["ward"]}) == 315
    assert len(by_kind["neighborhood"]) == 190
    assert sorted(s.code for s in by_kind["police_district"]) == [str(i) for i in range(1, 8)]
    ward = next(s for s in by_kind["ward"] if s.code == "0001")
    assert ward.name == "Ward 0001"
    assert all(s.geometry.is_valid and not s.geometry.is_empty for s in shapes)


def test_iter_areas_filter(city):
    assert {s.kind for s in iter_areas(city, kinds=["neighborhood"])} == {"neighborhood"}


def test_address_points_normalised(city):
    frame = load_address_points(city)
    expected = ["number", "suffix", "direction", "street", "street_type", "lon", "lat", "x", "y"]
    assert list(frame.columns) == expected
    assert frame["number"].dtype == np.int64
    assert frame[["lon", "lat", "x", "y"]].notna().all().all()
    assert len(frame) > 220_000
    row = frame[(frame.number == 2263) & (frame.street == "LAKE")].iloc[0]
    assert (row.direction, row.street_type) == ("N", "DR")
    assert row.lon == pytest.approx(-87.8814075) and row.lat == pytest.approx(43.0595468)


def test_to_metres_roundtrip_and_scale(city):
    lon = np.array([-87.9065, -87.9065])
    lat = np.array([43.0389, 43.0489])
    x, y = to_metres(city, lon, lat)
    assert y[1] - y[0] == pytest.approx(1111, abs=5)  # 0.01 degree of latitude
    lon2, lat2 = to_lonlat(city, x, y)
    np.testing.assert_allclose(lon2, lon, atol=1e-9)
    np.testing.assert_allclose(lat2, lat, atol=1e-9)
