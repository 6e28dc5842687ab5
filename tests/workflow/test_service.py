"""The workflow: only allowed transitions, every change an Event, leads and hand-offs."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from community.extensions import db
from community.models import ActionKind, AssignmentRole, Event, Hotspot, HotspotStatus
from community.workflow.service import (
    WorkflowError,
    assign,
    log_action,
    resolve,
    transition_hotspot,
)
from community.workflow.states import HOTSPOT_TRANSITIONS
from tests.factories import agency


def _events(hotspot: Hotspot) -> list[tuple[str, str | None]]:
    rows = db.session.scalars(sa.select(Event).filter_by(hotspot_id=hotspot.id).order_by(Event.id))
    return [(e.kind, e.to_status) for e in rows if e.kind not in ("created", "clustered")]


def test_every_status_is_in_the_table() -> None:
    assert set(HOTSPOT_TRANSITIONS) == set(HotspotStatus)


def test_assign_lead_then_act_then_resolve_writes_history(hotspot, users) -> None:
    prosecutor = users["prosecutor"]
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, prosecutor, "drug house in D3")
    assign(hotspot, agency("DNS"), AssignmentRole.PARTNER, prosecutor)
    assert hotspot.status == HotspotStatus.ASSIGNED
    log_action(hotspot, agency("MPD-D3"), ActionKind.DIRECTED_PATROL, prosecutor)
    assert hotspot.status == HotspotStatus.IN_PROGRESS
    resolve(hotspot, prosecutor, "tenants evicted")
    db.session.commit()
    assert hotspot.status == HotspotStatus.RESOLVED and hotspot.resolved_at is not None
    assert _events(hotspot) == [
        ("assigned", None),
        ("status_changed", "assigned"),
        ("assigned", None),
        ("action_logged", None),
        ("status_changed", "in_progress"),
        ("status_changed", "resolved"),
    ]


def test_a_new_lead_is_a_hand_off(hotspot, users) -> None:
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    assign(hotspot, agency("DNS"), AssignmentRole.LEAD, users["prosecutor"], "it is a vacant house")
    db.session.commit()
    assert hotspot.lead.agency.code == "DNS"
    assert [a.agency.code for a in hotspot.assignments if not a.active] == ["MPD-D3"]
    assert ("handed_off", None) in _events(hotspot)


@pytest.mark.parametrize(
    ("attempt", "message"),
    [
        (lambda h, u: transition_hotspot(h, HotspotStatus.CLOSED, u), "cannot become closed"),
        (lambda h, u: resolve(h, u, "done"), "Assign a lead agency"),
        (lambda h, u: resolve(h, u, "  "), "Say how"),
        (lambda h, u: log_action(h, agency("DNS"), ActionKind.SITE_VISIT, u), "not assigned"),
    ],
)
def test_refused_changes_say_why_and_change_nothing(hotspot, users, attempt, message) -> None:
    before = _events(hotspot)
    with pytest.raises(WorkflowError, match=message):
        attempt(hotspot, users["prosecutor"])
    db.session.rollback()
    assert db.session.get(Hotspot, hotspot.id).status == HotspotStatus.NEW
    assert _events(hotspot) == before


def test_the_same_agency_cannot_be_assigned_twice(hotspot, users) -> None:
    assign(hotspot, agency("DNS"), AssignmentRole.PARTNER, users["prosecutor"])
    with pytest.raises(WorkflowError, match="already the partner"):
        assign(hotspot, agency("DNS"), AssignmentRole.PARTNER, users["prosecutor"])


def test_concurrent_edits_of_a_hotspot_do_not_overwrite_each_other(hotspot, users) -> None:
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    with Session(db.engine) as other:  # a second staff member's request
        theirs = other.get(Hotspot, hotspot.id)
        theirs.status = HotspotStatus.TRIAGED
        other.commit()
    with pytest.raises(StaleDataError):  # raised at the first flush of our stale copy
        assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Hotspot, hotspot.id).status == HotspotStatus.TRIAGED


def test_a_hand_off_while_someone_else_edits_is_refused(hotspot, users) -> None:
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    from community.models import utcnow

    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    db.session.commit()
    with Session(db.engine) as other:  # another prosecutor changes the hotspot meanwhile
        other.get(Hotspot, hotspot.id).updated_at = utcnow()
        other.commit()
    with pytest.raises(StaleDataError):
        assign(hotspot, agency("DNS"), AssignmentRole.LEAD, users["prosecutor"], "vacant house")
        db.session.commit()
    db.session.rollback()
    leads = [
        a.agency.code
        for a in db.session.get(Hotspot, hotspot.id).assignments
        if a.active and a.role == "lead"
    ]
    assert leads == ["MPD-D3"]


def test_the_lead_cannot_be_demoted_to_partner(hotspot, users) -> None:
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    with pytest.raises(WorkflowError, match="is the lead on this hotspot"):
        assign(hotspot, agency("MPD-D3"), AssignmentRole.PARTNER, users["prosecutor"])


def test_the_database_refuses_two_active_leads(hotspot, users) -> None:
    import sqlalchemy as sa_

    from community.models import Assignment

    db.session.add_all(
        [
            Assignment(hotspot_id=hotspot.id, agency_id=agency(code).id, role=AssignmentRole.LEAD)
            for code in ("MPD-D3", "DNS")
        ]
    )
    with pytest.raises(sa_.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
