"""LOG_FORMAT=json: one object per line, a request id its jobs carry, no number or words."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from community.extensions import db
from community.logging_setup import JsonFormatter
from community.models import AssignmentRole, Concern, Hotspot, User
from community.sms.delivery import TransientSendError
from tests.factories import agency, make_staff
from tests.helpers import placed_concerns
from tests.sms.fake_twilio import FakeTwilio
from tests.sms.test_webhook import RESIDENT, text

WORDS = "the purple porch sells every night at 2847 n 35th st, my cell 414-555-0177"
NUMBER_FORMS = ("4145550123", "414-555-0123", "555-0123", "5550123", "4145550177", "555-0177")
WORD_FORMS = ("purple porch", "sells every night", "my cell")


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Every record of every logger, at DEBUG, written as the JSON lines production writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_request_and_the_job_it_ran_log_under_one_id(app: Flask, json_log) -> None:
    response = app.test_client().post(
        "/report",
        data={
            "category": "drug_activity",
            "text": "selling at the corner every night",
            "location": "2263 N Lake Dr",
        },
        headers={"X-Request-ID": "req-0123456789ab"},
    )
    assert response.status_code == 302
    assert response.headers["X-Request-ID"] == "req-0123456789ab"
    jobs = [entry for entry in _lines(json_log) if entry.get("job")]
    assert jobs and {entry["request_id"] for entry in jobs} == {"req-0123456789ab"}
    assert "locate_concern" in {entry["job"] for entry in jobs}
    fresh = app.test_client().get("/healthz", headers={"X-Request-ID": "bad id; INFO forged"})
    assert fresh.headers["X-Request-ID"] != "bad id; INFO forged"  # a new id, not the header


def test_a_whole_sms_conversation_logs_no_number_and_no_words(
    sms_app: Flask, phone: FlaskClient, fake_twilio: FakeTwilio, json_log
) -> None:
    url = fake_twilio.add_media("porch", b"\xff\xd8\xff a porch", "image/jpeg")
    status, reply = text(phone, WORDS, media=[url])
    assert status == 200 and reply
    text(phone, "it is the one with the purple porch, sells every night")
    text(phone, "STATUS")
    text(phone, "HELP")
    make_staff()
    placed_concerns(2, around=(43.07074, -87.95772))
    from community.hotspots.recluster import recluster
    from community.notify.service import notify_hotspot
    from community.workflow.service import assign, resolve

    recluster()
    concern = db.session.scalar(sa.select(Concern).where(Concern.resident_id.is_not(None)))
    hotspot = db.session.get(Hotspot, concern.hotspot_id)
    prosecutor = db.session.scalar(sa.select(User).filter_by(role="prosecutor"))
    assign(hotspot, agency("MPD-D7"), AssignmentRole.LEAD, prosecutor)
    db.session.commit()
    notify_hotspot(hotspot.id, "assigned")
    resolve(hotspot, prosecutor, "arrests made")
    db.session.commit()
    fake_twilio.fail_next(1, status=500)  # an error on the way, logged; the retry sends it
    with pytest.raises(TransientSendError):
        notify_hotspot(hotspot.id, "resolved")
    notify_hotspot(hotspot.id, "resolved")
    text(phone, "STOP")
    text(phone, "START")
    assert any(r.form.get("To") == RESIDENT for r in fake_twilio.sent)

    lines = _lines(json_log)  # every line is one JSON object
    assert len(lines) > 20
    written = json_log.getvalue()
    for secret in NUMBER_FORMS + WORD_FORMS:
        assert secret not in written, secret
    assert "%2B1414" not in written.upper()
    assert all({"time", "level", "logger", "message", "request_id"} <= set(e) for e in lines)
    during_requests = {e["request_id"] for e in lines if e["request_id"]}
    assert during_requests  # the webhook's lines carry its id


def test_a_queued_job_logs_under_the_request_that_queued_it(app: Flask, tmp_path) -> None:
    from redis import Redis

    from tests.conftest import service_url
    from tests.jobsupport import run_worker

    redis_url = service_url("TEST_REDIS_URL")
    Redis.from_url(redis_url).flushdb()
    app.config["REDIS_URL"] = redis_url
    response = app.test_client().post(
        "/report",
        data={"category": "drug_activity", "text": "selling again", "location": "2263 N Lake Dr"},
        headers={"X-Request-ID": "req-worker-000001"},
    )
    assert response.status_code == 302
    done = run_worker(
        app.config["SQLALCHEMY_DATABASE_URI"], redis_url, LOG_FORMAT="json", LOG_LEVEL="INFO"
    )
    assert done.returncode == 0, done.stderr
    entries = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    located = [e for e in entries if e.get("job") == "locate_concern"]
    assert located and all(e["request_id"] == "req-worker-000001" for e in located)
    assert all(line.startswith("{") for line in done.stderr.splitlines() if line.strip())
