"""What the whole-system soak (benchmarks/soak.py) found, pinned: no text lost or sent after STOP."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from community.demo.reference import load_reference_data
from community.extensions import db
from community.jobs import process_sms
from community.models import Message, Resident
from community.places.areas import load_areas
from community.places.city import current_city
from tests.conftest import make_app, service_url
from tests.sms.fake_twilio import FakeTwilio, twilio_settings
from tests.sms.test_webhook import PUBLIC, RESIDENT, text

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens: the queue is down


def _worker_catches_up() -> None:
    """Run the conversation for every saved text, oldest first, as a worker would."""
    for message_id in db.session.scalars(
        sa.select(Message.id).filter_by(direction="inbound").order_by(Message.id)
    ).all():
        process_sms(message_id)


def _to_resident(fake: FakeTwilio) -> list[str]:
    return [r.form.get("Body", "") for r in fake.sent if r.form.get("To") == RESIDENT]


def test_a_reply_still_waiting_when_stop_arrives_is_never_sent(
    sms_app: Flask, phone: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    """At scale the reply leaves later, from a worker: a STOP in between must silence it."""
    sms_app.config["REDIS_URL"] = CLOSED_REDIS  # saved and answered later, as with a busy queue
    assert text(phone, "people selling drugs at 2847 n 35th st")[0] == 200
    assert text(phone, "STOP")[0] == 200
    resident = db.session.scalar(sa.select(Resident))
    assert resident.opted_out  # on receipt, as the carrier does, not when a worker gets to it
    _worker_catches_up()
    assert _to_resident(fake_twilio) == []
    db.session.expire_all()
    concern_texts = db.session.scalars(sa.select(Message.concern_id).filter_by(purpose="reply"))
    assert any(concern_texts)  # the report itself still counts
    assert resident.opted_out


def test_spanish_stop_is_confirmed_once_and_start_after_it_reopens_the_line(
    sms_app: Flask, phone: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    sms_app.config["REDIS_URL"] = CLOSED_REDIS
    text(phone, "PARAR")
    text(phone, "START")
    text(phone, "STATUS")
    _worker_catches_up()
    bodies = _to_resident(fake_twilio)
    # PARAR's goodbye (the carrier does not confirm Spanish), then the STATUS answer.
    assert len(bodies) == 2, bodies
    assert db.session.scalar(sa.select(Resident.opted_out)) is False


def test_stop_then_start_processed_late_leaves_the_latest_choice(
    sms_app: Flask, phone: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    """A START's step, run late, must not undo a STOP that arrived after it."""
    sms_app.config["REDIS_URL"] = CLOSED_REDIS
    text(phone, "START")
    text(phone, "STOP")
    _worker_catches_up()
    assert db.session.scalar(sa.select(Resident.opted_out)) is True
    assert _to_resident(fake_twilio) == []


@pytest.mark.postgres
def test_a_text_the_database_could_not_save_gets_503_and_is_saved_once_on_retry(
    postgres_database: str, fake_twilio: FakeTwilio
) -> None:
    """200 means saved: while PostgreSQL is away the webhook says 503 so Twilio tries again."""
    app = make_app(postgres_database, PUBLIC_BASE_URL=PUBLIC, **twilio_settings(fake_twilio))
    # From another database: PostgreSQL will not shut the door of the one it is connected to.
    owner = sa.create_engine(service_url("TEST_POSTGRES_URL"), isolation_level="AUTOCOMMIT")
    name = sa.engine.make_url(postgres_database).database
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        phone = app.test_client()
        sid = "SM" + "d" * 32
        with owner.connect() as connection:  # every connection drops, none may come back
            connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
        status, _ = text(phone, "shots fired at 2847 n 35th st", sid=sid)
        assert status == 503
        page = phone.get("/report")  # every other page says so too, never a 500
        assert page.status_code == 503 and page.headers["Retry-After"]
        api = phone.get("/open311/v2/services.json")  # in the API's own error format
        assert api.status_code == 503 and api.get_json()[0]["code"] == 503
        with owner.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        status, reply = text(phone, "shots fired at 2847 n 35th st", sid=sid)  # Twilio's retry
        assert status == 200 and "2847 N 35th St" in (reply or "")
        assert text(phone, "again", sid=sid)[0] == 200  # a second retry changes nothing
        assert (
            db.session.scalar(sa.select(sa.func.count(Message.id)).filter_by(twilio_sid=sid)) == 1
        )
        db.session.remove()
        db.engine.dispose()
    owner.dispose()


