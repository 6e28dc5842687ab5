"""'Download map' on the triage map (its filters) and on the meeting-report page (its area)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from community.extensions import db
from community.models import Area
from tests.conftest import sign_in
from tests.maps.conftest import AREA


def _is_map_file(response, language: str = "en") -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and re.search(
        rf'filename="map-[a-z0-9-]+-\d{{4}}-\d\d-\d\d-{language}\.html"', disposition
    )
    assert response.mimetype == "text/html"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    html = response.get_data(as_text=True)
    assert f'<html lang="{language}">' in html
    return html


def test_the_triage_page_links_to_a_map_of_its_filters(demo_client: FlaskClient) -> None:
    sign_in(demo_client, "prosecutor@example.org", "prosecutor-pass")
    area = db.session.scalar(db.select(Area.id).filter_by(name=AREA))
    query = f"since=2026-01-01&area={area}&status=all&layers=hotspots,heat"
    page = demo_client.get(f"/staff/triage/?{query}").get_data(as_text=True)
    link = re.search(
        r'href="(/staff/triage/map\.html\?[^"]+)"[^>]*data-testid="download-map"', page
    )
    assert link, "no Download map link"
    url = link.group(1).replace("&amp;", "&")
    assert f"area={area}" in url and "status=all" in url and "layers=heat" in url
    html = _is_map_file(demo_client.get(url))
    assert "<title>Metcalfe Park</title>" in html and "Heat: where concerns gather" in html
    assert int(re.search(r'data-hotspots="(\d+)"', html).group(1)) > 0


def test_the_triage_map_file_follows_the_page_language(demo_client: FlaskClient) -> None:
    sign_in(demo_client, "viewer@example.org", "viewer-pass")
    demo_client.get("/staff/triage/?lang=es")
    html = _is_map_file(demo_client.get("/staff/triage/map.html?status=all"), "es")
    assert "Mapa de puntos críticos" in html and "<title>Milwaukee</title>" in html


def test_a_bad_filter_is_a_400_and_agency_staff_have_no_city_map(
    demo_client: FlaskClient,
) -> None:
    sign_in(demo_client, "prosecutor@example.org", "prosecutor-pass")
    assert demo_client.get("/staff/triage/map.html?since=yesterday").status_code == 400
    demo_client.get("/logout")
    sign_in(demo_client, "d3@example.org", "agency_staff-pass")
    assert demo_client.get("/staff/triage/map.html").status_code == 403


def test_the_map_needs_a_login(demo_client: FlaskClient) -> None:
    response = demo_client.get("/staff/triage/map.html")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = demo_client.post("/staff/reports/map", data={"area": AREA})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("email", "password"),
    [("viewer@example.org", "viewer-pass"), ("d3@example.org", "agency_staff-pass")],
)
def test_the_meeting_report_page_downloads_the_areas_map(
    demo_client: FlaskClient, email: str, password: str
) -> None:
    sign_in(demo_client, email, password)
    page = demo_client.get("/staff/reports/").get_data(as_text=True)
    assert 'formaction="/staff/reports/map"' in page and "Download map" in page
    form = {"area": AREA, "since": "2026-01-01", "language": "es"}
    html = _is_map_file(demo_client.post("/staff/reports/map", data=form), "es")
    assert "<title>Metcalfe Park</title>" in html and "Puntos críticos de este mapa" in html


def test_an_unknown_area_shows_the_form_again_with_the_closest_names(
    demo_client: FlaskClient,
) -> None:
    sign_in(demo_client, "viewer@example.org", "viewer-pass")
    response = demo_client.post("/staff/reports/map", data={"area_text": "METCALF PRK"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "No area called" in page and "METCALFE PARK" in page
