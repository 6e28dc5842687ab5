"""The walking skeleton in a real browser: a resident reports, a prosecutor works the hotspot.

Run with CHROMIUM_PATH=/usr/bin/chromium; screenshots land in tests/browser/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab
from tests.browser.steps import sign_in

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
CASE_NUMBER = re.compile(r"MKE-[2-9A-HJKMNP-TV-Z]{4}")
# The same house typed the ways residents type it; three concerns within 150 m make a hotspot.
ADDRESSES = ["2263 N Lake Dr", "2263 N Lake Drive", "2263 lake drive", "2263 N Lake Dr"]
LEAD = "Milwaukee Police District 1"


def report_concern(page: Page, text: str, location: str) -> str:
    """Fill in /report as a resident would; return the case number from the thank-you page."""
    page.goto("/report")
    expect(page.get_by_role("heading", name="Report a concern")).to_be_visible()
    page.get_by_label("What kind of problem?").select_option(label="Drug activity")
    page.get_by_label("What is happening?").fill(text)
    page.get_by_label("Where? An address, a block or cross streets").fill(location)
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    case = page.locator("strong.case")
    expect(case).to_have_text(CASE_NUMBER)
    return case.inner_text()


def test_resident_reports_and_prosecutor_resolves_the_hotspot(tab: Tab) -> None:
    page = tab.page

    # 1. A resident reports drug activity, with markup in the text, and gets a case number.
    first = report_concern(
        page, f"{HOSTILE} people selling drugs out of the blue house", ADDRESSES[0]
    )
    tab.screenshot("01-resident-thank-you")

    # 2. Neighbours report the same place; the fourth report makes it a hotspot.
    cases = [first] + [
        report_concern(page, f"cars stopping for hand-to-hand sales, report {n}", address)
        for n, address in enumerate(ADDRESSES[1:], start=2)
    ]
    assert len(set(cases)) == len(ADDRESSES)

    # 3. A prosecutor signs in and finds the hotspot in the list.
    sign_in(page, "prosecutor@example.org", "prosecutor-pass")
    hotspot_link = page.get_by_role("link", name="Drug activity near 2263 N Lake Dr")
    expect(hotspot_link).to_be_visible()
    tab.screenshot("02-prosecutor-hotspot-list")
    hotspot_link.click()

    status = page.get_by_test_id("hotspot-status")
    expect(status).to_have_text("new")
    rows = page.locator("td.resident-text")
    expect(rows).to_have_count(len(ADDRESSES))
    # The resident's markup is shown as text: no <img> element, no alert dialog.
    expect(rows.filter(has_text=HOSTILE)).to_have_count(1)
    expect(page.locator("td.resident-text img")).to_have_count(0)
    for case in cases:
        expect(page.get_by_role("cell", name=case, exact=True)).to_be_visible()
    tab.screenshot("03-hotspot-new")

    # Assign a lead agency.
    page.locator("summary", has_text="Assign an agency").click()  # the suggestion comes first
    assign_form = page.locator("form[action$='/assign']")
    assign_form.get_by_label("Agency").select_option(label=LEAD)
    assign_form.get_by_label("Role").select_option(label="Lead")
    assign_form.get_by_label("Why (optional)").fill("Lake Dr is in District 1")
    assign_form.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_have_text(f"{LEAD} is now lead on this hotspot.")
    expect(page.get_by_test_id("owners")).to_contain_text(f"{LEAD} — lead")
    expect(page.get_by_test_id("owners")).to_contain_text("due")
    expect(status).to_have_text("assigned")
    tab.screenshot("04-hotspot-assigned")

    # Log a site visit: the hotspot is being worked.
    action_form = page.locator("form[action$='/actions']")
    action_form.get_by_label("Agency").select_option(label=LEAD)
    action_form.get_by_label("What was done").select_option(label="Site visit")
    action_form.get_by_label("Staff notes").fill("Walked the block with the beat officer.")
    action_form.get_by_role("button", name="Log action").click()
    expect(page.get_by_role("status")).to_have_text("Action logged.")
    expect(status).to_have_text("in progress")
    actions = page.get_by_test_id("actions").get_by_role("listitem")
    expect(actions.filter(has_text=f"{LEAD}: site visit")).to_be_visible()
    expect(page.get_by_test_id("latest-actions")).to_contain_text(f"{LEAD}: site visit")
    tab.screenshot("05-hotspot-in-progress")

    # Resolve it with an outcome and a reason: one click away from the usual step.
    page.locator("summary", has_text="Resolve").click()
    resolve_form = page.locator("form[action$='/resolve']")
    resolve_form.get_by_label("Outcome").select_option(label="Owner compliant")
    resolve_form.get_by_label("How was it resolved?").fill("Landlord evicted the tenants.")
    resolve_form.get_by_role("button", name="Mark resolved").click()
    expect(page.get_by_role("status")).to_have_text("Hotspot resolved.")
    expect(status).to_have_text("resolved")
    expect(page.locator("form[action$='/assign']")).to_have_count(0)
    expect(page.locator("form[action$='/resolve']")).to_have_count(0)
    expect(page.locator("ol.history")).to_contain_text("Landlord evicted the tenants.")
    tab.screenshot("06-hotspot-resolved")

    tab.assert_clean()


def test_viewer_sees_the_hotspot_but_no_forms(tab: Tab, live_app: Flask) -> None:
    from community.extensions import db
    from community.hotspots.recluster import recluster
    from tests.helpers import placed_concerns

    with live_app.app_context():
        placed_concerns(4, text=f"{HOSTILE} dealing here")
        hotspot_id = recluster().created[0]
        db.session.remove()

    page = tab.page
    sign_in(page, "viewer@example.org", "viewer-pass")
    page.get_by_role("link", name="Drug activity near 3500 W Center St").click()
    expect(page).to_have_url(re.compile(rf"/staff/hotspots/{hotspot_id}$"))
    expect(page.get_by_test_id("hotspot-status")).to_have_text("new")
    expect(page.locator("td.resident-text").filter(has_text=HOSTILE)).to_have_count(4)
    expect(page.locator("td.resident-text img")).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)
    expect(page.get_by_role("button", name="Assign")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark resolved")).to_have_count(0)
    expect(page.get_by_role("button", name="Log action")).to_have_count(0)
    tab.screenshot("07-viewer-hotspot")

    tab.assert_clean()
