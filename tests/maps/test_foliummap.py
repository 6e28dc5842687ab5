"""The folium document on its own (no database): inlined Leaflet, no CDN, words as text."""

from __future__ import annotations

import re

import pytest

from community.geo.foliummap import build_map_html
from community.geo.mapdoc import (
    LeafletAssets,
    MapSpec,
    MapWords,
    Mark,
    Overlay,
    Tiles,
    content_security_policy,
    mark_size,
    priority_class,
)

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
ASSETS = LeafletAssets(js="/* leaflet stand-in */ window.L = window.L;", css=".leaflet{}")
FRAME = (-87.96, 43.06, -87.94, 43.08)


def _words(**changes: object) -> MapWords:
    words = {
        "language": "en",
        "title": "Sherman Park",
        "lines": ("Hotspot map · Oct 1, 2026 – Oct 30, 2026", "Made Oct 31, 2026"),
        "map_label": "Map of Sherman Park",
        "hotspots_layer": "Hotspots",
        "concerns_layer": "Concerns",
        "heat_layer": "Heat",
        "area_layer": "Area outline",
        "legend_title": "Hotspots, numbered by priority",
        "priority_classes": ("Highest", "High", "Medium", "Lower"),
        "size_note": "Bigger: higher priority",
        "done_note": "White inside: resolved",
        "concern_note": "Concerns on a block",
        "heat_note": "Red: more than chance",
        "list_title": "Hotspots on this map",
        "number_header": "Number",
        "place_header": "Location",
    }
    words.update(changes)
    return MapWords(**words)


def _spec(**changes: object) -> MapSpec:
    spec = {
        "words": _words(),
        "frame": FRAME,
        "areas": (
            {
                "type": "Polygon",
                "coordinates": [
                    [[-87.96, 43.06], [-87.94, 43.06], [-87.94, 43.08], [-87.96, 43.06]]
                ],
            },
        ),
        "overlays": (
            Overlay(
                "Main roads",
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"name": "W Center St"},
                            "geometry": {
                                "type": "LineString",
                                "coordinates": [[-87.96, 43.07], [-87.94, 43.07]],
                            },
                        }
                    ],
                },
                {"color": "#777"},
                tooltip="name",
            ),
        ),
        "hotspots": (
            Mark(43.07, -87.95, "1", "2400 block of N 35th St", (("Status", "New"),), 70.0),
            Mark(
                43.071,
                -87.951,
                "2",
                "N 35th St & W Center St",
                (("Status", "Resolved"),),
                3.0,
                True,
            ),
        ),
    }
    spec.update(changes)
    return MapSpec(**spec)


def test_the_document_inlines_leaflet_and_links_to_nothing() -> None:
    html = build_map_html(_spec(), ASSETS)
    assert ASSETS.js in html and ASSETS.css in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()
    assert "<title>Sherman Park</title>" in html and '<html lang="en">' in html
    assert 'aria-label="Map of Sherman Park"' in html
    assert "maximum-scale" not in html and "user-scalable=no" not in html  # zoom allowed
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert csp == content_security_policy(None)
    assert "img-src data:;" in csp and "connect-src" not in csp  # default-src 'none' covers it
    assert '"maxZoom": 18' in html and '"minZoom": 10' in html
    # Both hotspots listed under the map, with their facts.
    assert html.count("<tr><td>") == 2 and "2400 block of N 35th St" in html


def test_words_are_text_wherever_they_go() -> None:
    spec = _spec(
        words=_words(title=HOSTILE, lines=(HOSTILE,), hotspots_layer=HOSTILE, legend_title=HOSTILE),
        hotspots=(Mark(43.07, -87.95, "1", HOSTILE, ((HOSTILE, HOSTILE),), 20.0),),
    )
    html = build_map_html(spec, ASSETS)
    assert "<img src=x" not in html
    # Every <script> element is one we opened: the words never close one.
    assert html.count("<script>") == html.count("</script>") == 2  # Leaflet, then the map
    assert "alert(2)" in html  # still there, as text


def test_a_tile_server_is_the_one_place_the_file_may_fetch_from() -> None:
    tiles = Tiles(
        "https://{s}.tiles.example.org/{z}/{x}/{y}.png", "© Example", "https://*.tiles.example.org"
    )
    html = build_map_html(_spec(tiles=tiles), ASSETS)
    assert "img-src data: https://*.tiles.example.org;" in html
    assert "L.tileLayer(" in html and "tiles.example.org/{z}/{x}/{y}.png" in html


def test_a_script_end_in_the_assets_is_refused() -> None:
    with pytest.raises(ValueError, match="</script"):
        build_map_html(_spec(), LeafletAssets(js="x = '</script>';", css=""))


@pytest.mark.parametrize(
    ("priority", "expected"), [(0.0, 3), (14.9, 3), (15.0, 2), (30.0, 1), (59.9, 1), (60.0, 0)]
)
def test_priority_classes_follow_the_triage_map(priority: float, expected: int) -> None:
    assert priority_class(priority) == expected


def test_marks_grow_with_priority_within_reason() -> None:
    sizes = [mark_size(p) for p in (0, 4, 25, 100, 10_000)]
    assert sizes == sorted(sizes) and sizes[0] == 22 and sizes[-1] == 40
