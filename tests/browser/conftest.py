"""Browser fixtures: the real app served on a local port, driven by Debian's Chromium.

No browser is downloaded: CHROMIUM_PATH names the system Chromium. Without it the browser
tests skip locally and fail in CI. Every request that is not to the local server is aborted,
so a passing test also proves the pages work with no outside network (no CDN, fonts, etc.).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Error, Page, Route, sync_playwright
from werkzeug.serving import make_server

from community.extensions import db
from tests.conftest import REQUIRED_IN_CI, fresh_app

# Screenshots go to $SCREENSHOT_DIR when set, else tests/browser/screenshots (git-ignored).
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(__file__).parent / "screenshots")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1"}
CSP_VIOLATION = "Content Security Policy"  # how Chromium's console names a refusal


def chromium_path() -> str:
    """Debian's Chromium from CHROMIUM_PATH; skip locally, fail in CI, if it is not there."""
    path = os.environ.get("CHROMIUM_PATH")
    if path and Path(path).is_file():
        return path
    message = (
        f"CHROMIUM_PATH={path!r} is not a file: install Debian's chromium and set "
        "CHROMIUM_PATH=/usr/bin/chromium"
        if path
        else "CHROMIUM_PATH is not set: set it to Debian's chromium, e.g. /usr/bin/chromium"
    )
    if REQUIRED_IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def live_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """A fresh app on its own copy of the template database, CSRF on, one user per role."""
    from tests.factories import make_staff

    for application in fresh_app(sqlite_template, tmp_path, WTF_CSRF_ENABLED=True):
        make_staff()
        db.session.remove()  # the server's threads open their own sessions
        yield application


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    """`live_app` served over HTTP on a free local port; yields the base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["PUBLIC_BASE_URL"] = url  # as deployed: links the app hands out point here
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Browser:
    """One headless Chromium for the session (the system binary, never a download).

    Shared by the whole process: test modules elsewhere that import this fixture get their own
    session-scoped instance of it, and a second sync Playwright cannot start beside the first.
    """
    if "chromium" not in _SHARED:
        executable = chromium_path()
        playwright = sync_playwright().start()
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except BaseException:
            playwright.stop()
            raise

        def stop() -> None:
            _SHARED.clear()
            chromium.close()
            playwright.stop()

        _SHARED["chromium"] = chromium
        request.addfinalizer(stop)
    return _SHARED["chromium"]


_SHARED: dict[str, Browser] = {}


@pytest.fixture(autouse=True)
def no_csp_violations(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every browser test fails when a page logs a Content-Security-Policy refusal.

    Watches every page of every context a test opens (the `tab` fixture's and its own), so an
    inline script or style that slips back into a template fails the test that shows it.
    """
    refused: list[str] = []
    original = Browser.new_context

    def watch(page: Page) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and CSP_VIOLATION in message.text:
                refused.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

    def new_context(self: Browser, *args: object, **kwargs: object):
        context = original(self, *args, **kwargs)
        context.on("page", watch)
        return context

    monkeypatch.setattr(Browser, "new_context", new_context)
    yield
    assert refused == [], f"Content Security Policy violations: {refused}"


@dataclass
class Tab:
    """A page in a fresh browser context, with what went wrong in it collected."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a dialog opened (script ran?): {self.dialogs}"
        assert self.page_errors == [], f"uncaught page errors: {self.page_errors}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.blocked == [], f"the pages asked for outside resources: {self.blocked}"


@pytest.fixture
def tab(browser: Browser, live_server: str) -> Iterator[Tab]:
    """A fresh context and page on the live server; outside requests are aborted."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    watched = Tab(page=context.new_page())

    def only_local(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            watched.blocked.append(url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def on_page_error(error: Error) -> None:
        watched.page_errors.append(str(error))

    def on_dialog(dialog: Dialog) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.route("**/*", only_local)
    watched.page.on("console", on_console)
    watched.page.on("pageerror", on_page_error)
    watched.page.on("dialog", on_dialog)
    try:
        yield watched
    finally:
        context.close()
