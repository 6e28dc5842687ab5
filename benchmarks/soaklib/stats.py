"""Latency and error samples from every simulated user, summarised per endpoint."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    """One request: which endpoint, when it started, how long it took, what came back."""

    endpoint: str  # a label such as "POST /sms/inbound"
    started: float  # time.time() when the request left
    seconds: float
    status: int  # HTTP status; 0 when no answer came (connection refused, timeout)
    error: str | None = None  # None for a success, else a short kind: "http 503", "timeout"


class Recorder:
    """Thread-safe collection of samples; every client records each request it makes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.samples: list[Sample] = []

    def record(
        self, endpoint: str, started: float, status: int, error: str | None = None
    ) -> Sample:
        """Add one sample; `started` is the time.time() taken just before the request."""
        sample = Sample(endpoint, started, time.time() - started, status, error)
        with self._lock:
            self.samples.append(sample)
        return sample

    def snapshot(self) -> list[Sample]:
        with self._lock:
            return list(self.samples)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def by_endpoint(samples: list[Sample]) -> dict[str, list[Sample]]:
    groups: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[sample.endpoint].append(sample)
    return dict(groups)


def errors_by_kind(samples: list[Sample]) -> Counter:
    return Counter(f"{s.endpoint}: {s.error}" for s in samples if s.error)
