"""Staff make reports in the browser: pick an area and period, preview, download, run a batch."""

from __future__ import annotations

import time

import pytest

from community.extensions import db
from community.models import MeetingReport, ReportBatch
from tests.conftest import sign_in

STAFF_LOGINS = [
    ("admin@example.org", "admin-pass"),
    ("prosecutor@example.org", "prosecutor-pass"),
    ("d3@example.org", "agency_staff-pass"),
    ("viewer@example.org", "viewer-pass"),
]


def _viewer(client) -> None:
    sign_in(client, "viewer@example.org", "viewer-pass")


def test_reports_need_a_staff_login(demo_client) -> None:
    assert demo_client.get("/staff/reports/").status_code == 302
    response = demo_client.post("/staff/reports/make", data={"area": "METCALFE PARK"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("email", "password"), STAFF_LOGINS)
def test_every_staff_role_can_preview(demo_client, email, password) -> None:
    sign_in(demo_client, email, password)
    page = demo_client.get("/staff/reports/")
    assert page.status_code == 200 and "METCALFE PARK" in page.get_data(as_text=True)
    preview = demo_client.post(
        "/staff/reports/make", data={"area": "METCALFE PARK", "action": "preview"}
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Hotspots, highest priority first" in html and "2400 block of N 35th St" in html
    assert "2417" not in html and "555-0187" not in html and "informant" not in html
    assert 'src="data:image/png;base64,' in html  # nothing for a browser or printer to fetch


def test_download_is_a_pdf_and_the_next_report_starts_where_it_stopped(demo_client) -> None:
    sign_in(demo_client, "prosecutor@example.org", "prosecutor-pass")
    response = demo_client.post(
        "/staff/reports/make",
        data={"area": "METCALFE PARK", "since": "2026-01-01", "language": "es", "action": "pdf"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert 'filename="report-metcalfe-park-' in response.headers["Content-Disposition"]
    first = db.session.scalar(db.select(MeetingReport))
    assert first.area_key == "neighborhood:METCALFE PARK" and first.language == "es"
    assert first.concern_count >= 8

    from community.reports.areas import select_areas
    from community.reports.service import resolve_period

    assert resolve_period(select_areas(["METCALFE PARK"])).start == first.period_end


@pytest.mark.parametrize(
    ("email", "password"), [STAFF_LOGINS[2], STAFF_LOGINS[3]], ids=["agency_staff", "viewer"]
)
def test_others_download_but_neither_record_nor_start_batches(demo_client, email, password) -> None:
    sign_in(demo_client, email, password)
    assert "Make all reports" not in demo_client.get("/staff/reports/").get_data(as_text=True)
    response = demo_client.post(
        "/staff/reports/make", data={"area": "METCALFE PARK", "action": "pdf"}
    )
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert db.session.scalar(db.select(db.func.count(MeetingReport.id))) == 0
    response = demo_client.post(
        "/staff/reports/batches", data={"kind": "police_district", "since": "2026-01-01"}
    )
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count(ReportBatch.id))) == 0


def test_unknown_area_is_a_400_with_close_matches(demo_client) -> None:
    _viewer(demo_client)
    response = demo_client.post(
        "/staff/reports/make", data={"area_text": "SHERMEN PARK", "action": "preview"}
    )
    assert response.status_code == 400
    assert "Did you mean: SHERMAN PARK" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Name an area"),
        ({"area_text": "   ;  ; "}, "Name an area"),
        ({"area": "METCALFE PARK", "since": "yesterday"}, "must look like 2026-10-01"),
        ({"area": "METCALFE PARK", "since": "2026-02-30"}, "must look like 2026-10-01"),
        ({"area": "METCALFE PARK", "since": "2099-01-01"}, "must start before it ends"),
        ({"area": "METCALFE PARK", "since": "1900-01-01"}, "at most 731 days"),
        ({"area": "METCALFE PARK", "language": "fr"}, "Choose English"),
        ({"area_text": "x" * 5000}, "No area called"),
    ],
)
def test_bad_input_gets_a_clear_message(demo_client, data, message) -> None:
    _viewer(demo_client)
    response = demo_client.post("/staff/reports/make", data={"action": "preview", **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(MeetingReport.id))) == 0


def test_script_in_an_area_name_is_shown_as_text(demo_client) -> None:
    _viewer(demo_client)
    response = demo_client.post(
        "/staff/reports/make",
        data={"area_text": "<script>alert(1)</script>", "action": "preview"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_the_form_needs_its_csrf_token(reports_template, tmp_path) -> None:
    from tests.conftest import fresh_app

    for app in fresh_app(reports_template, tmp_path, WTF_CSRF_ENABLED=True):
        client = app.test_client()
        client.post("/login", data={"email": "viewer@example.org", "password": "viewer-pass"})
        response = client.post("/staff/reports/make", data={"area": "METCALFE PARK"})
        assert response.status_code == 400


def _wait_for(client, batch_id: int, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(f"/staff/reports/batches/{batch_id}/progress.json").get_json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.5)
    raise AssertionError(f"batch {batch_id} still {state} after {seconds} s")


def test_a_batch_runs_in_the_background_and_shows_its_progress(demo_client) -> None:
    sign_in(demo_client, "prosecutor@example.org", "prosecutor-pass")
    response = demo_client.post(
        "/staff/reports/batches", data={"kind": "police_district", "language": "en"}
    )
    assert response.status_code == 302
    batch_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    page = demo_client.get(f"/staff/reports/batches/{batch_id}")
    assert page.status_code == 200 and "<progress" in page.get_data(as_text=True)
    state = _wait_for(demo_client, batch_id)
    assert state == {"status": "done", "total": 7, "done": 7, "failed": 0}
    page = demo_client.get(f"/staff/reports/batches/{batch_id}").get_data(as_text=True)
    assert "Finished: 7 reports made." in page and "Police District 3" in page
    name = db.session.scalar(
        db.select(MeetingReport.file_name).filter_by(
            batch_id=batch_id, area_label="Police District 3"
        )
    )
    pdf = demo_client.get(f"/staff/reports/batches/{batch_id}/files/{name}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert demo_client.get(f"/staff/reports/batches/{batch_id}/files/..%2Fx.pdf").status_code == 404


def test_a_batch_asks_for_a_known_kind(demo_client) -> None:
    sign_in(demo_client, "prosecutor@example.org", "prosecutor-pass")
    response = demo_client.post("/staff/reports/batches", data={"kind": "ward"})
    assert response.status_code == 400
    assert "Choose neighbourhoods, aldermanic districts or police districts" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count(ReportBatch.id))) == 0


def test_default_period_after_an_earlier_report(demo_app) -> None:
    from datetime import date, timedelta

    from community.models import utcnow
    from community.reports.areas import select_areas
    from community.reports.service import resolve_period

    selection = select_areas(["METCALFE PARK"])
    fresh = resolve_period(selection)
    assert timedelta(days=29) < fresh.end - fresh.start <= timedelta(days=30)  # never reported
    db.session.add(
        MeetingReport(
            area_key=selection.key,
            area_label=selection.label,
            language="en",
            period_start=utcnow() - timedelta(days=20),
            period_end=utcnow() - timedelta(days=6),
        )
    )
    db.session.commit()
    since_last = resolve_period(selection)
    assert abs(since_last.start - (utcnow() - timedelta(days=6))) < timedelta(seconds=5)
    # A report for an earlier month, made after that month: its own 30 days, not an error.
    earlier = resolve_period(selection, until=date.today() - timedelta(days=10))
    assert earlier.end - earlier.start == timedelta(days=30)
