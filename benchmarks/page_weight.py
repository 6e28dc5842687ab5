"""Weight of the resident's report page: what a phone downloads before and after "Show map".

Usage: PYTHONPATH=. python benchmarks/page_weight.py

Runs the app on the embedded default (a temporary SQLite, migrated and loaded with the city)
through Flask's test client. "First load" is the HTML of /report plus every stylesheet and
script it references; "map open" adds what report.js fetches when the resident taps
"Show map" (Leaflet's CSS and JS, basemap.js, the layer list, the layers drawn at once, the
marker images). Map tiles are not counted (none are used unless TILE_URL is set). Bytes are
shown as sent uncompressed and gzipped (level 6, what a typical proxy does). The baseline,
measured in the same run, is the home page (/) with its own stylesheet and scripts.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from flask.testing import FlaskClient

MAP_ASSETS = (
    "/static/vendor/leaflet/leaflet.css",
    "/static/vendor/leaflet/leaflet.js",
    "/static/js/basemap.js",
    "/static/vendor/leaflet/images/marker-icon.png",
    "/static/vendor/leaflet/images/marker-shadow.png",
    "/static/vendor/leaflet/images/layers.png",
)


class _Assets(HTMLParser):
    """The stylesheets and scripts a page references."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "stylesheet" and found.get("href"):
            self.urls.append(found["href"])
        elif tag == "script" and found.get("src"):
            self.urls.append(found["src"])


def _fetch(client: FlaskClient, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return response.get_data()


def page_weight(client: FlaskClient, url: str) -> list[tuple[str, bytes]]:
    """(url, body) of a page and every stylesheet and script it references."""
    html = _fetch(client, url)
    parser = _Assets()
    parser.feed(html.decode())
    return [(url, html)] + [(asset, _fetch(client, asset)) for asset in parser.urls]


def map_weight(client: FlaskClient) -> list[tuple[str, bytes]]:
    """What opening the map adds: Leaflet, basemap.js, the layer list and the layers shown."""
    parts = [(url, _fetch(client, url)) for url in MAP_ASSETS]
    layers = _fetch(client, "/basemap/layers.json")
    parts.append(("/basemap/layers.json", layers))
    for layer in json.loads(layers)["layers"]:
        if layer["base"] or layer["shown"]:
            parts.append((layer["url"], _fetch(client, layer["url"])))
    return parts


def _sizes(parts: list[tuple[str, bytes]]) -> tuple[int, int]:
    raw = sum(len(body) for _url, body in parts)
    zipped = sum(len(gzip.compress(body, 6)) for _url, body in parts)
    return raw, zipped


def _kb(size: int) -> str:
    return f"{size / 1024:7.1f} kB"


def _show(title: str, parts: list[tuple[str, bytes]]) -> tuple[int, int]:
    print(f"\n{title}")
    for url, body in parts:
        print(f"  {_kb(len(body))}  {_kb(len(gzip.compress(body, 6)))} gz  {url}")
    raw, zipped = _sizes(parts)
    print(f"  {_kb(raw)}  {_kb(zipped)} gz  TOTAL")
    return raw, zipped


def main() -> None:
    from flask_migrate import upgrade

    from community import create_app
    from community.demo.reference import load_reference_data
    from community.extensions import db
    from community.places.areas import load_areas
    from community.places.city import current_city

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "weight.sqlite"
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
        with app.app_context():
            upgrade()
            load_areas(current_city())
            load_reference_data()
            db.session.remove()
        client = app.test_client()
        base_raw, _base_gz = _show("Baseline: home page /", page_weight(client, "/"))
        first_raw, first_gz = _show("First load: /report", page_weight(client, "/report"))
        spanish = page_weight(client, "/report?lang=es")
        es_raw, es_gz = _sizes(spanish)
        map_raw, map_gz = _show("Map open: added by 'Show map'", map_weight(client))

    print("\nSummary")
    print(f"  /report first load      {_kb(first_raw)}  {_kb(first_gz)} gz (target < 300 kB)")
    print(f"  /report?lang=es         {_kb(es_raw)}  {_kb(es_gz)} gz")
    print(f"  + map open              {_kb(map_raw)}  {_kb(map_gz)} gz")
    print(f"  report with map         {_kb(first_raw + map_raw)}  {_kb(first_gz + map_gz)} gz")
    print(f"  ratio /report : /       {first_raw / base_raw:5.2f}x raw")
    print(f"  ratio with map : first  {(first_raw + map_raw) / first_raw:5.2f}x raw")


if __name__ == "__main__":
    main()
