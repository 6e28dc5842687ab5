"""Staff pages: sign-in, roles checked on every route, assign and resolve, clear 400s."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from community.extensions import db
from community.hotspots.recluster import recluster
from community.models import AssignmentRole, Event, Hotspot, HotspotStatus
from community.workflow.service import assign
from tests.conftest import sign_in
from tests.factories import agency
from tests.helpers import placed_concerns


@pytest.fixture
def hotspot_id(app) -> int:
    placed_concerns(4, text="<img src=x onerror=alert(1)> dealing here")
    return recluster().created[0]


def test_staff_pages_need_sign_in(client, hotspot_id) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(f"/staff/hotspots/{hotspot_id}/assign").status_code == 302


def test_wrong_password_is_a_400_with_a_message(client, users) -> None:
    response = client.post("/login", data={"email": "prosecutor@example.org", "password": "nope"})
    assert response.status_code == 400
    assert "Wrong e-mail or password." in response.get_data(as_text=True)


def test_sign_in_refuses_a_redirect_to_another_site(client, users) -> None:
    response = client.post(
        "/login?next=//evil.example/x",
        data={"email": "prosecutor@example.org", "password": "prosecutor-pass"},
    )
    assert response.headers["Location"] == "/staff/"


@pytest.mark.parametrize(
    "target",
    ["/%09/evil.example", "/%0a/evil.example", "/%0d%0a/x", "/\\evil.example", "/ /evil.example"],
)
def test_sign_in_refuses_control_characters_in_the_redirect(client, users, target) -> None:
    response = client.post(
        f"/login?next={target}",
        data={"email": "prosecutor@example.org", "password": "prosecutor-pass"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"


def test_sign_in_keeps_a_local_redirect(client, users) -> None:
    response = client.post(
        "/login?next=/staff/queue?agency=3",
        data={"email": "prosecutor@example.org", "password": "prosecutor-pass"},
    )
    assert response.headers["Location"] == "/staff/queue?agency=3"


def test_prosecutor_assigns_and_resolves(client, users, hotspot_id) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    page = client.get("/staff/").get_data(as_text=True)
    assert "Drug activity near 3500 W Center St" in page
    response = client.post(
        f"/staff/hotspots/{hotspot_id}/assign",
        data={
            "assign-agency_id": agency("MPD-D3").id,
            "assign-role": "lead",
            "assign-reason": "D3",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/staff/hotspots/{hotspot_id}").get_data(as_text=True)
    assert "Milwaukee Police District 3 — lead" in page
    response = client.post(
        f"/staff/hotspots/{hotspot_id}/resolve",
        data={"resolve-reason": "owner evicted the tenants", "resolve-outcome": "owner_compliant"},
    )
    assert response.status_code == 302
    assert db.session.get(Hotspot, hotspot_id).status == HotspotStatus.RESOLVED


def test_resident_text_is_escaped_on_the_hotspot_page(client, users, hotspot_id) -> None:
    sign_in(client, "viewer@example.org", "viewer-pass")
    page = client.get(f"/staff/hotspots/{hotspot_id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page


@pytest.mark.parametrize("role", ["viewer", "agency_staff"])
def test_roles_that_may_not_assign_get_403(client, users, hotspot_id, role) -> None:
    sign_in(client, users[role].email, f"{role}-pass")
    response = client.post(
        f"/staff/hotspots/{hotspot_id}/assign",
        data={"assign-agency_id": agency("MPD-D3").id, "assign-role": "lead"},
    )
    assert response.status_code == 403
    assert db.session.get(Hotspot, hotspot_id).assignments == []


def test_agency_staff_see_only_their_agencys_hotspots(client, users, hotspot_id) -> None:
    sign_in(client, "d3@example.org", "agency_staff-pass")
    assert client.get(f"/staff/hotspots/{hotspot_id}").status_code == 403
    hotspot = db.session.get(Hotspot, hotspot_id)
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    db.session.commit()
    assert client.get(f"/staff/hotspots/{hotspot_id}").status_code == 200
    response = client.post(
        f"/staff/hotspots/{hotspot_id}/actions",
        data={"action-agency_id": agency("MPD-D3").id, "action-kind": "site_visit"},
    )
    assert response.status_code == 302
    assert db.session.get(Hotspot, hotspot_id).status == HotspotStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("assign", {"assign-agency_id": "99999", "assign-role": "lead"}, "Not a valid choice"),
        (
            "assign",
            {"assign-agency_id": "abc", "assign-role": "lead"},
            "Agency: This field is required.",
        ),
        ("assign", {"assign-agency_id": "1", "assign-role": "boss"}, "Not a valid choice"),
        ("resolve", {"resolve-reason": "", "resolve-outcome": "improved"}, "Say how the problem"),
        ("resolve", {"resolve-reason": "fixed"}, "Choose the outcome of the response."),
        (
            "resolve",
            {"resolve-reason": "fixed", "resolve-outcome": "improved"},
            "Assign a lead agency before resolving.",
        ),
        ("actions", {"action-agency_id": "1", "action-kind": "site_visit"}, "Not a valid choice"),
    ],
)
def test_bad_staff_input_is_a_400_and_changes_nothing(
    client, users, hotspot_id, path, data, message
) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    events = db.session.scalar(sa.select(sa.func.count(Event.id)))
    response = client.post(f"/staff/hotspots/{hotspot_id}/{path}", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == events
    assert db.session.get(Hotspot, hotspot_id).status == HotspotStatus.NEW


def test_missing_hotspot_and_bad_filter(client, users) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    assert client.get("/staff/hotspots/424242").status_code == 404
    assert client.get("/staff/?status=bogus").status_code == 400
    assert client.get("/staff/hotspots/abc").status_code == 404
