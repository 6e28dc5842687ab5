"""The report's "What changed after we acted": the listed places' responses, evaluated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from community.evaluation.counting import FIRST_ACTION
from community.evaluation.service import evaluate_hotspots
from community.reports.i18n import gettext as _
from community.reports.labels import action_kind_label

LOOK_BACK_DAYS = 182  # responses of the last six months: their after-windows reach the meeting
MAX_ROWS = 12


@dataclass(frozen=True)
class EvaluationRow:
    number: int  # the hotspot's number on the report's map
    location: str
    what: str  # the action, or "Resolution", in the report's language
    day: date
    weeks: float
    shortened: bool
    before: int
    after: int
    ring_before: int
    ring_after: int
    verdict: str  # community.evaluation.figures.VERDICTS
    ring_verdict: str  # community.evaluation.figures.RING_VERDICTS


def evaluation_rows(period, numbers: dict, zone: tzinfo) -> list[EvaluationRow]:
    """The listed hotspots' responses of the last six months, newest first, as of the end
    (days in the city's time zone, `zone`)."""
    found = evaluate_hotspots(set(numbers), period.end - timedelta(days=LOOK_BACK_DAYS), period.end)
    rows = [
        EvaluationRow(
            number=numbers[e.response.hotspot_id].number,
            location=numbers[e.response.hotspot_id].location,
            what=(
                action_kind_label(e.response.kind)
                if e.response.response == FIRST_ACTION
                else _("Resolution")
            ),
            day=e.response.at.astimezone(zone).date(),
            weeks=round(e.window.weeks, 1),
            shortened=e.window.shortened is not None,
            before=e.counts.before,
            after=e.counts.after,
            ring_before=e.counts.ring_before,
            ring_after=e.counts.ring_after,
            verdict=e.figures.verdict,
            ring_verdict=e.figures.ring_verdict,
        )
        for e in found
    ]
    rows.sort(key=lambda r: (r.day, r.number), reverse=True)
    return rows[:MAX_ROWS]
