"""axe-core over every page residents and staff use, in English and Spanish: no WCAG 2.1 A or
AA violation. axe is evaluated through the browser's debugging channel, which the pages'
Content-Security-Policy does not govern (an inline <script> of it would be refused)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RESIDENT_PAGES = [
    "/",
    "/report",
    "/report/{case}",
    "/status",
    "/status/{case}",
    "/metrics/public",
    "/exports/public/",
    "/login",
    "/no-such-page",  # the error page
]
STAFF_PAGES = [
    "/staff/",
    "/staff/?status=all",
    "/staff/hotspots/{hotspot}",
    "/staff/queue",
    "/staff/triage/",
    "/staff/triage/locate",
    "/metrics/",
    "/staff/reports/",
    "/exports/",
    "/account",
    "/admin/users",
    "/admin/users/{user}",
    "/admin/routing",
    "/admin/routing/{rule}",
    "/admin/service-levels",
    "/open311/keys/",
]
AGENCY_PAGES = ["/staff/", "/staff/hotspots/{hotspot}", "/staff/queue", "/metrics/"]


@pytest.fixture
def seeded(live_app: Flask) -> dict:
    """A District 3 hotspot led by MPD-D3, a concern waiting for a place, ids for the URLs."""
    from community.extensions import db
    from community.models import AssignmentRole, RoutingRule, User
    from community.workflow.service import assign
    from tests.factories import ConcernFactory, agency
    from tests.workflow.conftest import make_hotspot

    prosecutor = db.session.scalar(db.select(User).filter_by(email="prosecutor@example.org"))
    hotspot = make_hotspot(6)
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, prosecutor)
    ConcernFactory(text="broken streetlight somewhere near the park")
    values = {
        "hotspot": hotspot.id,
        "case": hotspot.concerns[0].case_number,
        "user": db.session.scalar(db.select(User.id).filter_by(email="viewer@example.org")),
        "rule": db.session.scalar(db.select(RoutingRule.id).limit(1)),
    }
    db.session.remove()
    return values


def _violations(page: Page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        f"{v['id']} x{len(v['nodes'])}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})"
        for v in result["violations"]
    ]


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


def _sweep(tab: Tab, pages: list[str], values: dict, language: str) -> dict[str, list[str]]:
    page = tab.page
    page.goto(f"/?lang={language}")  # remembered in the session from here on
    found = {}
    for template in pages:
        url = template.format(**values)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language, url
        if problems := _violations(page):
            found[url] = problems
    return found


@pytest.mark.parametrize("language", ["en", "es"])
def test_resident_pages_pass_axe(tab: Tab, seeded: dict, language: str) -> None:
    assert _sweep(tab, RESIDENT_PAGES, seeded, language) == {}


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_pages_pass_axe(tab: Tab, seeded: dict, language: str) -> None:
    _sign_in(tab.page, "admin@example.org", "admin-pass")
    assert _sweep(tab, STAFF_PAGES, seeded, language) == {}


@pytest.mark.parametrize("language", ["en", "es"])
def test_agency_staff_pages_pass_axe(tab: Tab, seeded: dict, language: str) -> None:
    _sign_in(tab.page, "d3@example.org", "agency_staff-pass")
    assert _sweep(tab, AGENCY_PAGES, seeded, language) == {}


@pytest.mark.parametrize("language", ["en", "es"])
def test_forms_with_errors_pass_axe(tab: Tab, seeded: dict, language: str) -> None:
    """The report and sign-in forms sent back with every field in error."""
    page = tab.page
    page.goto(f"/?lang={language}")
    page.goto("/report")
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    problems = {"/report (errors)": _violations(page)}
    page.goto("/login")
    page.locator("input[name=email]").fill("nobody@example.org")
    page.locator("input[name=password]").fill("wrong")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    problems["/login (errors)"] = _violations(page)
    assert {url: found for url, found in problems.items() if found} == {}
