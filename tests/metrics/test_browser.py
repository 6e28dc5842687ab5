"""The metrics pages in Debian's Chromium: charts drawn, nothing fetched from outside, no errors.

Playwright runs in its own thread here: tests/browser keeps a session-wide sync Playwright
(with its event loop) alive in the main thread, and a second one cannot start beside it.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from community.extensions import db
from tests.browser.conftest import (  # noqa: F401 - fixtures
    CHROMIUM_ARGS,
    LOCAL_HOSTS,
    SCREENSHOTS,
    chromium_path,
    live_app,
    live_server,
)
from tests.metrics.test_metrics import build_fixed

pytestmark = pytest.mark.browser


def _drive(base_url: str, executable: str, problems: list[str]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)

        def only_local(route) -> None:
            if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
                route.continue_()
            else:
                problems.append(f"outside request: {route.request.url}")
                route.abort()

        context.route("**/*", only_local)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on(
            "console",
            lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))

        page.goto("/metrics/public?days=365")
        expect(page.get_by_role("heading", name="How we are doing")).to_be_visible()
        assert page.locator("svg.chart").count() >= 4
        expect(
            page.get_by_role("img", name="Open hotspots at the end of each week")
        ).to_be_visible()
        assert page.locator("svg.chart rect").count() >= 3  # bars were drawn
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "metrics-public.png", full_page=True)

        page.goto("/login")
        page.get_by_label("E-mail").fill("prosecutor@example.org")
        page.get_by_label("Password").fill("prosecutor-pass")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Metrics").click()
        expect(page.get_by_role("heading", name="Metrics")).to_be_visible()
        page.get_by_label("Period").select_option("365")
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_role("cell", name="2847 N 35th St")).to_be_visible()
        page.screenshot(path=SCREENSHOTS / "metrics-staff.png", full_page=True)
        page.get_by_role("link", name="Export").click()
        expect(page.get_by_role("heading", name="Export concerns and hotspots")).to_be_visible()
        page.screenshot(path=SCREENSHOTS / "exports-staff.png", full_page=True)
        context.close()
        browser.close()


def test_public_and_staff_metrics_draw_their_charts(live_app, live_server: str) -> None:  # noqa: F811
    executable = chromium_path()
    build_fixed()
    db.session.remove()
    problems: list[str] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            _drive(live_server, executable, problems)
        except BaseException as error:  # re-raised in the test's thread
            failures.append(error)

    thread = threading.Thread(target=run, name="metrics-browser")
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the browser did not finish"
    if failures:
        raise failures[0]
    assert problems == []
