"""A map file opened from disk in Chromium with every network request blocked and recorded:
it asks for nothing, logs no error, shows every hotspot, reads in its language, opens a
hotspot's facts from the keyboard, and passes axe-core's WCAG 2.1 A and AA rules.

Run with CHROMIUM_PATH=/usr/bin/chromium; screenshots land in tests/browser/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect

from community.extensions import db
from community.models import Concern
from community.reports.areamap import MapFile, area_map, city_map, hotspot_map
from community.reports.requests import read_request
from tests.browser.conftest import SCREENSHOTS
from tests.reports.conftest import (  # noqa: F401 - the reports' data set, shared
    DRUG_TEXTS,
    demo_app,
    reports_template,
)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AREA = "METCALFE PARK"


@dataclass
class Opened:
    """A map file open in a page, with what it asked for and what went wrong."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_file(browser: Browser, tmp_path: Path) -> Iterator:
    contexts = []

    def opener(made: MapFile) -> Opened:
        path = tmp_path / made.file_name
        path.write_text(made.html, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        opened = Opened(page=context.new_page(), url=path.as_uri())

        def record(request: Request) -> None:
            if request.url != opened.url:
                opened.requests.append(request.url)

        def block(route: Route) -> None:
            if route.request.url == opened.url:
                route.continue_()
            else:
                opened.requests.append(route.request.url)
                route.abort()

        context.route("**/*", block)
        opened.page.on("request", record)
        opened.page.on(
            "console", lambda m: opened.errors.append(m.text) if m.type == "error" else None
        )
        opened.page.on("pageerror", lambda e: opened.errors.append(str(e)))
        opened.page.goto(opened.url)
        return opened

    yield opener
    for context in contexts:
        context.close()


def _area(language: str) -> MapFile:
    wanted = read_request([AREA], "2026-01-01", None, language)
    return area_map(wanted.selection, wanted.period, language, heat=True)


def _axe_violations(page: Page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})"
        for v in result["violations"]
    ]


@pytest.mark.usefixtures("demo_app")
@pytest.mark.parametrize("language", ["es", "en"])
def test_the_area_map_works_from_disk_with_no_network(open_file, language: str) -> None:
    made = _area(language)
    assert made.hotspots >= 2
    opened = open_file(made)
    page = opened.page
    marks = page.locator(".hotspot-mark")
    expect(marks).to_have_count(made.hotspots)
    expect(page.locator(".folium-map path.leaflet-interactive").first).to_be_attached()
    spanish = language == "es"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text("Metcalfe Park")
    expect(page.locator(".doc-head")).to_contain_text(
        "Mapa de puntos críticos" if spanish else "Hotspot map"
    )
    legend = page.locator(".leaflet-bottom .map-legend.leaflet-control")  # in the map's corner
    expect(legend).to_contain_text("Prioridad muy alta" if spanish else "Highest priority")
    expect(page.locator(".leaflet-control-layers")).to_contain_text(
        "Puntos críticos" if spanish else "Hotspots"
    )

    # A hotspot's facts open from the keyboard, as text in the reader's language.
    marks.first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Agencia responsable" if spanish else "Lead agency")
    expect(popup).to_contain_text("cuadra" if spanish else "block of")
    # Leaflet's own buttons speak the file's language too.
    for name in ("Acercar", "Alejar", "Cerrar") if spanish else ("Zoom in", "Zoom out", "Close"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(1)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"area-map-{language}.png")

    assert _axe_violations(page) == []
    assert opened.requests == [], f"the file asked for: {opened.requests}"
    assert opened.errors == [], f"console errors: {opened.errors}"


@pytest.mark.usefixtures("demo_app")
def test_city_and_hotspot_maps_ask_for_nothing_either(open_file) -> None:
    drug = db.session.scalar(db.select(Concern.hotspot_id).filter_by(text=DRUG_TEXTS[0]))
    for made, concerns in (
        (city_map(None, None, "es", heat=True), False),
        (hotspot_map(drug, "es"), True),
    ):
        opened = open_file(made)
        expect(opened.page.locator(".hotspot-mark")).to_have_count(made.hotspots)
        if concerns:
            expect(opened.page.locator(".concern-mark").first).to_be_attached()
        assert opened.requests == [] and opened.errors == [], (opened.requests, opened.errors)
