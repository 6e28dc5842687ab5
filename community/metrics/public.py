"""The public metrics summary: computed at most once per PUBLIC_METRICS_CACHE_S per process.

/metrics/public is anonymous and recomputes every hotspot's history; a minute-old summary is
as good as a fresh one for the public, and a burst of visitors then costs one computation.
"""

from __future__ import annotations

import dataclasses
import threading
import time

from flask import current_app
from markupsafe import Markup

from community.metrics.charts import metrics_charts
from community.metrics.service import Metrics, build_metrics

_lock = threading.Lock()
CACHE_KEY = "public_metrics"  # in app.extensions: one cache per app, never shared between apps


def public_summary(days: int) -> tuple[Metrics, dict[str, Markup]]:
    """The public page's metrics and charts for the last `days`, from the cache when fresh."""
    ttl = float(current_app.config["PUBLIC_METRICS_CACHE_S"])
    cache = current_app.extensions.setdefault(CACHE_KEY, {})
    with _lock:
        hit = cache.get(days)
        if hit is not None and time.monotonic() - hit[0] < ttl:
            return hit[1]
    metrics = build_metrics(days)
    # Repeat locations name places and are database rows: never kept for the public page.
    metrics = dataclasses.replace(metrics, repeats=[])
    summary = (metrics, metrics_charts(metrics, public=True))
    with _lock:
        cache[days] = (time.monotonic(), summary)
    return summary
