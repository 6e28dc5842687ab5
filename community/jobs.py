"""Background jobs: plain functions that take ids, reload rows and call services.

With REDIS_URL set, `enqueue()` puts work on RQ queues for `flask worker`; without it the
work runs inline, so the embedded default needs no Redis. Either way the database, not the
queue, records what is still to do (Concern.geocode_status, Concern.clustered_at), so
`sweep()` can always re-enqueue work that a Redis outage or a crash dropped. Every job is
idempotent: running it twice does no harm.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, has_app_context

log = logging.getLogger(__name__)

QUEUE_NAME = "default"
# Seconds a job may run before RQ stops it; a killed worker's job is noticed sooner (sweep).
JOB_TIMEOUT_S = 120
LONG_JOB_TIMEOUT_S = {"recluster": 1800, "report_batch": 3600}
PROMOTE_AFTER_S = 5  # seconds past due before `flask scheduler` queues a delayed job itself
_engine_pid = os.getpid()


def _with_app(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a job inside an app context, making one when RQ's work-horse has none."""

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        with _logged_as(func.__name__):
            started = time.perf_counter()
            result = run(*args)
            # Ids only, never what the rows hold: the line is safe to ship anywhere.
            log.info(
                "job %s%r done in %.0f ms",
                func.__name__,
                args,
                (time.perf_counter() - started) * 1e3,
            )
            return result

    def run(*args: Any) -> Any:
        if has_app_context():
            _forget_parent_connections()
            if not _in_worker():
                return func(*args)  # inline: part of the request and its session
            try:
                return func(*args)
            finally:
                # A worker runs many jobs in one process: each starts from a clean session,
                # never with the rows (or a failed transaction) the last one left behind.
                from community.extensions import db

                db.session.remove()
        from community import create_app

        with create_app().app_context():
            return func(*args)

    return wrapper


def _logged_as(name: str):
    """Log under the request id that queued this job (inline: the request's own)."""
    from rq import get_current_job

    from community.requestid import bound, current

    job = get_current_job()
    request_id = job.meta.get("request_id") if job is not None else current()
    return bound(request_id, name)


def _job_meta() -> dict[str, str]:
    from community.requestid import current

    request_id = current()
    return {"request_id": request_id} if request_id else {}


def _in_worker() -> bool:
    from rq import get_current_job

    return get_current_job() is not None


def _forget_parent_connections() -> None:
    # RQ forks a work-horse per job: pooled connections from the parent must not be shared.
    global _engine_pid
    if os.getpid() != _engine_pid:
        from community.extensions import db

        db.engine.dispose(close=False)
        db.session.remove()  # a fresh session in the work-horse, never the parent's
        _engine_pid = os.getpid()


@_with_app
def locate_concern(concern_id: int) -> None:
    """Place a concern on the map and find its areas; then a recluster is owed."""
    from community.hotspots.incremental import join_nearest
    from community.places.locate import locate_concern as locate

    if locate(concern_id):
        join_nearest(concern_id)  # in its hotspot at once; the full run may refine it
        enqueue("recluster", delay=current_app.config["CLUSTER_DEBOUNCE_S"])


@_with_app
def recluster() -> None:
    """Re-run the clustering over the rolling window and update hotspots."""
    from community.hotspots.recluster import recluster as run
    from community.ops.heartbeat import mark

    run()
    mark("recluster")  # monitoring: alert when no re-cluster succeeded in an hour


@_with_app
def fetch_media(message_id: int) -> None:
    """Download an MMS's photos with the Twilio account's credentials."""
    from community.sms.media import store_media

    store_media(message_id)


@_with_app
def notify_hotspot(hotspot_id: int, kind: str) -> None:
    """Text the residents of a hotspot's concerns that it was assigned or resolved."""
    from community.notify.service import notify_hotspot as notify

    notify(hotspot_id, kind)


@_with_app
def process_sms(message_id: int) -> None:
    """Run the conversation for a saved text and send the reply through the REST API."""
    from community.extensions import db
    from community.intake.sms_service import deliver_pending_replies, process, queue_follow_ups
    from community.models import Message

    outcome = process(message_id, reply_later=True)
    inbound = db.session.get(Message, message_id)
    if inbound is not None:
        deliver_pending_replies(inbound.resident_id)
    queue_follow_ups(outcome)


@_with_app
def deliver_text(message_id: int) -> None:
    """Hand a recorded, still pending text to Twilio (a retry after an outage)."""
    from community.extensions import db
    from community.models import Message
    from community.sms.delivery import deliver

    message = db.session.get(Message, message_id)
    if message is not None:
        deliver(message)


@_with_app
def expire_conversations() -> None:
    """End SMS conversations left waiting past their timeout (periodic)."""
    from community.intake.expiry import expire_conversations as expire

    expire()


@_with_app
def flag_overdue() -> None:
    """Record assignments that passed their due date (periodic)."""
    from community.workflow.overdue import flag_overdue as flag

    flag()


@_with_app
def report_batch(batch_id: int) -> None:
    """Make every meeting report of a batch, recording progress after each one."""
    from community.reports.batch import run_batch

    run_batch(batch_id)


