"""Where staff and the public see evaluations: the hotspot panel, metrics, CSV, report."""

from __future__ import annotations

import csv
import io
import re

import pytest

from community.evaluation.csvfile import COLUMNS
from tests.conftest import sign_in
from tests.evaluation.history import build_history


@pytest.fixture
def history(app, users):
    return build_history()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_hotspot_panel_says_what_changed(client, history):
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    page = client.get(f"/staff/hotspots/{history.hotspot_id}").get_data(as_text=True)
    words = text_of(page)
    assert "Did it work?" in words
    assert (
        "Reports fell from 14 to 3 in the 8 weeks after the site visit; nearby blocks unchanged."
        in words
    )
    # The resolution 30 days ago: shorter windows, said so, and too few reports in them.
    assert "Too few reports to tell: 2 in the 4.3 weeks before the resolution, 1 after" in words
    assert "not 8: the resolution was only 4.3 weeks ago" in words
    assert page.count('class="chart evaluation-chart"') == 2
    assert "style=" not in page.split('data-testid="evaluation"')[1].split("</section>")[0]


def test_hotspot_without_a_response_has_no_panel(client, users):
    from community.extensions import db
    from community.models import Hotspot

    hotspot = Hotspot(label="Quiet", centroid_lat=43.05, centroid_lon=-87.95)
    db.session.add(hotspot)
    db.session.commit()
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    page = client.get(f"/staff/hotspots/{hotspot.id}").get_data(as_text=True)
    assert "Did it work?" not in page


def test_metrics_section_counts_verdicts(client, history):
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    page = client.get("/metrics/?days=90").get_data(as_text=True)
    words = text_of(page)
    assert "Did it work? Reports before and after each response" in words
    assert "1 response: 1 fell, 0 no clear change, 0 rose, 0 too few reports to tell." in words
    assert "1 response: 0 fell, 0 no clear change, 0 rose, 1 too few reports to tell." in words
    # By agency: the first action's median rate ratio is 3/14 = 0.21 (one response: no spread).
    assert "Milwaukee Police District 3 1 1 0 0 0 0.21 (0.21–0.21)" in words
    assert "site visit 1 1 0 0 0 0.21" in words
    assert "problem stopped 1 0 0 0 1 —" in words


def test_staff_csv_is_streamed(client, history):
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    response = client.get("/metrics/evaluations.csv?days=90")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["response"] for r in rows] == ["first_action", "resolution"]
    assert rows[0]["before"] == "14" and rows[0]["after"] == "3"
    assert tuple(rows[0]) == COLUMNS


def test_agency_staff_csv_holds_only_their_places(client, history):
    sign_in(client, "d3@example.org", "agency_staff-pass")
    rows = list(csv.DictReader(io.StringIO(client.get("/metrics/evaluations.csv").get_data(True))))
    assert len(rows) == 2  # MPD District 3 leads this place
    client.get("/logout")
    sign_in(client, "viewer@example.org", "viewer-pass")
    assert client.get("/metrics/evaluations.csv").status_code == 200


def test_csv_needs_staff(client, history):
    assert client.get("/metrics/evaluations.csv").status_code in (302, 401)


def test_public_metrics_show_the_counts_without_places(client, history):
    page = client.get("/metrics/public?days=90").get_data(as_text=True)
    words = text_of(page)
    assert "1 response: 1 fell" in words
    assert "evaluations.csv" not in page
    assert f"/staff/hotspots/{history.hotspot_id}" not in page


@pytest.mark.parametrize(
    ("language", "heading", "fell", "nearby"),
    [
        ("en", "What changed after we acted", "Reports fell", "No sign of moving"),
        ("es", "Qué cambió después de actuar", "Bajaron los reportes", "Sin señales de traslado"),
    ],
)
def test_meeting_report_section(app, history, language, heading, fell, nearby):
    from datetime import timedelta

    from community.extensions import db
    from community.models import Area, Hotspot
    from community.reports.areas import select_areas
    from community.reports.build import make_report
    from community.reports.service import Period

    area = db.session.scalar(db.select(Area).filter_by(name="METCALFE PARK"))
    db.session.get(Hotspot, history.hotspot_id).neighborhood_id = area.id
    db.session.commit()
    period = Period(history.now - timedelta(days=45), history.now)
    report = make_report(select_areas(["METCALFE PARK"]), period, language, preview=True)
    rows = report.facts.evaluations
    assert [(r.what, r.before, r.after, r.verdict) for r in rows][-1][1:] == (14, 3, "fell")
    words = text_of(report.html)
    assert heading in words and fell in words and nearby in words
    assert "14 → 3" in words and "4 → 4" in words
