"""Prometheus metrics: request latency per endpoint, and the owed work read at scrape time.

Request counts and latencies are recorded in each process. Under gunicorn, set
PROMETHEUS_MULTIPROC_DIR (an empty folder, the same for every worker, emptied before gunicorn
starts): prometheus_client then keeps each worker's numbers in files there and a scrape,
whichever worker answers it, adds them all up. Everything else (queues, owed notices, texts,
Twilio errors, the last sweep and re-cluster) is read from the database and Redis when
Prometheus scrapes, so it is the same whichever process answers.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Iterable, Iterator

from flask import Flask, current_app, g, request

log = logging.getLogger(__name__)
PREFIX = "community"
# Seconds: webhook answers are tens of milliseconds, pages up to seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)
TEXT_STATES = ("pending", "sending", "failed", "undelivered")


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


@functools.cache
def request_metrics():
    """The request histogram and counter, made once per process (on first use, not import)."""
    from prometheus_client import Counter, Histogram

    latency = Histogram(
        f"{PREFIX}_http_request_duration_seconds",
        "Time to answer a request, per endpoint.",
        ["endpoint", "method"],
        buckets=BUCKETS,
        registry=None,  # registered per scrape (see exposition), never in a global registry
    )
    answered = Counter(
        f"{PREFIX}_http_requests",
        "Requests answered, per endpoint and status code.",
        ["endpoint", "method", "status"],
        registry=None,
    )
    return latency, answered


def _start_timer() -> None:
    g.ops_started = time.perf_counter()


def _observe(response):
    started = g.pop("ops_started", None)
    if started is not None:
        # The endpoint name, never the URL: case numbers and tokens stay out of labels, and
        # the number of series stays bounded.
        endpoint = request.endpoint or "unmatched"
        latency, answered = request_metrics()
        latency.labels(endpoint, request.method).observe(time.perf_counter() - started)
        answered.labels(endpoint, request.method, str(response.status_code)).inc()
    return response


def instrument(app: Flask) -> None:
    """Time every request of this app (only when metrics are on: OPS_METRICS_TOKEN set)."""
    request_metrics()
    app.before_request(_start_timer)
    app.after_request(_observe)


class OwedWorkCollector:
    """Gauges read from the database and Redis at scrape time."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        families = []
        for name, help_text, labels, samples in self._samples():
            family = GaugeMetricFamily(f"{PREFIX}_{name}", help_text, labels=labels)
            for values, value in samples:
                family.add_metric(values, value)
            families.append(family)
        errors = CounterMetricFamily(
            f"{PREFIX}_twilio_errors",
            "Texts Twilio answered with an error, by error code.",
            labels=["code"],
        )
        for code, count in self._twilio_errors():
            errors.add_metric([str(code)], count)
        families.append(errors)
        yield from families

    def _samples(self) -> Iterable[tuple[str, str, list[str], list[tuple[list[str], float]]]]:
        from community.extensions import db
        from community.models import (
            Concern,
            GeocodeStatus,
            Message,
            MessageDirection,
            Notice,
            Resident,
            utcnow,
        )
        from community.ops import heartbeat
        from community.retention.purge import PURGED_PREFIX

        now = utcnow()
        texts = dict(
            db.session.execute(
                db.select(Message.status, db.func.count(Message.id))
                .where(
                    Message.direction == MessageDirection.OUTBOUND,
                    Message.status.in_(TEXT_STATES),
                )
                .group_by(Message.status)
            ).all()
        )
        yield (
            "texts",
            "Outbound texts by state (pending and sending are owed; failed, undelivered lost).",
            ["state"],
            [([state], float(texts.get(state, 0))) for state in TEXT_STATES],
        )
        undeliverable = db.session.scalar(
            db.select(db.func.count(Resident.id)).where(
                Resident.undeliverable.is_(True),
                # A purged or erased resident is never texted: not a delivery problem.
                Resident.phone_hash.not_like(f"{PURGED_PREFIX}%"),
            )
        )
        yield (
            "residents_undeliverable",
            "Residents whose number cannot receive texts.",
            [],
            [([], float(undeliverable or 0))],
        )
        owed_notices, oldest_notice = db.session.execute(
            db.select(db.func.count(Notice.id), db.func.min(Notice.created_at)).where(
                Notice.done_at.is_(None)
            )
        ).one()
        yield (
            "notices_owed",
            "Status texts owed to residents (the outbox).",
            [],
            [([], float(owed_notices or 0))],
        )
        oldest_text = db.session.scalar(
            db.select(db.func.min(Message.created_at)).where(
                Message.direction == MessageDirection.OUTBOUND,
                Message.status.in_(("pending", "sending")),
            )
        )
        oldest_locate = db.session.scalar(
            db.select(db.func.min(Concern.created_at)).where(
                Concern.geocode_status == GeocodeStatus.PENDING
            )
        )
        yield (
            "oldest_owed_seconds",
            "Age of the oldest owed item of each kind (0 when none is owed).",
            ["kind"],
            [
                (["text"], _age(now, oldest_text)),
                (["notice"], _age(now, oldest_notice)),
                (["locate"], _age(now, oldest_locate)),
            ],
        )
        yield (
            "last_success_timestamp_seconds",
            "Unix time periodic work last succeeded (absent: never since Redis started).",
            ["work"],
            [
                ([work], stamp)
                for work in ("sweep", "recluster", "purge_resident_data")
                if (stamp := heartbeat.last(work)) is not None
            ],
        )
        yield from self._queues()

    def _twilio_errors(self) -> list[tuple[int, int]]:
        from community.extensions import db
        from community.models import Message

        return list(
            db.session.execute(
                db.select(Message.error_code, db.func.count(Message.id))
                .where(Message.error_code.is_not(None))
                .group_by(Message.error_code)
            ).all()
        )

    def _queues(self):
        if not current_app.config.get("REDIS_URL"):
            return
        from rq import Queue
        from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

        from community.ops.heartbeat import redis_client

        samples = []
        try:
            # Every queue RQ knows on this Redis (the app uses "default").
            for queue in Queue.all(connection=redis_client()):
                states = {
                    "queued": queue.count,
                    "running": StartedJobRegistry(queue=queue).count,
                    "failed": FailedJobRegistry(queue=queue).count,
                    "scheduled": ScheduledJobRegistry(queue=queue).count,
                }
                samples += [([queue.name, state], float(n)) for state, n in states.items()]
        except Exception as exc:  # Redis down: /readyz says so; the scrape still answers
            log.warning("queue sizes unavailable (%s)", type(exc).__name__)
            return
        yield ("jobs", "Background jobs per queue and state.", ["queue", "state"], samples)


def _age(now, then) -> float:
    return max(0.0, (now - then).total_seconds()) if then is not None else 0.0


def exposition(app: Flask) -> tuple[bytes, str]:
    """The scrape's body and content type: every worker's requests and the owed work."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
    from prometheus_client import multiprocess as mp

    registry = CollectorRegistry()
    if multiprocess_dir():
        mp.MultiProcessCollector(registry)  # every worker's files, this one's included
    else:
        for collector in request_metrics():
            registry.register(collector)
    registry.register(OwedWorkCollector(app))
    return generate_latest(registry), CONTENT_TYPE_LATEST
