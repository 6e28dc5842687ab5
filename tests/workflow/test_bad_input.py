"""Bad input on every workflow form: a clear message, a 400, and nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from community.extensions import db
from community.models import Action, Assignment, AssignmentRole, Event, Hotspot
from community.workflow.service import assign
from tests.conftest import sign_in
from tests.factories import agency
from tests.workflow.conftest import make_hotspot

HUGE = "x" * 15_000


@pytest.fixture
def assigned(app, users) -> int:
    hotspot = make_hotspot()
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    assign(hotspot, agency("OVP"), AssignmentRole.PARTNER, users["prosecutor"])
    db.session.commit()
    return hotspot.id


def _snapshot(hotspot_id: int) -> tuple:
    db.session.expire_all()
    hotspot = db.session.get(Hotspot, hotspot_id)
    return (
        hotspot.status,
        hotspot.version,
        hotspot.merged_into_id,
        db.session.scalar(sa.select(sa.func.count(Event.id))),
        db.session.scalar(sa.select(sa.func.count(Action.id))),
        tuple(
            (a.agency_id, a.role, a.ended_at, a.due_at)
            for a in db.session.scalars(sa.select(Assignment).order_by(Assignment.id))
        ),
    )


def _action(**fields: object) -> dict:
    data = {"action-agency_id": "@MPD-D3", "action-kind": "site_visit"}
    data.update({f"action-{k}": v for k, v in fields.items()})
    return data


CASES = [
    ("status", {"status-status": "on_fire"}, "New status: Not a valid choice"),
    ("status", {"status-status": ""}, "Choose a status."),
    ("status", {"status-status": "resolved"}, "New status: Not a valid choice"),
    ("status", {"status-status": "duplicate", "status-reason": "same house"}, "Say which other"),
    (
        "status",
        {"status-status": "duplicate", "status-reason": "same", "status-duplicate_of": "999999"},
        "There is no hotspot #999999",
    ),
    ("status", {"status-status": "not_actionable"}, "this change needs a reason"),
    ("assign", {"assign-agency_id": "99999", "assign-role": "partner"}, "Not a valid choice"),
    ("assign", {"assign-agency_id": "1 OR 1=1", "assign-role": "lead"}, "Agency:"),
    (
        "assign",
        {"assign-agency_id": "@DNS", "assign-role": "partner", "assign-due_on": "1900-01-01"},
        "Due date (optional): Pick a due date between",
    ),
    ("handoff", {"handoff-agency_id": "99999", "handoff-reason": "x"}, "Not a valid choice"),
    ("handoff", {"handoff-agency_id": "@DNS", "handoff-reason": ""}, "Say why."),
    (
        "handoff",
        {"handoff-agency_id": "@DNS", "handoff-reason": "<script>alert(1)</script>"},
        "Write plain text: HTML tags such as &lt;script&gt; are not accepted.",
    ),
    ("due", {"due-due_on": "1900-01-01"}, "Pick a due date between"),
    ("due", {"due-due_on": "2999-12-31"}, "Pick a due date between"),
    ("due", {"due-due_on": "not a date"}, "Not a valid date value."),
    ("due", {"due-due_on": ""}, "Pick a date."),
    ("actions", _action(agency_id="99999"), "Agency: Not a valid choice"),
    ("actions", _action(kind="teleportation"), "What was done: Not a valid choice"),
    ("actions", _action(notes=HUGE), "Field cannot be longer than 4000 characters."),
    ("actions", _action(notes="<script>alert(1)</script>"), "Write plain text"),
    ("actions", _action(public_note='<img src=x onerror="alert(1)">'), "Write plain text"),
    ("actions", _action(occurred_on="2999-01-01"), "Pick a date between"),
    ("actions", _action(occurred_on="1900-01-01"), "Pick a date between"),
    ("actions", _action(outcome="great"), "Outcome: Not a valid choice"),
    ("actions", _action(version="-1; DROP TABLE hotspot"), "This form is out of date"),
    ("resolve", {"resolve-reason": "done", "resolve-outcome": "magic"}, "Not a valid choice"),
    ("resolve", {"resolve-reason": HUGE, "resolve-outcome": "improved"}, "longer than 1000"),
    ("resolve", {"resolve-reason": "", "resolve-outcome": ""}, "Choose the outcome"),
]


def _resolve(data: dict) -> dict:
    """Agency codes written "@CODE" in the cases become their ids (known only in the app)."""
    return {
        k: (agency(v[1:]).id if isinstance(v, str) and v.startswith("@") else v)
        for k, v in data.items()
    }


@pytest.mark.parametrize(("path", "data", "message"), CASES)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    client, assigned, path, data, message
) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    data = _resolve(data)
    before = _snapshot(assigned)
    response = client.post(f"/staff/hotspots/{assigned}/{path}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:2000]
    assert message in page
    assert "That change was not made" in page
    assert "<script>alert(1)</script>" not in page  # shown back, if at all, escaped
    assert _snapshot(assigned) == before


def test_sql_and_unicode_in_notes_are_kept_as_plain_text(client, assigned) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    note = "'; DROP TABLE hotspot; -- vecinos dicen: ¡otra vez! 🚨 O'Brien said 5 > 3"
    response = client.post(
        f"/staff/hotspots/{assigned}/actions", data=_resolve(_action(notes=note))
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Action.notes)) == note
    page = client.get(f"/staff/hotspots/{assigned}").get_data(as_text=True)
    assert "O&#39;Brien said 5 &gt; 3" in page


def test_an_unknown_agency_in_the_queue_or_a_bogus_row_changes_nothing(client, assigned) -> None:
    sign_in(client, "d3@example.org", "agency_staff-pass")
    before = _snapshot(assigned)
    response = client.post(
        "/staff/queue",
        data={"rows": ["abc:1", f"{assigned}:x", "999999:1"], "operation": "start"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "not in this queue" in page and "Nothing was changed" in page
    assert _snapshot(assigned) == before
    assert client.get("/staff/queue?agency=999999").status_code == 200  # staff: their own queue


def test_impossible_numbers_in_the_queue_are_refused_not_a_crash(client, assigned) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    for agency_id in ("%C2%B2", "99999999999999999999"):
        response = client.get(f"/staff/queue?agency={agency_id}")
        assert response.status_code == 404
        assert "There is no such agency." in response.get_data(as_text=True)
    before = _snapshot(assigned)
    response = client.post(
        f"/staff/queue?agency={agency('MPD-D3').id}",
        data={"rows": ["99999999999999999999:1", f"{assigned}:²"], "operation": "start"},
    )
    assert response.status_code == 400
    assert "not in this queue" in response.get_data(as_text=True)
    assert _snapshot(assigned) == before


BIG = "99999999999999999999"  # 20 digits: beyond any database integer


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/staff/hotspots/{BIG}"),
        ("POST", f"/staff/hotspots/{BIG}/partners/{BIG}/remove"),
        ("GET", f"/admin/users/{BIG}"),
        ("GET", f"/staff/reports/batches/{BIG}"),
        ("GET", f"/staff/reports/batches/{BIG}/progress.json"),
        ("POST", f"/staff/triage/locate/{BIG}"),
    ],
)
def test_an_id_too_large_for_the_database_is_a_404(client, users, method, path) -> None:
    sign_in(client, "admin@example.org", "admin-pass")
    place = {"lat": "43.0747", "lon": "-87.9556"}  # only the locate form reads it
    response = client.open(path, method=method, data=place if method == "POST" else None)
    assert response.status_code == 404, response.get_data(as_text=True)[:500]


def _zone_whose_date_is_not_utcs() -> str:
    """A real time zone where today is another date than in UTC, whatever the hour."""
    now = datetime.now(UTC)
    for name in ("Pacific/Kiritimati", "Etc/GMT+12"):  # UTC+14, UTC-12
        if now.astimezone(ZoneInfo(name)).date() != now.date():
            return name
    raise AssertionError("one of them always differs")


def test_an_action_dated_today_in_the_city_is_stored_as_now(app, client, assigned) -> None:
    zone = ZoneInfo(_zone_whose_date_is_not_utcs())
    app.config["CITY_TIMEZONE"] = zone.key
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    today = datetime.now(zone).date()
    response = client.post(
        f"/staff/hotspots/{assigned}/actions", data=_resolve(_action(occurred_on=today))
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    stored = db.session.scalar(sa.select(Action.occurred_at))
    assert abs(stored - datetime.now(UTC)) < timedelta(minutes=5)
    assert stored.astimezone(zone).date() == today