def test_a_resident_the_carrier_opted_out_can_still_start_a_new_report_with_new(
    sms_app: Flask, phone: FlaskClient
) -> None:
    """Twilio said 21610 mid-conversation: no more replies, but NEW must still start a case.

    Before, every keyword of an opted-out resident was dropped, so after NEW the next
    report was taken as the answer to "where is this?" and never became a concern.
    """
    from community.models import Concern

    text(phone, "someone keeps dumping trash")  # "where is this?"
    resident = db.session.scalar(sa.select(Resident))
    resident.opted_out = True  # as a 21610 from Twilio or a status callback sets it
    db.session.commit()
    assert text(phone, "NEW") == (200, None)
    assert text(phone, "people selling drugs at 2847 n 35th st every night") == (200, None)
    texts = db.session.scalars(sa.select(Concern.text).order_by(Concern.id)).all()
    assert texts == [
        "someone keeps dumping trash",
        "people selling drugs at 2847 n 35th st every night",
    ]


def test_a_late_answer_to_an_old_question_does_not_open_a_case_or_eat_the_next_report(
    sms_app: Flask, phone: FlaskClient
) -> None:
    """A resident answers "1" to a choice that arrived after they had moved on with NEW."""
    from community.models import Concern

    text(phone, "drug house at 1518 35th st")  # "which place? 1. ... 2. ..."
    text(phone, "NEW")
    _, reply = text(phone, "1")  # the old question's answer, now out of place
    assert reply and "what is happening" in reply.lower()
    text(phone, "people selling drugs at 2847 n 35th st every night")
    texts = db.session.scalars(sa.select(Concern.text).order_by(Concern.id)).all()
    assert texts == [
        "drug house at 1518 35th st",
        "people selling drugs at 2847 n 35th st every night",
    ]


def test_a_place_given_with_more_words_keeps_the_words_on_the_case(
    sms_app: Flask, phone: FlaskClient
) -> None:
    from community.models import Concern

    text(phone, "someone keeps dumping trash")  # "where is this?"
    text(phone, "its behind the abandoned house at 2847 n 35th st, doors wide open")
    concern = db.session.scalar(sa.select(Concern))
    assert concern.location_label and "doors wide open" in concern.text
    text(phone, "NEW")
    text(phone, "someone keeps dumping trash")
    text(phone, "2847 n 35th st")  # only the place: nothing added
    second = db.session.scalars(sa.select(Concern).order_by(Concern.id.desc())).first()
    assert second.text == "someone keeps dumping trash"


@pytest.mark.postgres
def test_a_request_whose_connection_dies_under_it_still_ends_cleanly(
    postgres_database: str,
) -> None:
    """PostgreSQL restarted mid-request: closing the session must not turn into a 500."""
    from community.database import _end_session

    app = make_app(postgres_database)
    owner = sa.create_engine(service_url("TEST_POSTGRES_URL"), isolation_level="AUTOCOMMIT")
    with app.app_context():
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))  # a transaction is open
        with owner.connect() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        _end_session(None)  # before: OperationalError out of the teardown
        assert db.session.scalar(sa.text("SELECT 1")) == 1  # the next request gets a fresh one
        db.session.remove()
        db.engine.dispose()
    owner.dispose()


@pytest.mark.postgres
def test_two_runs_of_one_notify_job_at_once_send_one_text(
    postgres_database: str, fake_twilio: FakeTwilio
) -> None:
    """RQ runs a job at least once: a retry racing a sweep's copy must not text twice."""
    import threading

    from community.hotspots.recluster import recluster
    from community.models import AssignmentRole, Concern, Hotspot, User
    from community.notify.service import notify_hotspot
    from community.workflow import service
    from tests.factories import agency, make_staff
    from tests.helpers import placed_concerns

    app = make_app(postgres_database, PUBLIC_BASE_URL=PUBLIC, **twilio_settings(fake_twilio))
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        make_staff()
        text(app.test_client(), "shots fired at 2847 n 35th st every night")
        placed_concerns(2, around=(43.07074, -87.95772))
        recluster()
        hotspot = db.session.get(Hotspot, db.session.scalar(sa.select(Concern.hotspot_id)))
        prosecutor = db.session.scalar(sa.select(User).filter_by(role="prosecutor"))
        app.config["REDIS_URL"] = CLOSED_REDIS  # the jobs wait; we run them by hand
        service.assign(hotspot, agency("MPD-D7"), AssignmentRole.LEAD, prosecutor)
        service.resolve(hotspot, prosecutor, "arrests made")
        service.commit()
        hotspot_id = hotspot.id
        db.session.remove()
    start = threading.Barrier(2)

    def run() -> None:
        with app.app_context():
            start.wait()
            notify_hotspot(hotspot_id, "resolved")
            db.session.remove()

    runs = [threading.Thread(target=run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(timeout=60)
    resolved = [
        r for r in fake_twilio.sent if r.form.get("To") == RESIDENT and "resolved" in r.form["Body"]
    ]
    assert len(resolved) == 1
    with app.app_context():
        db.engine.dispose()
