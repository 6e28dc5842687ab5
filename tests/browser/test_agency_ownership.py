"""Agency ownership in a real browser: an admin invites a partner's staff member, a prosecutor
confirms the routing suggestion, the agency works its queue, and a stale edit is refused.

Run with CHROMIUM_PATH=/usr/bin/chromium; screenshots land in tests/browser/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from tests.browser.conftest import SCREENSHOTS, Tab
from tests.browser.steps import sign_in

pytestmark = pytest.mark.browser


def _hotspot(live_app: Flask) -> int:
    """A new drug-activity hotspot in police district 3."""
    from community.extensions import db
    from tests.workflow.conftest import make_hotspot

    with live_app.app_context():
        hotspot_id = make_hotspot(district="3").id
        db.session.remove()
    return hotspot_id


def test_admin_invites_a_new_agency_member_who_sets_a_password(
    tab: Tab, browser: Browser, live_server: str
) -> None:
    page = tab.page
    sign_in(page, "admin@example.org", "admin-pass")
    page.get_by_role("link", name="Admin").click()
    invite = page.locator("form[action$='/admin/users']")
    invite.get_by_label("E-mail").fill("nia.inspector@example.org")
    invite.get_by_label("Name").fill("Nia Inspector")
    invite.get_by_label("Role").select_option(label="Agency staff")
    invite.get_by_label("Agency").select_option(label="Department of Neighborhood Services")
    invite.get_by_role("button", name="Invite").click()
    link = page.get_by_label("Invitation link").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/invite/[A-Za-z0-9_-]{40,}", link)
    expect(page.get_by_role("row").filter(has_text="nia.inspector@example.org")).to_contain_text(
        "invited"
    )
    tab.screenshot("20-admin-invited")

    newcomer = browser.new_context(base_url=live_server)
    other = newcomer.new_page()
    try:
        other.goto(link)
        expect(other.get_by_role("heading", name="Set your password")).to_be_visible()
        other.get_by_label("New password", exact=True).fill("short")
        other.get_by_label("Repeat the new password").fill("short")
        other.get_by_role("button", name="Set password").click()
        expect(other.get_by_text("Use at least 12 characters.")).to_be_visible()
        other.get_by_label("New password", exact=True).fill("neighbourhood services 2026")
        other.get_by_label("Repeat the new password").fill("neighbourhood services 2026")
        other.get_by_role("button", name="Set password").click()
        expect(other.get_by_role("status")).to_have_text(
            "Your password is set. Sign in with it now."
        )
        sign_in(other, "nia.inspector@example.org", "neighbourhood services 2026")
        other.get_by_role("link", name="Work queue").first.click()
        expect(
            other.get_by_role("heading", name=re.compile("Department of Neighborhood"))
        ).to_be_visible()
        other.goto(link)  # the link worked once
        expect(other.get_by_text("not valid or has expired")).to_be_visible()
    finally:
        newcomer.close()
    tab.assert_clean()


def test_routing_queue_and_a_stale_edit(
    tab: Tab, browser: Browser, live_server: str, live_app: Flask
) -> None:
    hotspot_id = _hotspot(live_app)
    page = tab.page
    sign_in(page, "prosecutor@example.org", "prosecutor-pass")
    page.goto(f"/staff/hotspots/{hotspot_id}")
    suggestion = page.get_by_test_id("suggestion")
    expect(suggestion).to_contain_text("Milwaukee Police District 3")
    expect(suggestion).to_contain_text("Drug activity in police district 3")
    tab.screenshot("21-routing-suggestion")
    suggestion.get_by_role("button", name="Confirm suggestion").click()
    expect(page.get_by_test_id("hotspot-status")).to_have_text("assigned")
    owners = page.get_by_test_id("owners")
    expect(owners).to_contain_text("Milwaukee Police District 3 — lead")
    expect(owners).to_contain_text("District Attorney's Community Prosecution Unit — partner")
    expect(page.get_by_test_id("suggestion")).to_have_count(0)  # confirmed: offered no more

    # District 3 staff work it from their queue.
    station = browser.new_context(base_url=live_server)
    staff = station.new_page()
    try:
        sign_in(staff, "d3@example.org", "agency_staff-pass")
        staff.goto("/staff/queue")
        staff.get_by_label(f"Select #{hotspot_id}").check()
        staff.get_by_label("Change").select_option(label="Log the same action on each")
        staff.get_by_label("What was done").select_option(label="Directed patrol")
        staff.get_by_label("Outcome").select_option(label="Done")
        staff.get_by_role("button", name="Update ticked hotspots").click()
        expect(staff.get_by_role("status")).to_have_text("1 hotspot updated.")
        expect(staff.get_by_test_id("queue")).to_contain_text("in progress")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        staff.screenshot(path=SCREENSHOTS / "22-agency-queue.png", full_page=True)

        # The prosecutor's page is now out of date: their hand-off is refused, their text kept.
        page.locator("summary", has_text="Hand off the lead").click()
        handoff = page.locator("form[action$='/handoff']")
        handoff.get_by_label("New lead agency").select_option(
            label="Department of Neighborhood Services"
        )
        handoff.get_by_label("Why is the lead moving?").fill("Landlord issue: code enforcement")
        handoff.get_by_role("button", name="Hand off").click()
        expect(page.get_by_role("alert").first).to_contain_text(
            "Someone else changed this hotspot while you were working"
        )
        expect(page.get_by_test_id("hotspot-status")).to_have_text("in progress")
        expect(page.locator("form[action$='/handoff'] textarea")).to_have_value(
            "Landlord issue: code enforcement"
        )
        tab.screenshot("23-stale-edit-refused")
        page.locator("form[action$='/handoff']").get_by_role("button", name="Hand off").click()
        expect(page.get_by_role("status")).to_have_text(
            "Department of Neighborhood Services is now the lead on this hotspot."
        )
        expect(page.get_by_test_id("timeline")).to_contain_text("Landlord issue: code enforcement")
    finally:
        station.close()
    # The refused hand-off answered 409 on purpose: Chromium logs that as a failed load.
    conflicts = [e for e in tab.console_errors if "409 (CONFLICT)" in e and "/handoff" in e]
    assert len(conflicts) == 1
    tab.console_errors = [e for e in tab.console_errors if e not in conflicts]
    tab.assert_clean()
