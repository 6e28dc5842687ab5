"""The evaluation panel, the metrics section and the report's section in Debian's Chromium:
axe-core's WCAG 2.1 A and AA rules pass, nothing is fetched from outside, no CSP refusal.
Screenshots go to $EVAL_SCREENSHOTS (default /tmp): eval_hotspot_panel.png, ..."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.extensions import db
from tests.browser.conftest import Tab
from tests.evaluation.history import build_history

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SHOTS = Path(os.environ.get("EVAL_SCREENSHOTS", "/tmp"))


@pytest.fixture
def seeded(live_app: Flask) -> dict:
    """The known history of tests/evaluation/history.py, its place in Metcalfe Park."""
    from community.models import Area, Hotspot

    made = build_history()
    area = db.session.scalar(db.select(Area).filter_by(name="METCALFE PARK"))
    db.session.get(Hotspot, made.hotspot_id).neighborhood_id = area.id
    db.session.commit()
    db.session.remove()
    return {"hotspot": made.hotspot_id, "now": made.now}


def _violations(page: Page) -> list[str]:
    # Through the debugging channel: the pages' Content-Security-Policy does not govern it.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        f"{v['id']} x{len(v['nodes'])}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})"
        for v in result["violations"]
    ]


def _sign_in(page: Page) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill("prosecutor@example.org")
    page.locator("input[name=password]").fill("prosecutor-pass")
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


def test_panel_and_metrics_section(tab: Tab, seeded: dict) -> None:
    page = tab.page
    _sign_in(page)
    page.goto(f"/staff/hotspots/{seeded['hotspot']}")
    panel = page.get_by_test_id("evaluation")
    expect(panel.get_by_role("heading", name="Did it work?")).to_be_visible()
    expect(panel.get_by_test_id("evaluation-verdict").first).to_contain_text(
        "Reports fell from 14 to 3 in the 8 weeks after the site visit; nearby blocks unchanged."
    )
    expect(panel.get_by_role("img").first).to_be_visible()
    panel.screenshot(path=SHOTS / "eval_hotspot_panel.png")
    assert _violations(page) == []

    page.goto("/metrics/?days=90")
    section = page.get_by_test_id("evaluation-metrics")
    expect(section).to_contain_text("1 response: 1 fell")
    section.screenshot(path=SHOTS / "eval_metrics_section.png")
    assert _violations(page) == []

    page.goto("/metrics/public?days=90")
    expect(page.get_by_test_id("evaluation-metrics")).to_contain_text("1 fell")
    page.get_by_test_id("evaluation-metrics").screenshot(path=SHOTS / "eval_metrics_public.png")
    assert _violations(page) == []
    tab.assert_clean()


@pytest.mark.parametrize("language", ["en", "es"])
def test_report_section(tab: Tab, live_app: Flask, seeded: dict, language: str) -> None:
    from community.reports.areas import select_areas
    from community.reports.build import make_report
    from community.reports.service import Period

    period = Period(seeded["now"] - timedelta(days=45), seeded["now"])
    with live_app.test_request_context():
        html = make_report(select_areas(["METCALFE PARK"]), period, language, preview=True).html
    db.session.remove()
    page = tab.page
    page.set_content(html)
    section = page.get_by_test_id("report-evaluations")
    expect(section).to_contain_text(
        "What changed after we acted" if language == "en" else "Qué cambió después de actuar"
    )
    section.screenshot(path=SHOTS / f"eval_report_{language}.png")
    page.screenshot(path=SHOTS / f"eval_report_page_{language}.png", full_page=True)
    assert _violations(page) == []
