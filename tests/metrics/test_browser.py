"""The metrics pages in Debian's Chromium: charts drawn, nothing fetched from outside, no errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from community.extensions import db
from tests.browser.conftest import Tab, browser, live_app, live_server, tab  # noqa: F401 - fixtures
from tests.metrics.test_metrics import build_fixed

pytestmark = pytest.mark.browser


def test_public_and_staff_metrics_draw_their_charts(tab: Tab, live_app) -> None:  # noqa: F811
    build_fixed()
    db.session.remove()
    page = tab.page
    page.goto("/metrics/public?days=365")
    expect(page.get_by_role("heading", name="How we are doing")).to_be_visible()
    charts = page.locator("svg.chart")
    assert charts.count() >= 4
    expect(page.get_by_role("img", name="Open hotspots at the end of each week")).to_be_visible()
    assert page.locator("svg.chart rect").count() >= 3  # bars were drawn
    tab.screenshot("metrics-public")

    page.goto("/login")
    page.get_by_label("E-mail").fill("prosecutor@example.org")
    page.get_by_label("Password").fill("prosecutor-pass")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Metrics").click()
    expect(page.get_by_role("heading", name="Metrics")).to_be_visible()
    page.get_by_label("Period").select_option("365")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("cell", name="2847 N 35th St")).to_be_visible()
    tab.screenshot("metrics-staff")
    page.get_by_role("link", name="Export").click()
    expect(page.get_by_role("heading", name="Export concerns and hotspots")).to_be_visible()
    tab.assert_clean()
