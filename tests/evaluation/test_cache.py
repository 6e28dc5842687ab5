"""The metrics page's evaluations are kept per process until the data they read change."""

from __future__ import annotations

from community.evaluation.service import evaluate_since_cached
from community.extensions import db
from tests.evaluation.history import LAT, LON, build_history, reports


def first_action(evaluations) -> object:
    return next(e for e in evaluations if e.response.response == "first_action")


def test_figures_are_kept_until_a_report_changes_them(app) -> None:
    history = build_history()
    first = evaluate_since_cached(None, history.now)
    assert first_action(first).counts.after == 3
    assert evaluate_since_cached(None, history.now) is first  # nothing changed: not recounted
    reports(LAT, LON, history.acted_at, [10])  # one more report at the place after the visit
    db.session.commit()
    again = evaluate_since_cached(None, history.now)
    assert again is not first
    assert first_action(again).counts.after == 4