@_with_app
def purge_resident_data() -> None:
    """Remove residents' data past its retention period (periodic)."""
    from community.ops.heartbeat import mark
    from community.retention.purge import purge

    purge()
    mark("purge_resident_data")


JOBS: dict[str, Callable[..., Any]] = {
    "process_sms": process_sms,
    "locate_concern": locate_concern,
    "recluster": recluster,
    "fetch_media": fetch_media,
    "notify_hotspot": notify_hotspot,
    "report_batch": report_batch,
    "deliver_text": deliver_text,
    "expire_conversations": expire_conversations,
    "flag_overdue": flag_overdue,
    "purge_resident_data": purge_resident_data,
}


def enqueue(name: str, *args: int | str, delay: float = 0) -> None:
    """Run a job now (no REDIS_URL) or queue it; never fail the caller's request.

    With a delay (seconds) the queued job waits, and while it waits the same job is not queued
    again: a burst of located concerns costs one re-cluster, not one each (debounce). Inline,
    the delay is ignored.
    """
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    if not current_app.config.get("REDIS_URL"):
        _run_inline(name, args)
        return
    _enqueue_rq(name, args, delay)


def _run_inline(name: str, args: tuple) -> None:
    try:
        JOBS[name](*args)
    except Exception:  # the input is safe in the database; `flask sweep` retries it
        log.exception("inline job %s%r failed; it stays pending for the next sweep", name, args)
        from community.extensions import db

        db.session.rollback()


def _enqueue_rq(name: str, args: tuple, delay: float = 0) -> None:
    from redis.exceptions import RedisError
    from rq import Retry
    from rq.exceptions import DuplicateJobError

    intervals = current_app.config["JOB_RETRY_INTERVALS"]
    job_id = "-".join([name, *map(str, args)])
    try:
        queue = get_queue()
        if delay > 0:
            _enqueue_later(queue, name, args, job_id, delay)
            return
        for _ in range(2):
            try:
                queue.enqueue_call(
                    f"community.jobs.{name}",
                    args=args,
                    job_id=job_id,
                    timeout=LONG_JOB_TIMEOUT_S.get(name, JOB_TIMEOUT_S),
                    unique=True,  # already queued or running: that run will see this work
                    retry=Retry(max=current_app.config["JOB_RETRIES"], interval=intervals),
                    result_ttl=0,
                    failure_ttl=86400,
                    meta=_job_meta(),  # its log lines carry the id of the request that queued it
                )
                return
            except DuplicateJobError:
                if not _clear_finished_job(queue, job_id):
                    return
    except RedisError as exc:
        log.warning(
            "queue unavailable (%s); %s%r stays pending for the next sweep", exc, name, args
        )


def _enqueue_later(queue, name: str, args: tuple, job_id: str, delay: float) -> None:
    """Schedule the job in `delay` seconds unless it is already waiting or running."""
    from datetime import timedelta

    from rq import Retry

    if not _clear_finished_job(queue, job_id):
        return  # that run, when it comes, will see this work too
    queue.enqueue_in(
        timedelta(seconds=delay),
        f"community.jobs.{name}",
        *args,
        job_id=job_id,
        job_timeout=LONG_JOB_TIMEOUT_S.get(name, JOB_TIMEOUT_S),
        retry=Retry(
            max=current_app.config["JOB_RETRIES"],
            interval=current_app.config["JOB_RETRY_INTERVALS"],
        ),
        result_ttl=0,
        failure_ttl=86400,
        meta=_job_meta(),
    )


