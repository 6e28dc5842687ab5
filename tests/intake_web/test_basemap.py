"""The city's base layers: small simplified GeoJSON with ETags, the outline as the offline base."""

from __future__ import annotations

import gzip
import json

import pytest
from flask import Flask

from community.places.city import current_city

AREA_LAYERS = ["neighborhood", "aldermanic_district", "ward", "police_district"]


def test_the_layer_list_names_every_layer_and_no_tiles_by_default(client) -> None:
    info = client.get("/basemap/layers.json").json
    ids = [layer["id"] for layer in info["layers"]]
    assert ids[0] == "city" and info["layers"][0]["base"] is True
    assert {*AREA_LAYERS, "roads"} <= set(ids)
    assert info["tiles"] is None and "OpenStreetMap" in info["attribution"]
    assert info["center"] == pytest.approx([43.0389, -87.9065])
    spanish = client.get("/basemap/layers.json?lang=es").json
    assert "Distritos de policía" in [layer["title"] for layer in spanish["layers"]]


def test_a_tile_server_is_used_only_when_configured(app: Flask, client) -> None:
    app.config.update(TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png", TILE_ATTRIBUTION="T")
    assert client.get("/basemap/layers.json").json["tiles"] == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "T",
    }


@pytest.mark.parametrize("layer", ["city", "roads", *AREA_LAYERS])
def test_each_layer_is_valid_simplified_geojson(client, layer: str) -> None:
    response = client.get(f"/basemap/{layer}.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    data = json.loads(response.data)
    assert data["type"] == "FeatureCollection" and data["features"]
    feature = data["features"][0]
    assert feature["geometry"]["type"] in {
        "Polygon",
        "MultiPolygon",
        "LineString",
        "MultiLineString",
    }
    coordinates = json.dumps(feature["geometry"]["coordinates"])
    assert all(
        len(n.split(".")[1]) <= 5
        for n in coordinates.replace("[", "").replace("]", "").split(", ")
        if "." in n
    )
    manifest = current_city().manifest
    files = {a["kind"]: a["file"] for a in manifest["areas"]}
    files.update(city=manifest["city_limits"]["file"], roads=manifest["roads"]["file"])
    raw = (current_city().path / files[layer]).stat().st_size
    assert len(response.data) < raw * 0.6  # simplified and rounded


def test_layers_are_cached_by_etag_and_sent_gzipped(client) -> None:
    first = client.get("/basemap/ward.geojson", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert (
        "public" in first.headers["Cache-Control"]
        and "max-age=86400" in first.headers["Cache-Control"]
    )
    etag = first.headers["ETag"]
    plain = client.get("/basemap/ward.geojson")
    assert gzip.decompress(first.data) == plain.data and plain.headers["ETag"] == etag
    again = client.get("/basemap/ward.geojson", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    neighbourhoods = json.loads(client.get("/basemap/neighborhood.geojson").data)
    names = {f["properties"]["name"] for f in neighbourhoods["features"]}
    assert "SHERMAN PARK" in {n.upper() for n in names}


def test_an_unknown_layer_is_404(client) -> None:
    assert client.get("/basemap/nope.geojson").status_code == 404
    assert client.get("/basemap/..%2Fcity.geojson").status_code == 404
