"""The two equal windows around a response: as long as asked, shorter when history is short."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WEEKS = 8
MIN_DAYS = 7  # a response younger than a week is not evaluated yet
RECENT, HISTORY = "recent", "history"


@dataclass(frozen=True)
class Window:
    """`days` before the response and `days` after it; `shortened` says why it is short."""

    at: datetime
    days: float
    asked_days: float
    shortened: str | None = None  # RECENT (not enough time since), HISTORY (no older data)

    @property
    def start(self) -> datetime:
        return self.at - timedelta(days=self.days)

    @property
    def end(self) -> datetime:
        return self.at + timedelta(days=self.days)

    @property
    def weeks(self) -> float:
        return self.days / 7


def window(
    at: datetime,
    now: datetime,
    weeks: float = WEEKS,
    earliest: datetime | None = None,
    min_days: float = MIN_DAYS,
) -> Window | None:
    """Equal windows of `weeks` around `at`, cut to the time since it (and to the data's
    first report); None when fewer than min_days are left on either side."""
    asked = weeks * 7
    since = (now - at) / timedelta(days=1)
    history = (at - earliest) / timedelta(days=1) if earliest is not None else asked
    days = min(asked, since, history)
    if days < min_days:
        return None
    reason = None
    if days < asked:
        reason = RECENT if since <= history else HISTORY
    return Window(at=at, days=days, asked_days=asked, shortened=reason)
