"""The periodic jobs `flask scheduler` queues: owed texts survive a lost queue, quiet
conversations end, late assignments are flagged once."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from community.extensions import db
from community.hotspots.recluster import recluster
from community.intake.expiry import expire_conversations
from community.jobs import sweep
from community.models import (
    Assignment,
    AssignmentRole,
    Concern,
    ConcernStatus,
    Conversation,
    Event,
    EventKind,
    Hotspot,
    HotspotStatus,
    Notice,
    User,
)
from community.scheduler import periodic_jobs, run_due
from community.workflow import service
from community.workflow.overdue import flag_overdue
from tests.factories import agency, make_staff
from tests.helpers import placed_concerns
from tests.sms.fake_twilio import FakeTwilio
from tests.sms.test_webhook import RESIDENT, text

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens: every enqueue fails


def _hotspot_with_a_reporter(phone: FlaskClient) -> Hotspot:
    make_staff()
    text(phone, "shots fired at 2847 n 35th st")
    placed_concerns(2, around=(43.07074, -87.95772))
    recluster()
    concern = db.session.scalar(sa.select(Concern).where(Concern.resident_id.is_not(None)))
    return db.session.get(Hotspot, concern.hotspot_id)


def _prosecutor() -> User:
    return db.session.scalar(sa.select(User).filter_by(role="prosecutor"))


def test_a_resolution_text_owed_while_the_queue_was_down_is_sent_once_by_the_sweep(
    sms_app: Flask, phone: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    hotspot = _hotspot_with_a_reporter(phone)
    sms_app.config["REDIS_URL"] = CLOSED_REDIS  # the job is lost; the notice row is not
    service.assign(hotspot, agency("MPD-D7"), AssignmentRole.LEAD, _prosecutor())
    service.commit()
    service.resolve(hotspot, _prosecutor(), "arrests made")
    service.commit()
    assert not [r for r in fake_twilio.sent if r.form.get("To") == RESIDENT]
    assert db.session.scalar(sa.select(sa.func.count(Notice.id)).filter_by(done_at=None)) == 2
    sms_app.config["REDIS_URL"] = None  # the queue is back (inline here)
    counts = sweep()
    assert counts["notify_hotspot"] == 2
    sweep()  # a second sweep owes nothing more
    bodies = [r.form["Body"] for r in fake_twilio.sent if r.form.get("To") == RESIDENT]
    assert len(bodies) == 2  # assigned, then resolved: one each
    assert db.session.scalar(sa.select(sa.func.count(Notice.id)).filter_by(done_at=None)) == 0


def test_a_text_twilio_refused_for_a_while_is_sent_by_a_later_sweep(
    sms_app: Flask, phone: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    hotspot = _hotspot_with_a_reporter(phone)
    sms_app.config["SWEEP_TEXT_AFTER_S"] = 0
    fake_twilio.fail_next(1, status=500)  # Twilio down: the text stays pending
    service.assign(hotspot, agency("MPD-D7"), AssignmentRole.LEAD, _prosecutor())
    service.commit()
    assert [r.status for r in fake_twilio.sent if r.form.get("To") == RESIDENT] == [500]
    sweep()  # Twilio is back: the text and the notice are both owed, one text leaves
    sweep()
    accepted = [r for r in fake_twilio.sent if r.status == 201 and r.form.get("To") == RESIDENT]
    assert len(accepted) == 1


def test_a_conversation_left_waiting_goes_to_staff_after_the_timeout(
    sms_app: Flask, phone: FlaskClient
) -> None:
    text(phone, "people dealing drugs every night")  # no place: "where is it?"
    conversation = db.session.scalar(sa.select(Conversation))
    assert conversation.state == "awaiting_location"
    assert expire_conversations() == 0  # not yet
    sms_app.config["SMS_CONVERSATION_TIMEOUT_MIN"] = 0
    past = conversation.updated_at - timedelta(minutes=5)
    db.session.execute(sa.update(Conversation).values(updated_at=past))
    context = dict(conversation.context, updated_at=past.isoformat())
    db.session.execute(sa.update(Conversation).values(context=context, updated_at=past))
    db.session.commit()
    assert expire_conversations() == 1
    db.session.expire_all()
    assert db.session.scalar(sa.select(Concern.status)) == ConcernStatus.NEEDS_LOCATION
    assert db.session.scalar(sa.select(Conversation.state)) == "idle"
    assert expire_conversations() == 0


def test_an_overdue_assignment_is_flagged_once_and_a_new_due_date_clears_it(
    sms_app: Flask, phone: FlaskClient
) -> None:
    hotspot = _hotspot_with_a_reporter(phone)
    service.assign(hotspot, agency("MPD-D7"), AssignmentRole.LEAD, _prosecutor())
    service.commit()
    assert flag_overdue() == 0
    lead = db.session.scalar(sa.select(Assignment))
    lead.due_at = lead.created_at - timedelta(days=1)
    db.session.commit()
    assert flag_overdue() == 1
    assert flag_overdue() == 0  # once
    events = db.session.scalars(sa.select(Event).filter_by(kind=EventKind.OVERDUE)).all()
    assert len(events) == 1 and "Milwaukee Police District 7" in events[0].reason
    service.set_due_date(hotspot, (lead.created_at + timedelta(days=10)).date(), _prosecutor())
    service.commit()
    assert db.session.get(Assignment, lead.id).overdue_at is None


def test_the_scheduler_runs_each_job_when_due_and_survives_a_failing_one(sms_app: Flask) -> None:
    needs_redis = ("promote_due_jobs", "rescue_stranded_jobs")
    jobs = [j for j in periodic_jobs(sms_app) if j.name not in needs_redis]
    assert {j.name for j in jobs} == {
        "sweep",
        "recluster",
        "expire_conversations",
        "flag_overdue",
        "purge_resident_data",
    }
    calls: list[str] = []
    jobs[0].run = lambda: calls.append("sweep")
    jobs[1].run = lambda: 1 / 0  # a database restart, say
    assert run_due(sms_app, jobs, now=100.0) == [
        "sweep",
        "expire_conversations",
        "flag_overdue",
        "purge_resident_data",
    ]
    assert run_due(sms_app, jobs, now=101.0) == []  # nothing due a second later
    assert "sweep" in run_due(sms_app, jobs, now=100.0 + jobs[0].every)
    assert calls == ["sweep", "sweep"]


def test_a_text_left_sending_by_a_dead_process_is_settled_with_twilio_once(
    sms_app: Flask, phone: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    """Claimed, then the process died: before or after Twilio took it. Ask Twilio, send once."""
    from community.models import Message, MessageStatus, Resident
    from community.sms.delivery import send_text

    text(phone, "STATUS")
    resident = db.session.scalar(sa.select(Resident))
    # The same words went to this number once before: that SID is not the lost text's.
    send_text(resident, "crashed before leaving", purpose="status_assigned")
    gone = send_text(resident, "left before the crash", purpose="status_assigned")
    lost = send_text(resident, "crashed before leaving", purpose="status_assigned")
    before = len([r for r in fake_twilio.sent if r.method == "POST"])
    # The process died after claiming each: one had reached Twilio, the other had not.
    del fake_twilio.messages[lost.twilio_sid]
    db.session.execute(
        sa.update(Message)
        .where(Message.id.in_([gone.id, lost.id]))
        .values(status=MessageStatus.SENDING, twilio_sid=None)
    )
    db.session.commit()
    sms_app.config["SWEEP_TEXT_AFTER_S"] = 0
    sweep()
    sweep()
    db.session.expire_all()
    assert db.session.get(Message, gone.id).status == MessageStatus.QUEUED
    assert db.session.get(Message, gone.id).twilio_sid in fake_twilio.messages
    resent = [r.form["Body"] for r in fake_twilio.sent[before:] if r.method == "POST"]
    assert resent == ["crashed before leaving"]  # sent again once; the other never twice


def test_reporters_owed_a_resolution_text_are_those_in_the_hotspot_when_it_was_resolved(
    sms_app: Flask, phone: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    """A re-cluster between the resolution and the job must not cost the reporter the text;
    a second resolution the same day texts nobody twice."""
    hotspot = _hotspot_with_a_reporter(phone)
    sms_app.config["REDIS_URL"] = CLOSED_REDIS  # the job waits (lost), the notice does not
    service.assign(hotspot, agency("MPD-D7"), AssignmentRole.LEAD, _prosecutor())
    service.commit()
    service.resolve(hotspot, _prosecutor(), "arrests made")
    service.commit()
    mine = db.session.scalar(sa.select(Concern).where(Concern.resident_id.is_not(None)))
    mine.hotspot_id = None  # a re-cluster made it noise before the job ran
    db.session.commit()
    sms_app.config["REDIS_URL"] = None
    sweep()
    resolved = [
        r.form["Body"]
        for r in fake_twilio.sent
        if r.form.get("To") == RESIDENT and "resolved" in r.form.get("Body", "")
    ]
    assert len(resolved) == 1
    mine.hotspot_id = hotspot.id  # back in it; the problem comes back and is resolved again
    db.session.commit()
    service.transition_hotspot(hotspot, HotspotStatus.IN_PROGRESS, _prosecutor(), "came back")
    service.commit()
    service.resolve(hotspot, _prosecutor(), "arrests made again")
    service.commit()
    sweep()
    again = [
        r
        for r in fake_twilio.sent
        if r.form.get("To") == RESIDENT and "resolved" in r.form.get("Body", "")
    ]
    assert len(again) == 1  # one per resident per hotspot per day
