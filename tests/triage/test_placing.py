"""Concerns the geocoder could not place: the queue, and staff placing them on the map."""

from __future__ import annotations

import re

import pytest
from flask import g

from community.extensions import db
from community.models import (
    Concern,
    ConcernStatus,
    Event,
    EventKind,
    GeocodeStatus,
    LocationKind,
)
from tests.conftest import sign_in
from tests.factories import ConcernFactory
from tests.helpers import CORNER
from tests.triage.conftest import PHONE, XSS_TEXT
from tests.workflow.conftest import make_hotspot

CHICAGO = (41.8781, -87.6298)


def unplaced(**fields: object) -> Concern:
    values = {
        "text": f"{XSS_TEXT} behind the store, call {PHONE}",
        "location_text": "behind the store",
        "status": ConcernStatus.NEEDS_LOCATION,
        "geocode_status": GeocodeStatus.FAILED,
    }
    values.update(fields)
    return ConcernFactory(**values)


@pytest.fixture
def prosecutor(client, users):
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    return client


def test_queue_shows_waiting_concerns_escaped_and_masked(prosecutor) -> None:
    waiting = unplaced()
    ConcernFactory(
        status=ConcernStatus.OPEN, geocode_status=GeocodeStatus.LOCATED, lat=43.0, lon=-87.9
    )
    page = prosecutor.get("/staff/triage/locate").get_data(as_text=True)
    assert "1 concern is waiting." in page
    assert waiting.case_number in page
    assert XSS_TEXT not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert PHONE not in page and "[phone]" in page


def test_placing_by_click_opens_the_concern_and_joins_the_hotspot(prosecutor, users) -> None:
    hotspot = make_hotspot(5)
    concern = unplaced()
    lat, lon = CORNER
    response = prosecutor.post(
        f"/staff/triage/locate/{concern.id}", data={"lat": str(lat), "lon": str(lon)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    concern = db.session.get(Concern, concern.id)
    assert concern.status == ConcernStatus.OPEN
    assert concern.location_kind == LocationKind.MAP
    assert (concern.lat, concern.lon) == (lat, lon)
    assert concern.police_district_id is not None and concern.location_label
    assert concern.hotspot_id == hotspot.id
    located = db.session.scalar(
        db.select(Event).filter_by(concern_id=concern.id, kind=EventKind.LOCATED)
    )
    assert located.actor == users["prosecutor"].name or "prosecutor" in str(located.actor)
    page = prosecutor.get("/staff/triage/locate").get_data(as_text=True)
    assert f"Concern {concern.case_number} placed at" in page
    assert "0 concerns are waiting." in page


@pytest.mark.parametrize(
    ("data", "message", "status"),
    [
        ({}, "Click the map where the concern is", 400),
        ({"lat": "abc", "lon": "-87.9"}, "must be numbers", 400),
        ({"lat": "95", "lon": "-87.9"}, "That point is not on the map", 400),
        ({"lat": "nan", "lon": "-87.9"}, "That point is not on the map", 400),
        ({"lat": str(CHICAGO[0]), "lon": str(CHICAGO[1])}, "outside the city", 400),
    ],
)
def test_bad_points_are_refused_and_nothing_changes(prosecutor, data, message, status) -> None:
    concern = unplaced()
    response = prosecutor.post(f"/staff/triage/locate/{concern.id}", data=data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    again = db.session.get(Concern, concern.id)
    assert again.status == ConcernStatus.NEEDS_LOCATION and again.lat is None


def test_placing_twice_is_a_conflict_not_a_second_move(prosecutor) -> None:
    concern = unplaced()
    lat, lon = CORNER
    assert (
        prosecutor.post(
            f"/staff/triage/locate/{concern.id}", data={"lat": lat, "lon": lon}
        ).status_code
        == 302
    )
    again = prosecutor.post(
        f"/staff/triage/locate/{concern.id}", data={"lat": lat + 0.01, "lon": lon}
    )
    assert again.status_code == 409
    assert "no longer needs a location" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Concern, concern.id).lat == lat
    assert (
        prosecutor.post("/staff/triage/locate/999999", data={"lat": lat, "lon": lon}).status_code
        == 404
    )


def test_placing_needs_the_role_and_the_csrf_token(csrf_app) -> None:
    from tests.factories import make_staff

    make_staff()
    concern = unplaced()
    # Flask-WTF caches the CSRF token on `g`, which the tests' shared app context keeps:
    # each client's page is drawn with `g` cleared so it gets its own session's token.
    lat, lon = CORNER
    viewer = csrf_app.test_client()
    _sign_in_with_csrf(viewer, "viewer@example.org", "viewer-pass")
    g.pop("csrf_token", None)
    token = _token(viewer.get("/staff/triage/").get_data(as_text=True))
    refused = viewer.post(
        f"/staff/triage/locate/{concern.id}", data={"lat": lat, "lon": lon, "csrf_token": token}
    )
    assert refused.status_code == 403
    prosecutor = csrf_app.test_client()
    _sign_in_with_csrf(prosecutor, "prosecutor@example.org", "prosecutor-pass")
    no_token = prosecutor.post(f"/staff/triage/locate/{concern.id}", data={"lat": lat, "lon": lon})
    assert no_token.status_code == 400
    db.session.expire_all()
    assert db.session.get(Concern, concern.id).status == ConcernStatus.NEEDS_LOCATION
    g.pop("csrf_token", None)
    token = _token(prosecutor.get("/staff/triage/locate").get_data(as_text=True))
    placed = prosecutor.post(
        f"/staff/triage/locate/{concern.id}", data={"lat": lat, "lon": lon, "csrf_token": token}
    )
    assert placed.status_code == 302


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def _sign_in_with_csrf(client, email: str, password: str) -> None:
    g.pop("csrf_token", None)
    token = _token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302
