"""Two staff editing the same hotspot at once: one wins, the other is told, nothing is lost.

Run on SQLite and on PostgreSQL. Each browser sends back the hotspot version its page was made
from; a change made on an older version is refused with 409 and the user's input is kept.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from community.demo.reference import load_reference_data
from community.extensions import db
from community.models import Action, AssignmentRole, Hotspot, HotspotStatus, Role, User
from community.places.areas import load_areas
from community.places.city import current_city
from community.workflow.service import assign, change_status, check_version
from tests.conftest import make_app, sign_in
from tests.factories import UserFactory, agency, make_staff
from tests.workflow.conftest import make_hotspot, page_version

STALE = "Someone else changed this hotspot while you were working"
THEIR_NOTE = "Spoke with the landlord at 4pm; he promised new locks by Friday. Ünïcode ok."


def _two_prosecutors(app: Flask):
    users = make_staff()
    UserFactory(
        email="second@example.org",
        role=Role.PROSECUTOR,
        password="second-pass",
        agency_id=agency("DA-CPU").id,
    )
    hotspot = make_hotspot()
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    sign_in(first, "prosecutor@example.org", "prosecutor-pass")
    sign_in(second, "second@example.org", "second-pass")
    return hotspot.id, first, second


def _action(version: int, note: str) -> dict:
    return {
        "action-version": version,
        "action-agency_id": agency("MPD-D3").id,
        "action-kind": "site_visit",
        "action-outcome": "done",
        "action-notes": note,
    }


def two_staff_log_actions_at_once(app: Flask) -> None:
    hotspot_id, first, second = _two_prosecutors(app)
    seen_by_first = page_version(first, hotspot_id)
    seen_by_second = page_version(second, hotspot_id)
    assert seen_by_first == seen_by_second

    won = first.post(f"/staff/hotspots/{hotspot_id}/actions", data=_action(seen_by_first, "A"))
    assert won.status_code == 302
    lost = second.post(
        f"/staff/hotspots/{hotspot_id}/actions", data=_action(seen_by_second, THEIR_NOTE)
    )
    assert lost.status_code == 409
    page = lost.get_data(as_text=True)
    assert STALE in page and "reload the page" in page
    assert THEIR_NOTE in page  # their typing is still in the form, not lost
    db.session.expire_all()
    notes = db.session.scalars(sa.select(Action.notes).filter_by(hotspot_id=hotspot_id)).all()
    assert notes == ["A"]  # the winner's change stands, the loser's was not half-applied
    assert db.session.get(Hotspot, hotspot_id).status == HotspotStatus.IN_PROGRESS

    # Having seen the change, they send it again from the refreshed form: now it is saved.
    again = second.post(
        f"/staff/hotspots/{hotspot_id}/actions",
        data=_action(page_version(second, hotspot_id), THEIR_NOTE),
    )
    assert again.status_code == 302
    notes = db.session.scalars(
        sa.select(Action.notes).filter_by(hotspot_id=hotspot_id).order_by(Action.id)
    ).all()
    assert notes == ["A", THEIR_NOTE]


def resolve_beats_a_stale_hand_off(app: Flask) -> None:
    hotspot_id, first, second = _two_prosecutors(app)
    version = page_version(first, hotspot_id)
    assert page_version(second, hotspot_id) == version
    resolved = first.post(
        f"/staff/hotspots/{hotspot_id}/resolve",
        data={
            "resolve-version": version,
            "resolve-outcome": "problem_stopped",
            "resolve-reason": "tenants evicted",
        },
    )
    assert resolved.status_code == 302
    handed = second.post(
        f"/staff/hotspots/{hotspot_id}/handoff",
        data={
            "handoff-version": version,
            "handoff-agency_id": agency("DNS").id,
            "handoff-reason": "it is a code problem",
        },
    )
    assert handed.status_code == 409
    assert STALE in handed.get_data(as_text=True)
    db.session.expire_all()
    hotspot = db.session.get(Hotspot, hotspot_id)
    assert hotspot.status == HotspotStatus.RESOLVED
    assert hotspot.lead.agency.code == "MPD-D3"


def sessions_racing_past_the_check(app: Flask) -> None:
    """Both requests read the same version and pass the form check: the database decides."""
    users = make_staff()
    hotspot_id = make_hotspot().id
    db.session.commit()
    ours = db.session.get(Hotspot, hotspot_id)  # request 1 has read the hotspot...
    version = ours.version
    with Session(db.engine) as other:  # ...when request 2 reads, changes and commits it
        theirs = other.get(Hotspot, hotspot_id)
        assert theirs.version == version
        change_status(theirs, HotspotStatus.TRIAGED, other.get(User, users["admin"].id))
        other.commit()
    check_version(ours, version)  # request 1's form carried the version it read: no help now
    with pytest.raises(StaleDataError):  # at the first flush of the stale copy
        assign(ours, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
        db.session.commit()
    db.session.rollback()
    hotspot = db.session.get(Hotspot, hotspot_id)
    assert hotspot.status == HotspotStatus.TRIAGED and hotspot.assignments == []


SCENARIOS = [
    two_staff_log_actions_at_once,
    resolve_beats_a_stale_hand_off,
    sessions_racing_past_the_check,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_on_sqlite(app, scenario) -> None:
    scenario(app)


@pytest.mark.postgres
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_on_postgres(postgres_database: str, scenario) -> None:
    app = make_app(postgres_database)
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        try:
            scenario(app)
        finally:
            db.session.remove()
            db.engine.dispose()
