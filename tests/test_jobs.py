"""Background jobs: inline without Redis, a real RQ worker with it, and nothing lost on failure."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import Queue
from rq.registry import FailedJobRegistry

from community.extensions import db
from community.jobs import QUEUE_NAME, sweep
from community.models import Concern, ConcernStatus, GeocodeStatus, Hotspot
from tests.conftest import service_url
from tests.jobsupport import run_worker

REPORT = {
    "category": "drug_activity",
    "text": "selling drugs all night",
    "location": "2263 N Lake Dr",
}


def _concern() -> Concern:
    db.session.expire_all()
    return db.session.scalar(sa.select(Concern).order_by(Concern.id.desc()))


@pytest.fixture
def broken_city(app, tmp_path) -> str:
    """The city package without its address points file: every geocode fails."""
    source = Path(app.config["CITY_PACKAGE"])
    broken = tmp_path / "city"
    broken.mkdir()
    for item in source.iterdir():
        if not item.name.startswith("mai_address_points"):
            (broken / item.name).symlink_to(item)
    return str(broken)


@pytest.fixture
def redis_url() -> str:
    url = service_url("TEST_REDIS_URL")
    Redis.from_url(url).flushdb()
    return url


def test_an_inline_job_that_fails_leaves_the_work_pending_for_the_sweep(
    app, client, broken_city
) -> None:
    good_city = app.config["CITY_PACKAGE"]
    app.config["CITY_PACKAGE"] = broken_city
    assert client.post("/report", data=REPORT).status_code == 302  # the resident is not failed
    assert _concern().geocode_status == GeocodeStatus.PENDING
    app.config["CITY_PACKAGE"] = good_city
    counts = sweep()
    assert (counts["locate_concern"], counts["recluster"], counts["process_sms"]) == (1, 1, 0)
    assert _concern().geocode_status == GeocodeStatus.LOCATED
    assert _concern().status == ConcernStatus.OPEN


def test_redis_down_still_takes_the_report(app, client) -> None:
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.post("/report", data=REPORT)
    assert response.status_code == 302
    concern = _concern()
    assert concern.geocode_status == GeocodeStatus.PENDING and concern.status == ConcernStatus.NEW


@pytest.mark.redis
def test_redis_comes_back_and_the_sweep_hands_the_work_to_a_worker(
    app, client, redis_url, tmp_path
) -> None:
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    for _ in range(3):
        assert client.post("/report", data=REPORT).status_code == 302
    app.config["REDIS_URL"] = redis_url
    assert sweep()["locate_concern"] == 3
    assert len(Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))) == 3
    done = run_worker(app.config["SQLALCHEMY_DATABASE_URI"], redis_url)
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(Concern.geocode_status)).all()
    assert statuses == [GeocodeStatus.LOCATED] * 3
    hotspot = db.session.scalar(sa.select(Hotspot))
    assert hotspot is not None and hotspot.concern_count == 3  # the worker also reclustered


@pytest.mark.redis
def test_a_failing_job_is_retried_then_kept_and_later_finished(
    app, client, redis_url, broken_city
) -> None:
    app.config.update(REDIS_URL=redis_url, JOB_RETRY_INTERVALS=[0], JOB_RETRIES=2)
    assert client.post("/report", data=REPORT).status_code == 302
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    broken = run_worker(database, redis_url, CITY_PACKAGE=broken_city)
    assert broken.returncode == 0, broken.stderr
    assert broken.stderr.count("FileNotFoundError") >= 3, broken.stderr  # first try + 2 retries
    queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
    assert f"locate_concern-{_concern().id}" in FailedJobRegistry(queue=queue).get_job_ids()
    assert _concern().geocode_status == GeocodeStatus.PENDING  # the input is not lost
    assert sweep()["locate_concern"] == 1  # a failed job can be enqueued again
    fixed = run_worker(database, redis_url)
    assert fixed.returncode == 0, fixed.stderr
    assert _concern().geocode_status == GeocodeStatus.LOCATED


@pytest.mark.redis
def test_enqueueing_the_same_work_twice_runs_it_once(app, client, redis_url) -> None:
    app.config["REDIS_URL"] = redis_url
    client.post("/report", data=REPORT)
    sweep()
    sweep()
    assert len(Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))) == 1


@pytest.mark.redis
def test_a_job_whose_worker_was_killed_mid_run_is_queued_again_by_the_sweep(
    app, client, redis_url
) -> None:
    """RQ keeps a killed worker's job "started" for minutes; the sweep must not wait on it."""
    from rq.job import Job, JobStatus

    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    assert client.post("/report", data=REPORT).status_code == 302  # owed: locate it
    app.config["REDIS_URL"] = redis_url
    connection = Redis.from_url(redis_url)
    queue = Queue(QUEUE_NAME, connection=connection)
    concern_id = _concern().id
    job = queue.enqueue_call(
        "community.jobs.locate_concern", args=(concern_id,), job_id=f"locate_concern-{concern_id}"
    )
    queue.remove(job)  # a worker took it ...
    job.worker_name = "ghost"
    job.set_status(JobStatus.STARTED)
    job.save()
    connection.hset("rq:worker:ghost", mapping={"hostname": "elsewhere", "pid": 1})
    assert sweep()["locate_concern"] == 1
    assert len(queue) == 0  # alive (another machine, still registered): its run does the work
    dead = subprocess.Popen(["true"])
    dead.wait()
    here = {"hostname": socket.gethostname(), "pid": dead.pid}
    connection.hset("rq:worker:ghost", mapping=here)  # killed on this machine: seen at once
    sweep()
    assert len(queue) == 1
    assert Job.fetch(f"locate_concern-{concern_id}", connection=connection).get_status() == (
        JobStatus.QUEUED
    )


@pytest.mark.redis
def test_a_delayed_recluster_is_queued_when_due_even_without_rqs_scheduler(app, redis_url) -> None:
    """RQ's scheduler lives in one worker; `flask scheduler` promotes due jobs itself."""
    from community.jobs import enqueue, promote_due_jobs

    app.config["REDIS_URL"] = redis_url
    queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
    enqueue("recluster", delay=1)
    assert promote_due_jobs() == 0 and len(queue) == 0  # not yet due
    time.sleep(1.2)
    assert promote_due_jobs() == 0  # due, but RQ's own scheduler gets the first few seconds
    time.sleep(5)
    assert promote_due_jobs() == 1
    assert queue.job_ids == ["recluster"]
    assert promote_due_jobs() == 0


@pytest.mark.redis
def test_a_job_a_killed_worker_took_but_never_started_goes_back_on_the_queue(
    app, redis_url
) -> None:
    from rq.intermediate_queue import IntermediateQueue

    from community.jobs import enqueue, rescue_stranded_jobs

    app.config["REDIS_URL"] = redis_url
    connection = Redis.from_url(redis_url)
    queue = Queue(QUEUE_NAME, connection=connection)
    enqueue("recluster")
    stranded = IntermediateQueue(queue.key, connection)
    connection.lmove(queue.key, stranded.key)  # taken by a worker, which then died
    assert len(queue) == 0
    assert rescue_stranded_jobs() == 0  # first seen now: a live worker may be starting it
    connection.set(stranded.get_first_seen_key("recluster"), time.time() - 120)
    assert rescue_stranded_jobs() == 1
    assert queue.job_ids == ["recluster"] and stranded.get_job_ids() == []
