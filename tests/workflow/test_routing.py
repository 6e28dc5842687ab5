"""Routing rules as data: suggestions with the rule that made them, confirmed by staff; the admin
editor for rules and service levels; residents told when a hotspot is assigned or resolved."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from community.extensions import db
from community.models import (
    Assignment,
    Category,
    Concern,
    Event,
    Hotspot,
    HotspotStatus,
    Message,
    Resident,
    RoutingRule,
    utcnow,
)
from community.privacy import PhoneVault
from community.routing.suggest import suggest
from tests.conftest import sign_in
from tests.factories import agency
from tests.helpers import ELSEWHERE
from tests.workflow.conftest import make_hotspot, page_version


def _category(code: str) -> int:
    return db.session.scalar(sa.select(Category.id).filter_by(code=code))


@pytest.mark.parametrize(
    ("category", "district", "lead", "partners", "rule"),
    [
        ("drug_activity", "7", "MPD-D7", ["DA-CPU"], "Drug activity in police district 7"),
        ("drug_activity", "3", "MPD-D3", ["DA-CPU"], "Drug activity in police district 3"),
        ("shots_fired", "5", "MPD-D5", ["OVP"], "Shots fired in police district 5"),
        ("illegal_dumping", "3", "DPW", [], "Illegal dumping"),
        ("vacant_building", "2", "DNS", [], "Abandoned or vacant building"),
        ("nuisance_property", "2", "DNS", ["DA-CPU"], "Nuisance property"),
        ("noise", "4", "MPD-D4", [], "Any category in police district 4"),
    ],
)
def test_the_milwaukee_rules_suggest_owners(app, category, district, lead, partners, rule) -> None:
    hotspot = make_hotspot(district=district, category_id=_category(category))
    suggestion = suggest(hotspot)
    assert suggestion.lead.code == lead
    assert [p.code for p in suggestion.partners] == partners
    assert suggestion.rule.describe() == rule


def test_no_rule_falls_back_to_the_category_default_or_nothing(app) -> None:
    hotspot = make_hotspot(category_id=_category("graffiti"))
    db.session.execute(sa.update(RoutingRule).values(active=False))
    db.session.commit()
    fallback = suggest(hotspot)
    assert fallback.lead.code == "DPW" and fallback.rule is None
    assert "default lead" in fallback.rule_label
    noise = make_hotspot(category_id=_category("noise"), around=ELSEWHERE)
    assert suggest(noise) is None


def _resident(app, phone: str = "+14145550142") -> Resident:
    vault = PhoneVault.from_config(app.config)
    resident = Resident(
        phone_encrypted=vault.encrypt(phone),
        phone_hash=vault.lookup_hash(phone),
        phone_last4=phone[-4:],
        language="en",
    )
    db.session.add(resident)
    db.session.commit()
    return resident


def test_staff_confirm_a_suggestion_and_residents_are_told(app, client, users) -> None:
    resident = _resident(app)
    hotspot = make_hotspot(district="7", resident_id=resident.id)
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    page = client.get(f"/staff/hotspots/{hotspot.id}").get_data(as_text=True)
    assert "Suggested owners" in page
    assert "Milwaukee Police District 7" in page and "Drug activity in police district 7" in page
    response = client.post(
        f"/staff/hotspots/{hotspot.id}/suggestion",
        data={"suggestion-version": page_version(client, hotspot.id)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    hotspot = db.session.get(Hotspot, hotspot.id)
    owners = {(a.agency.code, str(a.role)) for a in hotspot.assignments if a.active}
    assert owners == {("MPD-D7", "lead"), ("DA-CPU", "partner")}
    rule = db.session.get(RoutingRule, hotspot.lead.routing_rule_id)
    assert rule.describe() == "Drug activity in police district 7"
    assert hotspot.status == HotspotStatus.ASSIGNED
    due = hotspot.lead.due_at - utcnow()
    assert timedelta(days=29) < due <= timedelta(days=30)  # drug activity: 30 days
    reasons = db.session.scalars(
        sa.select(Event.reason).filter_by(hotspot_id=hotspot.id, kind="assigned")
    ).all()
    assert all("routing rule: #" in r for r in reasons)
    texts = db.session.scalars(sa.select(Message).filter_by(purpose="status_assigned")).all()
    assert len(texts) == 1 and "Milwaukee Police District 7" in texts[0].body

    resolved = client.post(
        f"/staff/hotspots/{hotspot.id}/resolve",
        data={
            "resolve-version": page_version(client, hotspot.id),
            "resolve-outcome": "enforcement",
            "resolve-reason": "search warrant; house boarded",
        },
    )
    assert resolved.status_code == 302
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Message).filter_by(purpose="status_resolved")
        )
        == 1
    )
    event = db.session.scalar(
        sa.select(Event).filter_by(hotspot_id=hotspot.id, to_status="resolved")
    )
    assert (
        event.data["outcome"] == "enforcement" and event.reason == "search warrant; house boarded"
    )
    assert {c.status for c in db.session.scalars(sa.select(Concern))} == {"resolved"}


def _rule_form(**fields: object) -> dict:
    data = {
        "category_id": _category("loitering"),
        "area_kind": "police_district",
        "area_code": "3",
        "lead_agency_id": agency("MPD-D3").id,
        "partner_ids": [agency("SHERMAN-PARK-CA").id],
        "note": "block club asked",
        "active": "y",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"area_code": "99"}, "there is no police district &#39;99&#39;"),
        ({"area_code": ""}, "give both the kind of area and its code"),
        ({"partner_ids": ["@MPD-D3"]}, "the lead agency cannot also be a partner"),
        ({"lead_agency_id": "424242"}, "Lead agency: Not a valid choice"),
        ({"category_id": "424242"}, "Category: Not a valid choice"),
        ({"area_kind": "galaxy"}, "Kind of area: Not a valid choice"),
        ({"note": "<script>x</script>"}, "Write plain text"),
    ],
)
def test_admin_rule_editor_refuses_bad_rules(app, client, users, fields, message) -> None:
    sign_in(client, "admin@example.org", "admin-pass")
    before = db.session.scalar(sa.select(sa.func.count(RoutingRule.id)))
    data = _rule_form(**fields)
    if data["partner_ids"] == ["@MPD-D3"]:
        data["partner_ids"] = [agency("MPD-D3").id]
    response = client.post("/admin/routing", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(RoutingRule.id))) == before


def test_an_admins_new_rule_routes_the_next_hotspot(app, client, users) -> None:
    sign_in(client, "admin@example.org", "admin-pass")
    assert client.post("/admin/routing", data=_rule_form()).status_code == 302
    page = client.get("/admin/routing").get_data(as_text=True)
    assert "Loitering in police district 3" in page and "Sherman Park Community Association" in page
    hotspot = make_hotspot(category_id=_category("loitering"))
    suggestion = suggest(hotspot)
    assert suggestion.lead.code == "MPD-D3"
    assert [p.code for p in suggestion.partners] == ["SHERMAN-PARK-CA"]
    # Switching the rule off (editing it) brings back the district rule.
    rule = suggestion.rule
    data = _rule_form()
    del data["active"]
    assert client.post(f"/admin/routing/{rule.id}", data=data).status_code == 302
    db.session.expire_all()
    assert suggest(hotspot).rule.describe() == "Any category in police district 3"


def test_service_levels_set_due_dates(app, client, users) -> None:
    sign_in(client, "admin@example.org", "admin-pass")
    categories = db.session.scalars(sa.select(Category)).all()
    data = {f"days_{c.id}": c.service_level_days for c in categories}
    drug = _category("drug_activity")
    bad = client.post("/admin/service-levels", data={**data, f"days_{drug}": "0"})
    assert bad.status_code == 400 and "Between 1 and 365 days." in bad.get_data(as_text=True)
    assert db.session.get(Category, drug).service_level_days == 30
    good = client.post("/admin/service-levels", data={**data, f"days_{drug}": "5"})
    assert good.status_code == 302
    hotspot = make_hotspot()
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    client.post(
        f"/staff/hotspots/{hotspot.id}/assign",
        data={"assign-agency_id": agency("MPD-D3").id, "assign-role": "lead"},
    )
    lead = db.session.scalar(sa.select(Assignment).filter_by(hotspot_id=hotspot.id))
    assert timedelta(days=4) < lead.due_at - utcnow() <= timedelta(days=5)


def test_admin_user_changes_are_checked(app, client, users) -> None:
    sign_in(client, "admin@example.org", "admin-pass")
    me = users["admin"]
    demote = client.post(f"/admin/users/{me.id}", data={"name": "Me", "role": "viewer"})
    assert demote.status_code == 400
    assert "you cannot take away your own admin role" in demote.get_data(as_text=True)
    disable = client.post(f"/admin/users/{me.id}/disable", follow_redirects=True)
    assert "You cannot disable your own account." in disable.get_data(as_text=True)
    staff = users["viewer"]
    no_agency = client.post(f"/admin/users/{staff.id}", data={"name": "V", "role": "agency_staff"})
    assert "agency staff must belong to an agency" in no_agency.get_data(as_text=True)
    duplicate = client.post(
        "/admin/users", data={"email": "D3@example.org", "name": "x", "role": "viewer"}
    )
    assert duplicate.status_code == 400
    assert "d3@example.org already has an account" in duplicate.get_data(as_text=True)
    # A role change signs the person out everywhere: their next request needs a new sign-in.
    viewer = app.test_client()
    sign_in(viewer, "viewer@example.org", "viewer-pass")
    moved = client.post(
        f"/admin/users/{staff.id}",
        data={"name": "Val", "role": "agency_staff", "agency_id": agency("DNS").id},
    )
    assert moved.status_code == 302
    assert "/login" in viewer.get("/staff/").headers["Location"]
