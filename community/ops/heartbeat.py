"""When periodic work last succeeded (a sweep, a re-cluster), for monitoring.

Kept in Redis when there is one, so the scheduler, the workers and every web process share
it; in this process otherwise (the embedded default: jobs run inline in one process).
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)
KEY = "community:last_success:"
_local: dict[str, float] = {}
_clients: dict[tuple[int, str], Any] = {}


def redis_client():
    """A Redis client for REDIS_URL, one per process (short timeouts: monitoring waits little)."""
    from redis import Redis

    url = current_app.config["REDIS_URL"]
    key = (os.getpid(), url)  # a forked process must not share its parent's sockets
    if key not in _clients:
        _clients[key] = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    return _clients[key]


def _redis():
    return redis_client()


def mark(name: str) -> None:
    """Record that `name` just succeeded; monitoring must never fail the work it watches."""
    now = time.time()
    _local[name] = now
    if not current_app.config.get("REDIS_URL"):
        return
    try:
        _redis().set(KEY + name, f"{now:.3f}")
    except Exception as exc:  # Redis down: the work still succeeded
        log.warning("could not record the last %s (%s)", name, type(exc).__name__)


def last(name: str) -> float | None:
    """Unix time `name` last succeeded, or None when never seen."""
    if current_app.config.get("REDIS_URL"):
        try:
            value = _redis().get(KEY + name)
        except Exception:  # Redis down: the scrape reports what this process knows
            value = None
        if value is not None:
            return float(value)
    return _local.get(name)
