"""One CSV row per evaluated response (`flask evaluate --out` and the staff download)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import chain

from community.evaluation.counting import Evaluation

COLUMNS = (
    "hotspot_id",
    "response",
    "response_at",
    "weeks",
    "before",
    "after",
    "ring_before",
    "ring_after",
    "control_before",
    "control_after",
    "rate_ratio",
    "ci_low",
    "ci_high",
    "wdq",
    "total_net_effect",
    "verdict",
    "ring_verdict",
)


def number(value: float | None) -> str:
    """Six significant figures; empty where the figure is undefined."""
    return "" if value is None else f"{value:.6g}"


def row(evaluation: Evaluation) -> list[str]:
    """The CSV fields of one evaluation, in COLUMNS order."""
    r, c, f = evaluation.response, evaluation.counts, evaluation.figures
    return [
        str(r.hotspot_id),
        r.response,
        r.at.isoformat(timespec="seconds"),
        f"{round(evaluation.window.weeks, 2):g}",
        *(
            str(n)
            for n in (
                c.before,
                c.after,
                c.ring_before,
                c.ring_after,
                c.control_before,
                c.control_after,
            )
        ),
        number(f.rate_ratio),
        number(f.ci_low),
        number(f.ci_high),
        number(f.wdq),
        number(f.total_net_effect),
        f.verdict,
        f.ring_verdict,
    ]


def lines(evaluations: Iterable[Evaluation]) -> Iterator[str]:
    """The header, then one CSV line per evaluation, each as soon as it is made."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for fields in chain([COLUMNS], (row(e) for e in evaluations)):
        writer.writerow(fields)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
