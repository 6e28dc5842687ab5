"""Hotspot priority scores and the reasons for them, written out for prosecutors.

The score is severity-weighted recent volume: each concern adds its category's severity
(1..5, data in the category table, so shootings weigh five times a streetlight), times 1 in
the last 30 days, 0.5 in the 30 before, 0.25 before that. Violence and public safety come
first, as the partnership's first principle asks, because their categories carry the
highest severities and a violent category leads the reasons. Computed for all hotspots at
once with numpy (bincount per label), so a city-wide re-run costs milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from community.models.hotspot import trend

DAY_S = 86400.0
RECENT_DAYS = 30  # "recent": the trend compares these days with the same span before them
VIOLENT_GROUP = "violence"


@dataclass(frozen=True)
class Scores:
    """Per label (0..n-1): the score and what it is made of."""

    value: np.ndarray
    count: np.ndarray  # concerns in the window
    recent: np.ndarray  # concerns in the last 30 days
    previous: np.ndarray  # concerns in the 30 days before those
    violent: np.ndarray  # concerns in a violent category
    max_severity: np.ndarray


def score_labels(
    labels: np.ndarray,
    severity: np.ndarray,
    reported_s: np.ndarray,
    violent: np.ndarray,
    now_s: float,
) -> Scores:
    """Scores for labels 0..max; entries with label < 0 are ignored."""
    labels = np.asarray(labels, dtype=np.int64)
    keep = labels >= 0
    labels = labels[keep]
    size = int(labels.max()) + 1 if len(labels) else 0
    severity = np.asarray(severity, dtype=float)[keep]
    age_days = (now_s - np.asarray(reported_s, dtype=float)[keep]) / DAY_S
    recent_span, both_spans = RECENT_DAYS, 2 * RECENT_DAYS
    recency = np.where(age_days <= recent_span, 1.0, np.where(age_days <= both_spans, 0.5, 0.25))
    recent = (age_days <= recent_span).astype(float)
    previous = ((age_days > recent_span) & (age_days <= both_spans)).astype(float)
    max_severity = np.zeros(size)
    np.maximum.at(max_severity, labels, severity)
    return Scores(
        value=np.round(np.bincount(labels, severity * recency, minlength=size), 1),
        count=np.bincount(labels, minlength=size),
        recent=np.bincount(labels, recent, minlength=size).astype(int),
        previous=np.bincount(labels, previous, minlength=size).astype(int),
        violent=np.bincount(labels, np.asarray(violent, bool)[keep], minlength=size).astype(int),
        max_severity=max_severity.astype(int),
    )


def reasons(scores: Scores, label: int, repeat_addresses: int = 0) -> str:
    """Why a hotspot ranks where it does, e.g. 'violent category, 9 concerns in 30 days, rising'."""
    recent, previous = int(scores.recent[label]), int(scores.previous[label])
    parts = []
    violent = int(scores.violent[label])
    if violent:
        parts.append(
            "violent category"
            if violent == scores.count[label]
            else f"{violent} violent report{'s' if violent != 1 else ''}"
        )
    elif scores.max_severity[label] >= 4:
        parts.append("public safety category")
    parts.append(f"{recent} concern{'s' if recent != 1 else ''} in {RECENT_DAYS} days")
    parts.append(trend(recent, previous))
    if repeat_addresses:
        parts.append(f"{repeat_addresses} repeat address{'es' if repeat_addresses != 1 else ''}")
    return ", ".join(parts)
