"""What a map document shows, as plain data: places, layers and every word, in one language.

community.reports.areamap fills these from the database (public facts only, already worded);
community.geo.foliummap draws them with folium. Kept apart so that reading or testing what a
map will show never imports folium.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

# Priority classes: the triage map's thresholds and colours, with a text colour that reads on
# each (contrast 4.5:1 or more) and a dark rim that stands out on the pale base (3:1).
PRIORITY_CLASSES = ((60.0, "#b10026", "#ffffff"), (30.0, "#e31a1c", "#ffffff"))
PRIORITY_CLASSES += ((15.0, "#fd8d3c", "#000000"), (0.0, "#fecc5c", "#000000"))
RIM = "#222222"
MIN_MARK_PX, MAX_EXTRA_PX = 22, 18  # hotspot circles grow with the square root of priority


@dataclass(frozen=True)
class LeafletAssets:
    """Leaflet's JavaScript and its CSS (images inlined as data: URIs), as text."""

    js: str
    css: str


@dataclass(frozen=True)
class Tiles:
    """A tile server, only when one is configured (TILE_URL): then the file asks it for tiles."""

    url: str
    attribution: str
    origin: str  # scheme://host[:port], the one place the file may fetch from


@dataclass(frozen=True)
class Overlay:
    """A layer of the city package (outline, roads, streets, areas) as GeoJSON in lon/lat."""

    title: str
    geojson: dict[str, Any]
    style: dict[str, Any]  # Leaflet path options
    shown: bool = True
    in_control: bool = True
    tooltip: str | None = None  # a property shown on hover (city data, not residents' words)


@dataclass(frozen=True)
class Mark:
    """One place on the map: a numbered hotspot or a block with concerns.

    `facts` are (label, value) pairs, worded and made public by the caller; they are shown in
    the popup and in the list under the map, always as text.
    """

    lat: float
    lon: float
    text: str  # what the marker itself shows: a hotspot's number, a block's count
    title: str  # the place, at block level
    facts: tuple[tuple[str, str], ...] = ()
    priority: float | None = None  # hotspots: size and colour; None for concerns
    done: bool = False  # resolved or closed: drawn hollow


@dataclass(frozen=True)
class MapWords:
    """Every word of the document, in its language."""

    language: str
    title: str
    lines: tuple[str, ...]  # under the title: the period, counts, "made on"
    map_label: str
    hotspots_layer: str
    concerns_layer: str
    heat_layer: str
    area_layer: str
    legend_title: str
    priority_classes: tuple[str, str, str, str]  # highest first, as PRIORITY_CLASSES
    size_note: str
    done_note: str
    concern_note: str
    heat_note: str
    list_title: str
    number_header: str
    place_header: str
    zoom_in: str = "Zoom in"  # Leaflet's own buttons, in the document's language
    zoom_out: str = "Zoom out"
    close: str = "Close"
    empty: str | None = None  # said when there is nothing to show


@dataclass(frozen=True)
class MapSpec:
    """What one map document shows."""

    words: MapWords
    frame: tuple[float, float, float, float]  # west, south, east, north: what the map opens on
    areas: tuple[dict[str, Any], ...] = ()  # GeoJSON geometries of the area outlined
    overlays: tuple[Overlay, ...] = ()
    hotspots: tuple[Mark, ...] = ()
    concerns: tuple[Mark, ...] = ()
    heat: dict[str, Any] | None = None  # Gi* cells (FeatureCollection) or None
    tiles: Tiles | None = None
    attribution: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # data-* attributes on <body>


def priority_class(priority: float) -> int:
    """0 (highest) .. 3 (lowest), as the triage map colours hotspots."""
    for index, (threshold, _fill, _text) in enumerate(PRIORITY_CLASSES):
        if priority >= threshold:
            return index
    return len(PRIORITY_CLASSES) - 1


def mark_size(priority: float) -> int:
    """A hotspot's circle in pixels: bigger with priority, within reason."""
    return round(MIN_MARK_PX + min(MAX_EXTRA_PX, 2.2 * math.sqrt(max(priority, 0.0))))


def content_security_policy(tiles: Tiles | None) -> str:
    """Nothing may be fetched (only the tile server's images, when one is configured)."""
    images = "data:" + (f" {tiles.origin}" if tiles else "")
    return (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        f"img-src {images}; base-uri 'none'; form-action 'none'"
    )
