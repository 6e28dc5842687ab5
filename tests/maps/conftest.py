"""The maps reuse the reports' data set: 250 demo concerns through the real geocoder and
clustering, plus Metcalfe Park's known cases (a drug house at 2417 N 35th St reported with a
phone number in the words, a vacant building boarded up, a staff-only note)."""

from __future__ import annotations

import re
from pathlib import Path

from community.reports.mapassets import leaflet_assets
from tests.reports.conftest import (  # noqa: F401 - fixtures shared with the reports' tests
    REPORTER_PHONE,
    STAFF_NOTE,
    demo_app,
    demo_client,
    reports_template,
)

AREA = "METCALFE PARK"
HOUSE_NUMBERS = ("2417", "2650")  # the known cases' houses: only their blocks may show
RESIDENT_WORDS = ("selling drugs", "venden drogas", "doors open", "neighbor@example.org")
PUBLIC_NOTE_WORDS = "Officers patrolled"  # an agency's public note: not on the map either
# A number before a street direction that is not a hundred block ("2417 N", "cuadra 2417 de N").
HOUSE_BEFORE_STREET = re.compile(r"(?<![\d.])(\d{1,5})(?: block of| de)?\s+[NSEW]\s+\w")
CDN_LINK = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def without_leaflet(html: str) -> str:
    """The file minus the vendored Leaflet it inlines: the part made from our data."""
    assets = leaflet_assets()
    return html.replace(assets.js, "").replace(assets.css, "")


def write(path: Path, html: str) -> Path:
    path.write_text(html, encoding="utf-8")
    return path
