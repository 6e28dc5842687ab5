"""Each agency's work queue: its open assignments, overdue first, with bulk updates that apply
to every ticked hotspot or to none."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from community.extensions import db
from community.models import Action, AssignmentRole, Event, Hotspot, HotspotStatus, utcnow
from community.workflow.service import assign
from tests.conftest import sign_in
from tests.factories import agency
from tests.helpers import ELSEWHERE
from tests.workflow.conftest import make_hotspot

ROW = re.compile(r'name="rows" value="(\d+):(\d+)"')


def _three_hotspots(users) -> list[Hotspot]:
    """D3 leads two (one overdue) and partners one; DNS leads the third."""
    prosecutor = users["prosecutor"]
    on_time = make_hotspot()
    overdue = make_hotspot(around=ELSEWHERE)
    partnered = make_hotspot(around=(43.0800, -87.9700))
    assign(on_time, agency("MPD-D3"), AssignmentRole.LEAD, prosecutor)
    assign(overdue, agency("MPD-D3"), AssignmentRole.LEAD, prosecutor)
    assign(partnered, agency("DNS"), AssignmentRole.LEAD, prosecutor)
    assign(partnered, agency("MPD-D3"), AssignmentRole.PARTNER, prosecutor)
    db.session.commit()
    overdue.lead.due_at = utcnow() - timedelta(days=2)
    db.session.commit()
    return [on_time, overdue, partnered]


def _queue_rows(page: str) -> list[tuple[int, int]]:
    return [(int(h), int(v)) for h, v in ROW.findall(page)]


def test_the_queue_shows_the_agencys_open_work_overdue_first(app, client, users) -> None:
    on_time, overdue, partnered = _three_hotspots(users)
    elsewhere = make_hotspot(around=(43.0300, -87.9100))
    assign(elsewhere, agency("DNS"), AssignmentRole.LEAD, users["prosecutor"])
    db.session.commit()
    sign_in(client, "d3@example.org", "agency_staff-pass")
    page = client.get("/staff/queue").get_data(as_text=True)
    assert _queue_rows(page)[0][0] == overdue.id
    assert {h for h, _ in _queue_rows(page)} == {on_time.id, overdue.id, partnered.id}
    assert "Overdue" in page
    # Agency staff always get their own queue, whatever agency they ask for.
    other = client.get(f"/staff/queue?agency={agency('DNS').id}").get_data(as_text=True)
    assert {h for h, _ in _queue_rows(other)} == {on_time.id, overdue.id, partnered.id}
    # The hotspot list flags the overdue one too.
    listing = client.get("/staff/").get_data(as_text=True)
    assert listing.count("Overdue") == 1


def test_a_prosecutor_sees_any_agencys_queue_and_a_viewer_cannot_update(app, users) -> None:
    _, overdue, partnered = _three_hotspots(users)
    prosecutor, viewer = app.test_client(), app.test_client()
    sign_in(prosecutor, "prosecutor@example.org", "prosecutor-pass")
    page = prosecutor.get(f"/staff/queue?agency={agency('DNS').id}").get_data(as_text=True)
    assert [h for h, _ in _queue_rows(page)] == [partnered.id]
    sign_in(viewer, "viewer@example.org", "viewer-pass")
    page = viewer.get(f"/staff/queue?agency={agency('MPD-D3').id}").get_data(as_text=True)
    assert overdue.label in page and _queue_rows(page) == []  # read-only: no boxes to tick


def test_bulk_action_is_logged_on_every_ticked_hotspot(app, client, users) -> None:
    hotspots = _three_hotspots(users)
    sign_in(client, "d3@example.org", "agency_staff-pass")
    rows = _queue_rows(client.get("/staff/queue").get_data(as_text=True))
    response = client.post(
        "/staff/queue",
        data={
            "rows": [f"{h}:{v}" for h, v in rows],
            "operation": "action",
            "kind": "directed_patrol",
            "outcome": "done",
            "notes": "evening patrols all week",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    actions = db.session.scalars(sa.select(Action).order_by(Action.hotspot_id)).all()
    assert sorted(a.hotspot_id for a in actions) == sorted(h.id for h in hotspots)
    assert {(a.agency.code, a.kind, a.outcome) for a in actions} == {
        ("MPD-D3", "directed_patrol", "done")
    }
    db.session.expire_all()
    assert {db.session.get(Hotspot, h.id).status for h in hotspots} == {HotspotStatus.IN_PROGRESS}


def test_bulk_update_is_all_or_nothing(app, users) -> None:
    on_time, overdue, partnered = _three_hotspots(users)
    staff = app.test_client()
    sign_in(staff, "d3@example.org", "agency_staff-pass")
    rows = _queue_rows(staff.get("/staff/queue").get_data(as_text=True))
    events = db.session.scalar(sa.select(sa.func.count(Event.id)))

    # "Start work" is for the lead: the partnered hotspot makes the whole batch fail.
    refused = staff.post(
        "/staff/queue", data={"rows": [f"{h}:{v}" for h, v in rows], "operation": "start"}
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert f"Hotspot #{partnered.id}" in page and "only the lead agency starts the work" in page
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == events

    # Someone changes one hotspot meanwhile: the batch is refused as stale, nothing applied.
    prosecutor = app.test_client()
    sign_in(prosecutor, "prosecutor@example.org", "prosecutor-pass")
    prosecutor.post(
        f"/staff/hotspots/{on_time.id}/due",
        data={"due-due_on": str(utcnow().date() + timedelta(days=3))},
    )
    events = db.session.scalar(sa.select(sa.func.count(Event.id)))
    leads = [f"{h}:{v}" for h, v in rows if h != partnered.id]
    stale = staff.post("/staff/queue", data={"rows": leads, "operation": "start"})
    assert stale.status_code == 409
    assert "changed since you loaded the queue" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Hotspot, overdue.id).status == HotspotStatus.ASSIGNED
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == events

    # Agency staff may not move due dates, even in bulk.
    fresh = _queue_rows(staff.get("/staff/queue").get_data(as_text=True))
    due = staff.post(
        "/staff/queue",
        data={"rows": [f"{h}:{v}" for h, v in fresh], "operation": "due", "due_on": "2027-01-01"},
    )
    assert due.status_code == 403
    started = staff.post(
        "/staff/queue",
        data={"rows": [f"{h}:{v}" for h, v in fresh if h != partnered.id], "operation": "start"},
    )
    assert started.status_code == 302
    db.session.expire_all()
    assert db.session.get(Hotspot, overdue.id).status == HotspotStatus.IN_PROGRESS


def test_bulk_update_cannot_reach_another_agencys_hotspot(app, users, dns_staff) -> None:
    on_time = _three_hotspots(users)[0]
    staff = app.test_client()
    sign_in(staff, "dns@example.org", "dns-staff-pass")
    response = staff.post(
        "/staff/queue",
        data={"rows": [f"{on_time.id}:{on_time.version}"], "operation": "start"},
    )
    assert response.status_code == 400
    assert "not in Department of Neighborhood Services&#39;s queue" in response.get_data(
        as_text=True
    )
    forged = staff.post(
        f"/staff/queue?agency={agency('MPD-D3').id}",
        data={"rows": [f"{on_time.id}:{on_time.version}"], "operation": "start"},
    )
    assert forged.status_code == 400  # still their own queue: the id in the URL is ignored
    db.session.expire_all()
    assert db.session.get(Hotspot, on_time.id).status == HotspotStatus.ASSIGNED
