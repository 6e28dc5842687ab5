"""The attack findings of issue 18, each fixed at its root."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import fresh_app, sign_in
from tests.security.conftest import LOGINS, OTHER_PLACE

# Each of these answered 500 before.
FORMER_500S = [
    (None, "/metrics/public?days=%C2%B2"),
    (None, "/exports/public/concerns.csv?end=9999-12-31"),
    (None, "/exports/public/hotspots.geojson?start=0001-01-01"),
    ("prosecutor", "/staff/triage/?until=9999-12-31"),
    ("prosecutor", "/staff/triage/?since=0001-01-01&until=0001-01-02"),
    ("prosecutor", "/staff/triage/hotspots.geojson?until=9999-12-31"),
    ("prosecutor", "/staff/triage/concerns.geojson?since=9999-12-30&until=9999-12-31"),
    ("prosecutor", "/metrics/?days=%C2%B2"),
]


@pytest.mark.parametrize(("role", "url"), FORMER_500S)
def test_odd_dates_and_numbers_answer_400(app: Flask, users, role, url) -> None:
    client = app.test_client()
    if role:
        sign_in(client, *LOGINS[role])
    assert client.get(url).status_code == 400


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "２０２６-01-01"])
def test_report_making_with_odd_dates_answers_400(app: Flask, users, day: str) -> None:
    client = app.test_client()
    sign_in(client, *LOGINS["prosecutor"])
    for field in ("since", "until"):
        for action in ("preview", "pdf"):
            response = client.post(
                "/staff/reports/make",
                data={"area": "Sherman Park", "language": "en", "action": action, field: day},
            )
            assert response.status_code == 400, (field, action)
        response = client.post(
            "/staff/reports/map", data={"area": "Sherman Park", "language": "en", field: day}
        )
        assert response.status_code == 400, field


def test_agency_staff_see_only_their_agencys_repeat_addresses(app: Flask, world) -> None:
    prosecutor, agency_staff = app.test_client(), app.test_client()
    sign_in(prosecutor, *LOGINS["prosecutor"])
    sign_in(agency_staff, *LOGINS["agency_staff"])
    everything = prosecutor.get("/metrics/").get_data(as_text=True)
    theirs = agency_staff.get("/metrics/").get_data(as_text=True)
    assert OTHER_PLACE in everything and "3500 W Center St" in everything
    assert OTHER_PLACE not in theirs  # a DNS hotspot: refused to MPD-D3 staff
    assert "3500 W Center St" in theirs  # their own hotspot's address
    assert agency_staff.get(f"/staff/hotspots/{world['other_hotspot_id']}").status_code == 403


def test_discovery_never_echoes_the_host_header(app: Flask) -> None:
    client = app.test_client()
    app.config["PUBLIC_BASE_URL"] = "https://reports.example.gov"
    for path in ("/open311/discovery.json", "/open311/v2/discovery.json"):
        body = client.get(path, headers={"Host": "evil.example"}).get_json()
        assert body["endpoints"][0]["url"] == "https://reports.example.gov/open311/v2"
        xml = client.get(path.replace(".json", ".xml"), headers={"Host": "evil.example"})
        assert b"evil.example" not in xml.data
    app.config["PUBLIC_BASE_URL"] = None
    body = client.get("/open311/discovery.json", headers={"Host": "evil.example"}).get_json()
    assert "evil" not in body["endpoints"][0]["url"]


def test_photos_are_private_and_never_public(app: Flask, world) -> None:
    client = app.test_client()
    sign_in(client, *LOGINS["viewer"])
    response = client.get(f"/staff/media/{world['name']}")
    assert response.status_code == 200
    parts = {p.strip() for p in response.headers["Cache-Control"].split(",")}
    assert parts == {"private", "max-age=3600"}


# Error pages in the visitor's language ------------------------------------------------------

SPANISH = {
    404: "No encontramos esa página.",
    500: "Algo salió mal de nuestro lado.",
    400: "Este formulario venció o vino de otro sitio.",
    413: "El archivo que envió es demasiado grande.",
    429: "Demasiadas solicitudes.",
}
ENGLISH = {
    404: "We could not find that page.",
    500: "Something went wrong on our side.",
    400: "This form expired or came from another site.",
    413: "That upload is too large.",
    429: "Too many requests.",
}


@pytest.fixture
def strict_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """CSRF on, rate limits on (one public metrics page a minute), small uploads, 500s shown."""
    yield from fresh_app(
        sqlite_template,
        tmp_path,
        WTF_CSRF_ENABLED=True,
        RATELIMIT_ENABLED=True,
        PUBLIC_METRICS_LIMIT="1 per minute",
        MAX_CONTENT_LENGTH=1000,
        PROPAGATE_EXCEPTIONS=False,
    )


def _broken_route(app: Flask) -> None:
    def boom():
        raise RuntimeError("a bug")

    app.add_url_rule("/boom-for-tests", "boom_for_tests", boom)


@pytest.mark.parametrize(("language", "expected"), [("en", ENGLISH), ("es", SPANISH)])
def test_error_pages_speak_the_visitors_language(strict_app: Flask, language, expected) -> None:
    _broken_route(strict_app)
    headers = {"Accept-Language": language}
    client = strict_app.test_client()
    pages = {
        404: client.get("/no-such-page", headers=headers),
        500: client.get("/boom-for-tests", headers=headers),
        400: client.post("/logout", headers=headers),  # no CSRF token
        413: client.post("/login", data={"email": "x" * 5000}, headers=headers),
    }
    client.get("/metrics/public", headers=headers)
    pages[429] = client.get("/metrics/public", headers=headers)
    for code, response in pages.items():
        page = response.get_data(as_text=True)
        assert response.status_code == code, (code, page[:300])
        assert expected[code] in page, (language, code, page[:600])
        assert f'<html lang="{language}">' in page
        assert response.headers["X-Frame-Options"] == "DENY"


def test_a_views_own_explanation_is_translated_too(client) -> None:
    page = client.get("/metrics/public?days=7", headers={"Accept-Language": "es"})
    assert page.status_code == 400
    assert "Elija un período de 30, 90, 180 o 365 días." in page.get_data(as_text=True)
