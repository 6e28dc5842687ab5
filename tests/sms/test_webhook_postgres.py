"""An SMS conversation on PostgreSQL+PostGIS, with status texts sent by a real RQ worker."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from redis import Redis

from community.demo.reference import load_reference_data
from community.extensions import db
from community.models import Concern, ConcernStatus, Hotspot, Message
from community.places.areas import load_areas
from community.places.city import current_city
from tests.conftest import make_app, service_url, sign_in
from tests.factories import agency, make_staff
from tests.helpers import placed_concerns
from tests.jobsupport import run_worker
from tests.sms.fake_twilio import FakeTwilio, twilio_settings
from tests.sms.test_webhook import PUBLIC, RESIDENT, text

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_a_text_to_resolution_on_postgres(postgres_database: str, fake_twilio: FakeTwilio) -> None:
    redis_url = service_url("TEST_REDIS_URL")
    Redis.from_url(redis_url).flushdb()
    settings = twilio_settings(fake_twilio)
    app = make_app(postgres_database, PUBLIC_BASE_URL=PUBLIC, **settings)  # texts: inline
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        make_staff()
        phone = app.test_client()
        _, reply = text(phone, "shots fired at 2847 n 35th st every night")
        assert "2847 N 35th St" in reply
        again = text(phone, "shots fired at 2847 n 35th st every night", sid="SM" + "b" * 32)
        assert text(phone, "x", sid="SM" + "b" * 32) == again  # same SID: same answer
        concern = db.session.scalar(sa.select(Concern))
        assert concern.status == ConcernStatus.OPEN
        placed_concerns(2, around=(43.07074, -87.95772))
        from community.hotspots.recluster import recluster

        recluster()
        hotspot = db.session.get(Hotspot, db.session.scalar(sa.select(Concern.hotspot_id)))
        app.config["REDIS_URL"] = redis_url  # status texts: on the queue, sent by a worker
        staff = app.test_client()
        sign_in(staff, "prosecutor@example.org", "prosecutor-pass")
        response = staff.post(
            f"/staff/hotspots/{hotspot.id}/assign",
            data={"assign-agency_id": agency("MPD-D7").id, "assign-role": "lead"},
        )
        assert response.status_code == 302
        assert not [r for r in fake_twilio.sent if r.form.get("To") == RESIDENT]  # queued only
        env = {
            "TWILIO_ACCOUNT_SID": settings["TWILIO_ACCOUNT_SID"],
            "TWILIO_AUTH_TOKEN": settings["TWILIO_AUTH_TOKEN"],
            "TWILIO_FROM_NUMBER": settings["TWILIO_FROM_NUMBER"],
            "TWILIO_API_BASE_URL": settings["TWILIO_API_BASE_URL"],
        }
        done = run_worker(postgres_database, redis_url, **env)
        assert done.returncode == 0, done.stderr
        sent = [r for r in fake_twilio.sent if r.form.get("To") == RESIDENT]
        assert len(sent) == 1 and "Milwaukee Police District 7" in sent[0].form["Body"]
        db.session.expire_all()
        outbound = db.session.scalar(sa.select(Message).filter_by(purpose="status_assigned"))
        assert outbound.twilio_sid.startswith("SM") and outbound.resident.phone_last4 == "0123"
        assert outbound.status == "queued"
        db.session.remove()
        db.engine.dispose()


def test_at_scale_the_webhook_answers_at_once_and_a_worker_replies(
    postgres_database: str, fake_twilio: FakeTwilio
) -> None:
    """With Redis: persist, queue, empty TwiML; the worker runs the conversation and texts back."""
    redis_url = service_url("TEST_REDIS_URL")
    Redis.from_url(redis_url).flushdb()
    settings = twilio_settings(fake_twilio)
    app = make_app(postgres_database, PUBLIC_BASE_URL=PUBLIC, REDIS_URL=redis_url, **settings)
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        phone = app.test_client()
        assert text(phone, "shots fired at 2847 n 35th st") == (200, None)  # nothing yet
        assert db.session.scalar(sa.select(sa.func.count(Concern.id))) == 0
        env = {key: settings[key] for key in settings if settings[key]}
        done = run_worker(postgres_database, redis_url, **env)
        assert done.returncode == 0, done.stderr
        replies = [r.form["Body"] for r in fake_twilio.sent if r.form.get("To") == RESIDENT]
        assert len(replies) == 1 and "2847 N 35th St" in replies[0]
        db.session.expire_all()
        assert db.session.scalar(sa.select(Concern.status)) == ConcernStatus.OPEN
        reply = db.session.scalar(sa.select(Message).filter_by(purpose="reply"))
        assert reply.twilio_sid.startswith("SM") and reply.status == "queued"
        # Redis down when a text arrives: saved, and the sweep hands it to a worker later.
        app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
        assert text(phone, "it's the blue house") == (200, None)
        app.config["REDIS_URL"] = redis_url
        from community.jobs import sweep

        assert sweep()["process_sms"] == 1
        done = run_worker(postgres_database, redis_url, **env)
        assert done.returncode == 0, done.stderr
        replies = [r.form["Body"] for r in fake_twilio.sent if r.form.get("To") == RESIDENT]
        assert len(replies) == 2 and "blue house" in db.session.scalar(sa.select(Concern.text))
        db.session.remove()
        db.engine.dispose()
