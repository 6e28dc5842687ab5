"""The periodic jobs, and the loop that queues them (`flask scheduler`).

One scheduler process per deployment is enough; two do no harm, because every job has a
fixed id and is queued at most once at a time. The loop survives Redis and PostgreSQL
restarts: a tick that fails is logged and tried again at the next one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

log = logging.getLogger(__name__)
TICK_S = 1.0
STRANDED_CHECK_S = 15.0


@dataclass
class Periodic:
    """Something to do every `every` seconds; `due` is when next (time.monotonic())."""

    name: str
    every: float
    run: Callable[[], object]
    due: float = 0.0  # run at once on start


def periodic_jobs(app: Flask) -> list[Periodic]:
    """What runs on a schedule: the sweep of owed work, re-clusters, expiries, overdue flags."""
    from community.jobs import enqueue, promote_due_jobs, rescue_stranded_jobs, sweep

    config = app.config
    return [
        # Delayed jobs (the debounced re-cluster) queued when due, whatever became of RQ's
        # own scheduler (it lives in one worker, and a killed worker keeps its lock a while).
        Periodic("promote_due_jobs", TICK_S, promote_due_jobs),
        # Jobs a killed worker had taken but not started, back on the queue.
        Periodic("rescue_stranded_jobs", STRANDED_CHECK_S, rescue_stranded_jobs),
        # Retries of pending work: texts, locations, owed notices; debounced re-clusters too.
        Periodic("sweep", config["SCHEDULE_SWEEP_S"], sweep),
        # The rolling window ages even when nobody reports: hotspots cool down.
        Periodic("recluster", config["SCHEDULE_RECLUSTER_S"], lambda: enqueue("recluster")),
        Periodic(
            "expire_conversations",
            config["SCHEDULE_EXPIRE_S"],
            lambda: enqueue("expire_conversations"),
        ),
        Periodic("flag_overdue", config["SCHEDULE_OVERDUE_S"], lambda: enqueue("flag_overdue")),
        # Residents' numbers, words and photos past their retention period.
        Periodic(
            "purge_resident_data",
            config["SCHEDULE_PURGE_S"],
            lambda: enqueue("purge_resident_data"),
        ),
    ]


def run_due(app: Flask, jobs: list[Periodic], now: float) -> list[str]:
    """Run every job that is due at `now`; returns the names of those that ran."""
    ran = []
    for job in jobs:
        if now < job.due:
            continue
        job.due = now + job.every
        with app.app_context():
            try:
                job.run()
                ran.append(job.name)
            except Exception:  # a database or Redis restart: the next tick tries again
                log.exception("periodic %s failed; next try in %s s", job.name, job.every)
                from community.extensions import db

                db.session.rollback()
    return ran


def run_forever(app: Flask, stop: threading.Event | None = None) -> None:
    """Tick until `stop` is set (or forever)."""
    stop = stop or threading.Event()
    jobs = periodic_jobs(app)
    log.info("scheduler: %s", ", ".join(f"{j.name} every {j.every:g} s" for j in jobs))
    while not stop.is_set():
        run_due(app, jobs, time.monotonic())
        stop.wait(TICK_S)
