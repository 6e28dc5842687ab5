"""Evaluations added up for the metrics pages: verdicts and the rate ratio's median by group."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from community.evaluation.counting import FIRST_ACTION, RESOLUTION, Evaluation
from community.evaluation.figures import FELL, NO_CHANGE, RING_VERDICTS, ROSE, TOO_FEW


@dataclass(frozen=True)
class GroupRow:
    """One group's responses: how many fell, did not change, rose, had too few reports."""

    name: str
    verdicts: Counter
    rings: Counter
    median: float | None  # median rate ratio of the responses that could be told
    q1: float | None  # its spread: the middle half lies between q1 and q3
    q3: float | None

    @property
    def total(self) -> int:
        return sum(self.verdicts.values())

    @property
    def fell(self) -> int:
        return self.verdicts[FELL]

    @property
    def no_change(self) -> int:
        return self.verdicts[NO_CHANGE]

    @property
    def rose(self) -> int:
        return self.verdicts[ROSE]

    @property
    def too_few(self) -> int:
        return self.verdicts[TOO_FEW]


@dataclass(frozen=True)
class EvaluationSummary:
    """By response (first action, resolution): all, by agency, by kind, by category."""

    overall: dict[str, GroupRow]
    by_agency: dict[str, list[GroupRow]]
    by_kind: dict[str, list[GroupRow]]
    by_category: dict[str, list[GroupRow]]

    @property
    def empty(self) -> bool:
        return not any(row.total for row in self.overall.values())


def group_row(name: str, evaluations: list[Evaluation]) -> GroupRow:
    """Counts of verdicts, and the rate ratio's median and quartiles where it could be told."""
    verdicts = Counter({v: 0 for v in (FELL, NO_CHANGE, ROSE, TOO_FEW)})
    verdicts.update(e.figures.verdict for e in evaluations)
    rings = Counter({v: 0 for v in RING_VERDICTS})
    rings.update(e.figures.ring_verdict for e in evaluations)
    ratios = [
        e.figures.rate_ratio
        for e in evaluations
        if e.figures.verdict != TOO_FEW and e.figures.rate_ratio is not None
    ]
    if not ratios:
        return GroupRow(name, verdicts, rings, None, None, None)
    q1, median, q3 = (float(v) for v in np.percentile(ratios, [25, 50, 75]))
    return GroupRow(name, verdicts, rings, median, q1, q3)


def grouped(
    evaluations: Iterable[Evaluation], key: Callable[[Evaluation], str], names: dict[str, str]
) -> list[GroupRow]:
    """One row per group, most responses first."""
    groups: dict[str, list[Evaluation]] = {}
    for evaluation in evaluations:
        groups.setdefault(key(evaluation), []).append(evaluation)
    rows = [group_row(names.get(k, k.replace("_", " ")), found) for k, found in groups.items()]
    return sorted(rows, key=lambda r: (-r.total, r.name))


def summarise(
    evaluations: list[Evaluation], category_names: dict[str, str] | None = None
) -> EvaluationSummary:
    """The metrics section's tables, each for first actions and for resolutions apart."""
    names = category_names or {}
    split = {
        kind: [e for e in evaluations if e.response.response == kind]
        for kind in (FIRST_ACTION, RESOLUTION)
    }
    return EvaluationSummary(
        overall={kind: group_row(kind, found) for kind, found in split.items()},
        by_agency={k: grouped(f, lambda e: e.response.agency, {}) for k, f in split.items()},
        by_kind={k: grouped(f, lambda e: e.response.kind, {}) for k, f in split.items()},
        by_category={k: grouped(f, lambda e: e.response.category, names) for k, f in split.items()},
    )
