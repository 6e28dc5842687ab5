"""/readyz and /ops/metrics: what operators and Prometheus read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from community.extensions import db
from community.jobs import sweep
from community.models import Message, MessageDirection, MessageStatus, Notice, Resident
from tests.conftest import fresh_app, service_url

TOKEN = "scrape-me-" + "x" * 30
SECURITY_HEADERS = ("X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy")


@pytest.fixture
def ops_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    yield from fresh_app(sqlite_template, tmp_path, OPS_METRICS_TOKEN=TOKEN)


def _scrape(app: Flask) -> str:
    response = app.test_client().get("/ops/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    return response.get_data(as_text=True)


def _value(text: str, sample: str) -> float:
    match = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.MULTILINE)
    assert match, f"{sample} not in the scrape"
    return float(match.group(1))


def test_readyz_is_ready_with_the_database_and_no_redis(app: Flask) -> None:
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": True}
    for header in SECURITY_HEADERS:
        assert header in response.headers


def test_readyz_is_not_ready_when_redis_is_unreachable(app: Flask) -> None:
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": True, "redis": False}


def test_readyz_with_a_real_redis(app: Flask) -> None:
    app.config["REDIS_URL"] = service_url("TEST_REDIS_URL")
    response = app.test_client().get("/readyz")
    assert response.status_code == 200 and response.json["redis"] is True


def test_metrics_are_absent_without_the_setting(app: Flask) -> None:
    assert app.test_client().get("/ops/metrics").status_code == 404


def test_metrics_need_the_bearer_token(ops_app: Flask) -> None:
    client = ops_app.test_client()
    assert client.get("/ops/metrics").status_code == 401
    wrong = client.get("/ops/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "WWW-Authenticate" in wrong.headers
    basic = client.get("/ops/metrics", headers={"Authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401
    good = client.get("/ops/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert good.status_code == 200
    for header in SECURITY_HEADERS:
        assert header in good.headers
    assert "no-store" in good.headers["Cache-Control"]


def test_the_scrape_counts_requests_and_owed_work(ops_app: Flask) -> None:
    client = ops_app.test_client()
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    client.get("/no/such/page")
    resident = Resident(phone_encrypted=b"x", phone_hash="h" * 64, phone_last4="0123")
    db.session.add(resident)
    db.session.flush()
    for status, code in [
        (MessageStatus.PENDING, None),
        (MessageStatus.FAILED, 21610),
        (MessageStatus.FAILED, 21610),
        (MessageStatus.UNDELIVERED, 30003),
    ]:
        db.session.add(
            Message(
                resident_id=resident.id,
                direction=MessageDirection.OUTBOUND,
                body="",
                status=status,
                error_code=code,
            )
        )
    db.session.commit()
    text = _scrape(ops_app)
    assert (
        _value(
            text,
            'community_http_request_duration_seconds_count{endpoint="public.healthz",method="GET"}',
        )
        == 3
    )
    assert (
        _value(
            text,
            'community_http_requests_total{endpoint="public.healthz",method="GET",status="200"}',
        )
        == 3
    )
    assert 'endpoint="unmatched"' in text  # a 404 counts, without its URL
    assert "no/such/page" not in text
    assert _value(text, 'community_texts{state="pending"}') == 1
    assert _value(text, 'community_texts{state="failed"}') == 2
    assert _value(text, 'community_texts{state="undelivered"}') == 1
    assert _value(text, 'community_twilio_errors_total{code="21610"}') == 2
    assert _value(text, 'community_twilio_errors_total{code="30003"}') == 1
    assert _value(text, 'community_oldest_owed_seconds{kind="text"}') >= 0
    assert _value(text, "community_notices_owed") == 0
    assert "community_jobs" not in text  # no Redis: no queues


def test_the_last_sweep_is_reported(ops_app: Flask) -> None:
    sweep()
    text = _scrape(ops_app)
    assert _value(text, 'community_last_success_timestamp_seconds{work="sweep"}') > 1.7e9


def test_owed_notices_and_their_age(ops_app: Flask) -> None:
    from tests.workflow.conftest import make_hotspot

    hotspot = make_hotspot()
    db.session.add(Notice(hotspot_id=hotspot.id, kind="assigned", concern_ids=[]))
    db.session.commit()
    text = _scrape(ops_app)
    assert _value(text, "community_notices_owed") == 1
    assert db.session.scalar(sa.select(sa.func.count(Notice.id))) == 1


def test_queues_are_reported_with_a_real_redis(ops_app: Flask) -> None:
    ops_app.config["REDIS_URL"] = service_url("TEST_REDIS_URL")
    from community.jobs import get_queue

    get_queue().connection.flushdb()
    ops_app.config["REDIS_URL"] = service_url("TEST_REDIS_URL")
    from community.jobs import enqueue

    enqueue("recluster")  # queued, no worker running
    text = _scrape(ops_app)
    assert _value(text, 'community_jobs{queue="default",state="queued"}') == 1
    for state in ("running", "failed", "scheduled"):
        assert _value(text, f'community_jobs{{queue="default",state="{state}"}}') == 0
    get_queue().connection.flushdb()
