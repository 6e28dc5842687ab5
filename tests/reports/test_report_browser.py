"""A staff member makes a meeting report in Chromium: pick the area, preview, download the PDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from community.extensions import db
from tests.browser.conftest import Tab, browser, live_server, tab  # noqa: F401 - fixtures
from tests.browser.test_walking_skeleton import sign_in
from tests.conftest import fresh_app
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(reports_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """The reports data set served with CSRF on, as in production."""
    for application in fresh_app(
        reports_template,
        tmp_path,
        WTF_CSRF_ENABLED=True,
        REPORTS_FOLDER=str(tmp_path / "reports"),
    ):
        db.session.remove()  # the server's threads open their own sessions
        yield application


def test_staff_preview_and_download_a_report(tab: Tab, tmp_path: Path) -> None:  # noqa: F811
    page = tab.page
    sign_in(page, "viewer@example.org", "viewer-pass")
    page.get_by_role("link", name="Reports").click()
    page.get_by_label("A neighbourhood or district").select_option(
        ["METCALFE PARK", "SHERMAN PARK"]
    )
    tab.screenshot("reports-form")

    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.get_by_role("heading", name="Metcalfe Park + Sherman Park").is_visible()
    assert "2400 block of N 35th St" in preview.content()
    assert "2417" not in preview.content()
    preview.screenshot(path=str(tmp_path / "preview.png"))

    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("report-metcalfe-park-sherman-park-")
    assert saved.read_bytes()[:4] == b"%PDF"
    assert "Metcalfe Park + Sherman Park" in " ".join(pdf_text(saved).split())
    tab.assert_clean()
