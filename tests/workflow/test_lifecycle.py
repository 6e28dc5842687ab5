"""A hotspot's life through the staff pages: hand-off, partners, reopen, duplicate, timeline."""

from __future__ import annotations

import sqlalchemy as sa

from community.extensions import db
from community.models import AssignmentRole, Concern, Event, Hotspot, HotspotStatus
from community.workflow.service import assign
from tests.conftest import sign_in
from tests.factories import agency
from tests.helpers import ELSEWHERE
from tests.workflow.conftest import make_hotspot, page_version


def _post(client, hotspot_id: int, path: str, prefix: str, **fields):
    data = {f"{prefix}-{k}": v for k, v in fields.items()}
    data[f"{prefix}-version"] = page_version(client, hotspot_id)
    return client.post(f"/staff/hotspots/{hotspot_id}/{path}", data=data)


def test_the_lead_agency_hands_off_with_a_reason_and_loses_access(app, users, hotspot) -> None:
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    db.session.commit()
    staff = app.test_client()
    sign_in(staff, "d3@example.org", "agency_staff-pass")
    refused = _post(staff, hotspot.id, "handoff", "handoff", agency_id=agency("DNS").id, reason="")
    assert refused.status_code == 400 and "Say why." in refused.get_data(as_text=True)
    done = _post(
        staff,
        hotspot.id,
        "handoff",
        "handoff",
        agency_id=agency("DNS").id,
        reason="Vacant and open to entry: a building code matter",
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Hotspot, hotspot.id).lead.agency.code == "DNS"
    assert staff.get(f"/staff/hotspots/{hotspot.id}").status_code == 403  # no longer theirs
    event = db.session.scalar(sa.select(Event).filter_by(hotspot_id=hotspot.id, kind="handed_off"))
    assert event.actor == "d3@example.org"
    assert event.data["from_agency"] == "Milwaukee Police District 3"
    assert event.data["agency"] == "Department of Neighborhood Services"
    assert event.reason == "Vacant and open to entry: a building code matter"


def test_a_partner_logs_actions_but_cannot_resolve_or_hand_off(app, users, hotspot) -> None:
    assign(hotspot, agency("DNS"), AssignmentRole.LEAD, users["prosecutor"])
    assign(hotspot, agency("MPD-D3"), AssignmentRole.PARTNER, users["prosecutor"])
    db.session.commit()
    staff = app.test_client()
    sign_in(staff, "d3@example.org", "agency_staff-pass")
    page = staff.get(f"/staff/hotspots/{hotspot.id}").get_data(as_text=True)
    assert "Log an action" in page and "Mark resolved" not in page and "Hand off" not in page
    acted = _post(
        staff, hotspot.id, "actions", "action", agency_id=agency("MPD-D3").id, kind="arrest"
    )
    assert acted.status_code == 302
    for path, prefix, fields in [
        ("resolve", "resolve", {"outcome": "enforcement", "reason": "arrests"}),
        ("handoff", "handoff", {"agency_id": agency("MPD-D3").id, "reason": "ours now"}),
        ("status", "status", {"status": "in_progress"}),
    ]:
        assert _post(staff, hotspot.id, path, prefix, **fields).status_code == 403
    forged = _post(staff, hotspot.id, "actions", "action", agency_id=agency("DNS").id, kind="other")
    assert forged.status_code == 400  # their form offers only their own agency


def test_reopen_needs_a_reason_and_reopens_the_concerns(app, client, users, hotspot) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    assert _post(client, hotspot.id, "status", "status", status="triaged").status_code == 302
    _post(client, hotspot.id, "assign", "assign", agency_id=agency("MPD-D3").id, role="lead")
    resolved = _post(
        client, hotspot.id, "resolve", "resolve", outcome="problem_stopped", reason="evicted"
    )
    assert resolved.status_code == 302
    assert _post(client, hotspot.id, "status", "status", status="closed").status_code == 400
    closed = _post(client, hotspot.id, "status", "status", status="closed", reason="quiet 60 days")
    assert closed.status_code == 302
    assert {c.status for c in db.session.scalars(sa.select(Concern))} == {"closed"}
    no_reason = _post(client, hotspot.id, "status", "status", status="in_progress")
    assert "this change needs a reason" in no_reason.get_data(as_text=True)
    reopened = _post(
        client, hotspot.id, "status", "status", status="in_progress", reason="dealing is back"
    )
    assert reopened.status_code == 302
    db.session.expire_all()
    hotspot = db.session.get(Hotspot, hotspot.id)
    assert hotspot.status == HotspotStatus.IN_PROGRESS and hotspot.resolved_at is None
    assert {c.status for c in db.session.scalars(sa.select(Concern))} == {"open"}
    timeline = client.get(f"/staff/hotspots/{hotspot.id}").get_data(as_text=True)
    for line in (
        "new → triaged",
        "triaged → assigned",
        "assigned → resolved [problem stopped] (evicted)",
        "resolved → closed (quiet 60 days)",
        "closed → in progress (dealing is back)",
    ):
        assert line in timeline, line


def test_duplicate_and_not_actionable(app, client, users, hotspot) -> None:
    other = make_hotspot(around=ELSEWHERE)
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    assert (
        _post(
            client, hotspot.id, "assign", "assign", agency_id=agency("DNS").id, role="partner"
        ).status_code
        == 302
    )
    marked = _post(
        client,
        hotspot.id,
        "status",
        "status",
        status="duplicate",
        duplicate_of=other.id,
        reason="same house, reported from the alley",
    )
    assert marked.status_code == 302
    db.session.expire_all()
    assert db.session.get(Hotspot, hotspot.id).merged_into_id == other.id
    page = client.get(f"/staff/hotspots/{hotspot.id}").get_data(as_text=True)
    assert "duplicate of</span>" not in page and f"#{other.id}" in page
    assert "Change status" not in page  # a duplicate is final
    dismissed = _post(
        client, other.id, "status", "status", status="not_actionable", reason="private dispute"
    )
    assert dismissed.status_code == 302
    reconsidered = _post(client, other.id, "status", "status", status="triaged")
    assert reconsidered.status_code == 302
    assert db.session.get(Hotspot, other.id).status == HotspotStatus.TRIAGED
