"""The hotspot page with the keyboard only: a prosecutor assigns a lead, logs an action and
resolves, reaching every control with Tab in page order and using Enter, Space and arrows.

The first screen says what is going on; the usual step's form is open and the rarer ones are
one key press away (<details>), with no JavaScript needed for any of it.
"""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab
from tests.browser.steps import sign_in

pytestmark = pytest.mark.browser

TAB_LIMIT = 150  # presses before we call a control unreachable


def tab_to(page: Page, text: str, role: str) -> None:
    """Press Tab until the focused control is `role` named `text` (in page order)."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """([text, role]) => {
                const el = document.activeElement;
                const name = (el.labels && el.labels[0] ? el.labels[0].textContent
                              : el.textContent || el.value || "").trim();
                return el.tagName.toLowerCase() === role && name.startsWith(text);
            }""",
            [text, role],
        )
        if found:
            return
    raise AssertionError(f"no {role} {text!r} within {TAB_LIMIT} presses of Tab")


def test_assign_act_and_resolve_with_the_keyboard_only(tab: Tab, live_app: Flask) -> None:
    from community.extensions import db
    from tests.workflow.conftest import make_hotspot

    with live_app.app_context():
        hotspot_id = make_hotspot(district="3").id
        db.session.remove()
    page = tab.page
    sign_in(page, "prosecutor@example.org", "prosecutor-pass")
    page.goto(f"/staff/hotspots/{hotspot_id}")
    status = page.get_by_test_id("hotspot-status")
    expect(status).to_have_text("new")
    expect(page.get_by_test_id("owners")).to_contain_text("No agency assigned yet.")

    # The suggestion comes first; assigning another agency is one key press away.
    tab_to(page, "Assign an agency", "summary")
    page.keyboard.press("Enter")
    tab_to(page, "Agency", "select")
    page.keyboard.press("ArrowDown")  # the next agency in the list
    chosen = page.evaluate("document.activeElement.selectedOptions[0].textContent")
    tab_to(page, "Assign", "button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("is now lead on this hotspot.")
    expect(page.get_by_test_id("owners")).to_contain_text(f"{chosen} — lead")
    expect(status).to_have_text("assigned")

    # Logging an action is now the usual step: its form is open on the first screen.
    expect(page.get_by_test_id("work-action")).to_be_visible()
    tab_to(page, "What was done", "select")
    page.keyboard.press("ArrowDown")
    tab_to(page, "Log action", "button")
    page.keyboard.press(" ")
    expect(page.get_by_role("status")).to_have_text("Action logged.")
    expect(status).to_have_text("in progress")

    tab_to(page, "Resolve", "summary")
    page.keyboard.press("Enter")
    tab_to(page, "Outcome", "select")
    page.keyboard.press("ArrowDown")
    tab_to(page, "How was it resolved?", "textarea")
    page.keyboard.type("Owner evicted the tenants; no more sales.")
    tab_to(page, "Mark resolved", "button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Hotspot resolved.")
    expect(status).to_have_text("resolved")
    tab.screenshot("hotspot-keyboard-resolved")
    tab.assert_clean()
