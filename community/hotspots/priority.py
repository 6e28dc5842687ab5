"""A hotspot's priority score and the reasons for it, written out for prosecutors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ConcernFacts:
    """What the score needs to know about one concern."""

    reported_at: datetime
    severity: int  # 1..5 from the category's data
    group: str


def score(concerns: list[ConcernFacts], now: datetime) -> tuple[float, str]:
    """Severity-weighted recent volume, with a plain-language reason list."""
    last30 = [c for c in concerns if c.reported_at >= now - timedelta(days=30)]
    prev30 = [
        c for c in concerns if now - timedelta(days=60) <= c.reported_at < now - timedelta(days=30)
    ]
    value = 0.0
    for concern in concerns:
        age_days = (now - concern.reported_at).days
        recency = 1.0 if age_days <= 30 else 0.5 if age_days <= 60 else 0.25
        value += concern.severity * recency
    reasons = []
    violent = sum(1 for c in concerns if c.group == "violence")
    if violent:
        reasons.append(f"{violent} violent report{'s' if violent != 1 else ''}")
    reasons.append(f"{len(last30)} concerns in 30 days")
    if len(last30) > len(prev30):
        reasons.append("rising")
    elif len(last30) < len(prev30):
        reasons.append("falling")
    return round(value, 1), ", ".join(reasons)
