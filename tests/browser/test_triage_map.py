"""The triage map in a real browser: a prosecutor filters, opens a hotspot from the ranked
list, assigns, logs an action and resolves; residents' markup stays text; staff place an
unlocated concern by clicking the map. No outside network: the map is the city's own layers.

Run with CHROMIUM_PATH=/usr/bin/chromium; screenshots land in tests/browser/screenshots/.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab
from tests.browser.steps import sign_in

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_LABEL = "<script>alert('label')</script> Center St corner"
LEAD = "Milwaukee Police District 3"


def seed(live_app: Flask) -> dict[str, int]:
    """A drug hotspot whose residents wrote markup, and a shots-fired hotspot 2 km away."""
    from community.extensions import db
    from community.models import Category, Hotspot
    from tests.helpers import ELSEWHERE
    from tests.workflow.conftest import make_hotspot

    with live_app.app_context():
        shots = db.session.scalar(db.select(Category.id).filter_by(code="shots_fired"))
        other = make_hotspot(6, around=ELSEWHERE, category_id=shots, district="7").id
        drugs = make_hotspot(5, text=f"{HOSTILE} selling all night, call 414-555-0199").id
        db.session.get(Hotspot, drugs).label = HOSTILE_LABEL
        db.session.commit()
        db.session.remove()
    return {"drugs": drugs, "shots": other}


def wait_drawn(page: Page, selector: str = "#triage-map") -> None:
    expect(page.locator(f"{selector}[data-ready=true]")).to_have_count(1, timeout=15_000)


def test_prosecutor_filters_opens_and_resolves_a_hotspot(tab: Tab, live_app: Flask) -> None:
    ids = seed(live_app)
    page = tab.page
    sign_in(page, "prosecutor@example.org", "prosecutor-pass")

    # The map opens with both hotspots ranked and drawn on the city's own base layers.
    page.get_by_role("link", name="Triage map").click()
    wait_drawn(page)
    ranked = page.get_by_test_id("ranked").locator("li[data-id]")
    expect(ranked).to_have_count(2)
    expect(page.locator("#triage-map path.leaflet-interactive")).not_to_have_count(0)
    expect(page.locator("#triage-map .concern-cell")).not_to_have_count(0)
    tab.screenshot("triage-01-map")

    # The heat layer and the repeat addresses are switched on from the layer control; the
    # choice is kept in the URL.
    page.locator(".leaflet-control-layers").hover()
    page.get_by_label("Heat (Gi*)").check()
    page.get_by_label("Neighborhoods").check()
    expect(page.locator("#triage-map path.leaflet-interactive")).not_to_have_count(2)
    expect(page).to_have_url(re.compile(r"layers=hotspots%2Cconcerns%2Cheat%2Cneighborhood&"))
    tab.screenshot("triage-01b-heat-and-neighbourhoods")
    page.reload()  # the link opens with the same layers
    wait_drawn(page)
    page.locator(".leaflet-control-layers").hover()
    expect(page.get_by_label("Neighborhoods")).to_be_checked()
    page.get_by_label("Heat (Gi*)").uncheck()
    page.get_by_label("Neighborhoods").uncheck()
    expect(page).to_have_url(re.compile(r"layers=hotspots%2Cconcerns&"))

    # Filter by category: the list and the map follow, and the URL carries the filter.
    page.get_by_label("Category").select_option(label="Drug activity")
    page.get_by_role("button", name="Apply filters").click()
    wait_drawn(page)
    assert parse_qs(urlsplit(page.url).query)["category"] == ["drug_activity"]
    expect(ranked).to_have_count(1)
    item = ranked.first
    expect(item.locator("a.ranked-label")).to_have_text(HOSTILE_LABEL)

    # "Show on map" pans there; the popup shows the label as text and the URL keeps the view.
    item.get_by_test_id("show-on-map").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator("strong")).to_have_text(HOSTILE_LABEL)
    expect(page).to_have_url(re.compile(r"view=43\.06\d+%2C-87\.95\d+%2C16"))
    expect(
        page.locator("#triage-map .concern-marker, #triage-map .marker-cluster")
    ).not_to_have_count(0)
    tab.screenshot("triage-02-filtered-zoomed")

    # The shared URL opens the same view: filters and map position.
    page.reload()
    wait_drawn(page)
    expect(page.get_by_label("Category")).to_have_values(["drug_activity"])
    expect(ranked).to_have_count(1)
    zoom = page.evaluate("document.querySelector('#triage-map') && window.triageReady")
    assert zoom is True
    expect(page.locator("#triage-map .concern-cell")).to_have_count(0)  # zoomed in: no cells

    # Open the hotspot's page from the list: its map shows the concerns; markup is text.
    item.locator("a.ranked-label").click()
    expect(page).to_have_url(re.compile(rf"/staff/hotspots/{ids['drugs']}$"))
    wait_drawn(page, "#hotspot-map")
    markers = page.locator("#hotspot-map path.leaflet-interactive")
    expect(markers).to_have_count(6)  # the outline and five concerns
    # Zoomed to the hotspot, not the city: its outline spans tens of pixels.
    assert markers.first.bounding_box()["width"] > 20
    markers.last.click(force=True)
    concern_popup = page.locator("#hotspot-map .leaflet-popup-content p.resident-text")
    expect(concern_popup).to_have_text(f"{HOSTILE} selling all night, call [phone]")
    expect(page.locator("#hotspot-map .leaflet-popup-content img")).to_have_count(0)
    expect(page.locator("td.resident-text").filter(has_text=HOSTILE)).to_have_count(5)
    expect(page.locator("main")).not_to_contain_text("414-555-0199")
    tab.screenshot("triage-03-hotspot-page")

    status = page.get_by_test_id("hotspot-status")
    page.locator("summary", has_text="Assign an agency").click()  # the suggestion comes first
    assign_form = page.locator("form[action$='/assign']")
    assign_form.get_by_label("Agency").select_option(label=LEAD)
    assign_form.get_by_label("Role").select_option(label="Lead")
    assign_form.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_have_text(f"{LEAD} is now lead on this hotspot.")
    expect(status).to_have_text("assigned")

    action_form = page.locator("form[action$='/actions']")
    action_form.get_by_label("Agency").select_option(label=LEAD)
    action_form.get_by_label("What was done").select_option(label="Directed patrol")
    action_form.get_by_role("button", name="Log action").click()
    expect(page.get_by_role("status")).to_have_text("Action logged.")
    expect(status).to_have_text("in progress")

    page.locator("summary", has_text="Resolve").click()
    resolve_form = page.locator("form[action$='/resolve']")
    resolve_form.get_by_label("Outcome").select_option(label="Problem stopped")
    resolve_form.get_by_label("How was it resolved?").fill("Patrols for two weeks; no more sales.")
    resolve_form.get_by_role("button", name="Mark resolved").click()
    expect(page.get_by_role("status")).to_have_text("Hotspot resolved.")
    expect(status).to_have_text("resolved")
    wait_drawn(page, "#hotspot-map")
    tab.screenshot("triage-04-resolved")

    # Back on the map, resolved hotspots are out of the default (active) view; status=resolved
    # shows it again, coloured by status.
    page.goto("/staff/triage/?status=resolved&color=status")
    wait_drawn(page)
    expect(ranked).to_have_count(1)
    expect(page.get_by_test_id("colour-mode")).to_have_value("status")
    expect(page.locator(".triage-legend")).to_contain_text("Hotspot status")
    tab.assert_clean()


def test_staff_place_an_unlocated_concern_by_clicking_the_map(tab: Tab, live_app: Flask) -> None:
    from community.extensions import db
    from community.models import Concern, ConcernStatus, GeocodeStatus, LocationKind
    from tests.factories import ConcernFactory

    with live_app.app_context():
        concern = ConcernFactory(
            text=f"{HOSTILE} behind the corner store",
            status=ConcernStatus.NEEDS_LOCATION,
            geocode_status=GeocodeStatus.FAILED,
        )
        concern_id, case = concern.id, concern.case_number
        db.session.remove()

    page = tab.page
    sign_in(page, "prosecutor@example.org", "prosecutor-pass")
    page.goto("/staff/triage/")
    wait_drawn(page)
    page.get_by_role("link", name="Concerns that need a location").click()
    expect(page.get_by_test_id("queue-count")).to_contain_text("1 concern is waiting.")
    item = page.get_by_test_id("locate-list").locator("li").first
    expect(item.locator("p.resident-text")).to_have_text(f"{HOSTILE} behind the corner store")
    wait_drawn(page, "#locate-map")
    item.get_by_test_id("choose").click()
    box = page.locator("#locate-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(item.locator("input[name=lat]")).to_have_value(re.compile(r"^4[23]\.\d{6}$"))
    tab.screenshot("triage-05-locate")
    item.get_by_role("button", name="Place here").click()
    expect(page.get_by_role("status")).to_contain_text(f"Concern {case} placed at")
    expect(page.get_by_test_id("queue-count")).to_contain_text("0 concerns are waiting.")
    with live_app.app_context():
        placed = db.session.get(Concern, concern_id)
        assert placed.status == ConcernStatus.OPEN
        assert placed.location_kind == LocationKind.MAP
        db.session.remove()
    tab.assert_clean()