def _clear_finished_job(queue, job_id: str) -> bool:
    """Forget a failed or stopped run of this job so it can be enqueued again."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus
    from rq.registry import FailedJobRegistry

    try:
        job = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return True
    status = job.get_status()
    if status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
        return False
    if status == JobStatus.STARTED and _worker_alive(job.worker_name, queue.connection):
        return False
    # Finished, failed, or started by a worker that died mid-job (killed, its machine gone):
    # the database still says the work is owed, so it is queued again.
    FailedJobRegistry(queue=queue).remove(job)
    job.delete()
    return True


def _worker_alive(name: str | None, connection) -> bool:
    """Is the worker running this job still there?

    A worker's key lives while it heartbeats, but a worker running a job in-process
    heartbeats only between jobs (the key then outlives it by the job's timeout). On this
    machine the process itself answers at once.
    """
    from rq.worker import Worker

    if not name:
        return True  # being picked up right now
    key = Worker.redis_worker_namespace_prefix + name
    hostname, pid = connection.hmget(key, "hostname", "pid")
    if hostname is None:
        return False  # registration expired: gone
    if hostname.decode() == socket.gethostname() and pid:
        return _process_exists(int(pid))
    return True


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def rescue_stranded_jobs() -> int:
    """Queue again the jobs a killed worker had taken off the queue but never started.

    RQ moves a job to an intermediate list before running it; a worker killed in between
    leaves it there, "queued" but in no queue. After a minute (RQ's own grace period, so a
    live worker is never robbed) it goes back on the queue.
    """
    from rq.intermediate_queue import IntermediateQueue

    queue = get_queue()
    stranded = IntermediateQueue(queue.key, queue.connection)
    rescued = 0
    for job_id in stranded.get_job_ids():
        if job_id in queue.started_job_registry or stranded.set_first_seen(job_id):
            continue
        if not stranded.should_be_cleaned_up(job_id):
            continue
        stranded.remove(job_id)
        job = queue.fetch_job(job_id)
        if job is not None:
            queue.enqueue_job(job)
            rescued += 1
    return rescued


def promote_due_jobs() -> int:
    """Queue delayed jobs whose time has come (the debounced re-cluster).

    RQ's own scheduler runs inside one worker, holding a lock; when that worker is killed
    the lock outlives it for minutes and delayed jobs wait. `flask scheduler` calls this
    every tick so they never do.
    """
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry
    from rq.utils import current_timestamp

    queue = get_queue()
    registry = ScheduledJobRegistry(queue=queue)
    promoted = 0
    # Only jobs RQ's own scheduler has left waiting a while: when it is alive it goes first
    # (both promoting one job runs it twice; harmless, every job is idempotent, but wasted).
    for job_id in registry.get_jobs_to_schedule(current_timestamp() - PROMOTE_AFTER_S):
        # ZREM is atomic: if RQ's scheduler took it first, it is already queued.
        if not queue.connection.zrem(registry.key, job_id):
            continue
        job = Job.fetch(job_id, connection=queue.connection)
        queue.enqueue_job(job)
        promoted += 1
    return promoted


_REDIS: dict[tuple[int, str], Any] = {}


def get_queue():
    """The RQ queue on the configured Redis (one connection pool per process and URL)."""
    from redis import Redis
    from rq import Queue

    url = current_app.config["REDIS_URL"]
    key = (os.getpid(), url)  # a forked process must not share its parent's sockets
    if key not in _REDIS:
        _REDIS[key] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return Queue(QUEUE_NAME, connection=_REDIS[key])


def sweep() -> dict[str, int]:
    """Hand every piece of work the database says is owed to the queue (or do it now, inline).

    Inline, every pending concern is located first and then one recluster runs, instead of
    one recluster per concern.
    """
    from community.extensions import db
    from community.models import Concern, GeocodeStatus

    pending_ids = db.session.scalars(
        db.select(Concern.id).where(Concern.geocode_status == GeocodeStatus.PENDING)
    ).all()
    inline = not current_app.config.get("REDIS_URL")
    for concern_id in pending_ids:
        if inline:
            _locate_only(concern_id)
        else:
            enqueue("locate_concern", concern_id)
    texts = _unanswered_texts()
    owed_cluster = db.session.scalar(
        db.select(db.func.count(Concern.id)).where(
            Concern.geocode_status == GeocodeStatus.LOCATED, Concern.clustered_at.is_(None)
        )
    )
    if owed_cluster:
        enqueue("recluster")
    notices = _owed_notices()
    _settle_stuck_texts()
    outbound = _unsent_texts()
    from community.ops.heartbeat import mark

    mark("sweep")
    return {
        "locate_concern": len(pending_ids),
        "recluster": 1 if owed_cluster else 0,
        "process_sms": len(texts),
        "notify_hotspot": len(notices),
        "deliver_text": len(outbound),
    }


def _owed_notices() -> list[tuple[int, str]]:
    """Status texts owed by a committed change whose job a queue outage lost (the outbox)."""
    from community.notify.service import owed_notices

    notices = owed_notices()
    for hotspot_id, kind in notices:
        enqueue("notify_hotspot", hotspot_id, kind)
    return notices


def _settle_stuck_texts() -> None:
    from community.sms.delivery import reconcile_stuck

    reconcile_stuck(current_app.config["SWEEP_TEXT_AFTER_S"])


def _unsent_texts() -> list[int]:
    """Recorded texts still pending a minute on (Twilio was failing, the retries ran out)."""
    from datetime import timedelta

    from community.extensions import db
    from community.models import Message, MessageDirection, MessageStatus, utcnow

    stale = utcnow() - timedelta(seconds=current_app.config["SWEEP_TEXT_AFTER_S"])
    ids = db.session.scalars(
        db.select(Message.id).where(
            Message.direction == MessageDirection.OUTBOUND,
            Message.status == MessageStatus.PENDING,
            Message.updated_at < stale,
        )
    ).all()
    for message_id in ids:
        enqueue("deliver_text", message_id)
    return list(ids)


def _unanswered_texts() -> list[int]:
    """Saved texts nobody answered (the queue was down): process them now or on a worker."""
    from community.intake.sms_service import pending_texts

    texts = pending_texts()
    for message_id in texts:
        enqueue("process_sms", message_id)
    return texts


def _locate_only(concern_id: int) -> None:
    from community.extensions import db
    from community.places.locate import locate_concern as locate

    try:
        locate(concern_id)
    except Exception:  # one bad concern must not stop the sweep; it stays pending
        log.exception("locating concern %s failed; it stays pending", concern_id)
        db.session.rollback()
