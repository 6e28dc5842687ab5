"""The permission matrix: every staff, admin and account endpoint x every role x own/other agency.

The endpoints come from the app's url_map, so a new endpoint under /staff, /admin or /account
fails this test until its expected roles are written in EXPECTED.
"""

from __future__ import annotations

import pytest
from flask import Flask, url_for

from community.extensions import db
from community.intake.photos import media_folder
from community.models import AssignmentRole, Photo, Role, RoutingRule
from community.workflow.service import assign
from tests.conftest import sign_in
from tests.factories import UserFactory, agency
from tests.workflow.conftest import make_hotspot

ANONYMOUS = "anonymous"
OWN = "agency_staff_own"  # MPD District 3 staff; District 3 leads the hotspot
OTHER = "agency_staff_other"  # Neighborhood Services staff; not on the hotspot
ROLES = [ANONYMOUS, "admin", "prosecutor", OWN, OTHER, "viewer"]
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS}
TRIAGE = frozenset({"admin", "prosecutor"})
ADMIN = frozenset({"admin"})
SEES_HOTSPOT = frozenset({"admin", "prosecutor", OWN, "viewer"})
WORKS_HOTSPOT = TRIAGE | {OWN}  # the lead agency's staff start, act, resolve, hand off
WORKS_QUEUE = TRIAGE | {OWN, OTHER}  # their own agency's queue

# (endpoint, method) -> the roles that get through; everyone else gets 403, anonymous the login.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("staff.hotspots", "GET"): SIGNED_IN,
    ("staff.media", "GET"): SEES_HOTSPOT,  # a resident's photo: as its hotspot
    ("staff.hotspot", "GET"): SEES_HOTSPOT,
    ("staff.assign_agency", "POST"): TRIAGE,
    ("staff.hand_off", "POST"): WORKS_HOTSPOT,
    ("staff.confirm_suggestion", "POST"): TRIAGE,
    ("staff.change_status", "POST"): WORKS_HOTSPOT,
    ("staff.set_due_date", "POST"): TRIAGE,
    ("staff.remove_partner", "POST"): TRIAGE,
    ("staff.add_action", "POST"): WORKS_HOTSPOT,
    ("staff.resolve_hotspot", "POST"): WORKS_HOTSPOT,
    ("staff.queue", "GET"): SIGNED_IN,
    ("staff.bulk_update", "POST"): WORKS_QUEUE,
    ("admin.index", "GET"): ADMIN,
    ("admin.users", "GET"): ADMIN,
    ("admin.invite", "POST"): ADMIN,
    ("admin.user", "GET"): ADMIN,
    ("admin.user", "POST"): ADMIN,
    ("admin.disable_user", "POST"): ADMIN,
    ("admin.enable_user", "POST"): ADMIN,
    ("admin.reinvite_user", "POST"): ADMIN,
    ("admin.unlock_user", "POST"): ADMIN,
    ("retention.erase_form", "GET"): ADMIN,  # a resident's data erased on request (issue 20)
    ("retention.erase", "POST"): ADMIN,
    ("admin.routing", "GET"): ADMIN,
    ("admin.create_rule", "POST"): ADMIN,
    ("admin.rule", "GET"): ADMIN,
    ("admin.rule", "POST"): ADMIN,
    ("admin.service_levels", "GET"): ADMIN,
    ("admin.service_levels", "POST"): ADMIN,
    # Meeting reports (issue 9): every staff role previews and downloads them; only the unit
    # (admin, prosecutor) records one as an area's latest or starts a batch of every area.
    ("reports.index", "GET"): SIGNED_IN,
    ("reports.make", "POST"): SIGNED_IN,
    ("reports.start", "POST"): TRIAGE,
    ("reports.batch", "GET"): SIGNED_IN,
    ("reports.progress", "GET"): SIGNED_IN,
    ("reports.batch_file", "GET"): SIGNED_IN,
    ("reports.download_map", "POST"): SIGNED_IN,  # the report's area as a map file (issue 22)
    # Triage map (issue 8): read-only for viewers; agency staff use their work queue.
    ("triage.index", "GET"): TRIAGE | {"viewer"},
    ("triage.hotspots_data", "GET"): TRIAGE | {"viewer"},
    ("triage.concerns_data", "GET"): TRIAGE | {"viewer"},
    ("triage.heat_data", "GET"): TRIAGE | {"viewer"},
    ("triage.repeats_data", "GET"): TRIAGE | {"viewer"},
    ("triage.hotspot_map", "GET"): SEES_HOTSPOT,
    ("triage.locate_queue", "GET"): TRIAGE,
    ("triage.place_concern", "POST"): TRIAGE,
    ("triage.download_map", "GET"): TRIAGE | {"viewer"},  # the map's view as a file (issue 22)
    ("auth.account", "GET"): SIGNED_IN,
    ("auth.change_password", "POST"): SIGNED_IN,
    ("auth.logout_everywhere", "POST"): SIGNED_IN,
}
GUARDED_PREFIXES = ("/staff", "/admin", "/account")
LAST = {"auth.logout_everywhere"}  # ends the session: run it after everything else


