"""Leaflet from the copy the app already vendors (static/vendor), as text a map file inlines.

The CSS's images (layer control icon, default marker) become data: URIs, so that nothing in
the file points anywhere. Read once per process.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from community.geo.mapdoc import LeafletAssets

VENDOR = Path(__file__).resolve().parents[1] / "static" / "vendor"
LEAFLET = VENDOR / "leaflet"
_IMAGE_URL = re.compile(r"url\((['\"]?)images/([\w.-]+\.png)\1\)")


@lru_cache(maxsize=1)
def leaflet_assets() -> LeafletAssets:
    """Leaflet's JS and CSS (images inlined); OSError when the vendored copy is missing."""
    js = (LEAFLET / "leaflet.js").read_text(encoding="utf-8")
    css = (LEAFLET / "leaflet.css").read_text(encoding="utf-8")
    return LeafletAssets(js=js, css=_IMAGE_URL.sub(_data_uri, css))


def _data_uri(match: re.Match[str]) -> str:
    data = (LEAFLET / "images" / match.group(2)).read_bytes()
    return "url(data:image/png;base64," + base64.b64encode(data).decode("ascii") + ")"
