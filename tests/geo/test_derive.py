"""The derived police-district layer: rebuilt from wards + WIBR and compared with the shipped file."""

from __future__ import annotations

import json

from community.geo.derive import derive_police_districts, write_geojson


def test_derive_police_districts(city, tmp_path):
    shapes = derive_police_districts(city)
    assert [s.code for s in shapes] == [str(i) for i in range(1, 8)]
    assert all(s.kind == "police_district" and s.geometry.is_valid for s in shapes)
    for a in shapes:
        for b in shapes:
            if a is not b:
                assert a.geometry.intersection(b.geometry).area < 1e-7
    out = tmp_path / "pd.geojson"
    write_geojson(shapes, out, "police_district")
    written = json.loads(out.read_text())
    shipped = json.loads(city.file("police_districts_derived.geojson").read_text())
    assert written == shipped