def guarded_endpoints(app: Flask) -> list[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(GUARDED_PREFIXES):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                found.add((rule.endpoint, method))
    return sorted(found, key=lambda key: (key[0] in LAST, key))


def test_every_guarded_endpoint_has_expectations(app) -> None:
    found = set(guarded_endpoints(app))
    missing = sorted(found - set(EXPECTED))
    assert not missing, f"add these endpoints to EXPECTED in {__file__}: {missing}"


@pytest.fixture
def world(app, users) -> dict:
    """A hotspot led by District 3 with a partner, a user to administer, a routing rule."""
    hotspot = make_hotspot()
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    assign(hotspot, agency("OVP"), AssignmentRole.PARTNER, users["prosecutor"])
    db.session.commit()
    UserFactory(
        email="dns@example.org",
        role=Role.AGENCY_STAFF,
        password="dns-staff-pass",
        agency_id=agency("DNS").id,
    )
    target = UserFactory(email="target@example.org", role=Role.VIEWER, password="target-pass")
    photo = "web-" + "0f" * 16 + ".jpg"
    db.session.add(
        Photo(
            concern_id=hotspot.concerns[0].id,
            file=photo,
            content_type="image/jpeg",
            width=1,
            height=1,
            size_bytes=3,
        )
    )
    db.session.commit()
    (media_folder() / photo).write_bytes(b"\xff\xd8\xff")
    return {
        "hotspot_id": hotspot.id,
        "agency_id": agency("OVP").id,
        "name": photo,
        "user_id": target.id,
        "rule_id": db.session.scalar(db.select(RoutingRule.id).limit(1)),
        "batch_id": 999999,  # none: a 404 for those allowed in, 403 or the login for others
        "concern_id": 999999,  # none: placing it answers 400 or 404 for those allowed in
    }


LOGINS = {
    "admin": ("admin@example.org", "admin-pass"),
    "prosecutor": ("prosecutor@example.org", "prosecutor-pass"),
    OWN: ("d3@example.org", "agency_staff-pass"),
    OTHER: ("dns@example.org", "dns-staff-pass"),
    "viewer": ("viewer@example.org", "viewer-pass"),
}


def _url(app: Flask, endpoint: str, params: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    unknown = rule.arguments - set(params)
    assert not unknown, f"give the permission matrix a value for {unknown} ({endpoint})"
    with app.test_request_context():
        return url_for(endpoint, **{k: params[k] for k in rule.arguments})


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(app, world, role) -> None:
    client = app.test_client()
    if role != ANONYMOUS:
        sign_in(client, *LOGINS[role])
    wrong = []
    for endpoint, method in guarded_endpoints(app):
        url = _url(app, endpoint, world)
        response = client.open(url, method=method, data={})
        location = response.headers.get("Location", "")
        refused_login = response.status_code == 302 and "/login" in location
        if role == ANONYMOUS:
            outcome, expected = ("login" if refused_login else response.status_code), "login"
        else:
            allowed = role in EXPECTED[(endpoint, method)]
            expected = "allowed" if allowed else 403
            through = response.status_code not in (401, 403) and not refused_login
            outcome = "allowed" if through else response.status_code
            if refused_login:
                outcome = "login"
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"
        if outcome != expected:
            wrong.append(f"{method} {url} ({endpoint}): expected {expected}, got {outcome}")
    assert not wrong, "\n".join(wrong)
