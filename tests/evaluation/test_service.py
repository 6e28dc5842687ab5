"""Evaluations read from the database, and `flask evaluate --out`."""

from __future__ import annotations

import csv
import math

import pytest
import sqlalchemy as sa
from scipy.stats import binom

from community.evaluation.csvfile import COLUMNS
from community.evaluation.service import evaluate_since
from community.extensions import db
from tests.evaluation.history import build_history


@pytest.fixture
def history(app):
    return build_history()


def by_response(evaluations) -> dict:
    return {e.response.response: e for e in evaluations}


def test_counts_of_a_known_history(history):
    found = by_response(evaluate_since(now=history.now))
    first = found["first_action"]
    c = first.counts
    assert (c.before, c.after, c.ring_before, c.ring_after) == (14, 3, 4, 4)
    assert (c.control_before, c.control_after) == (100, 100)
    assert first.window.weeks == 8 and first.window.shortened is None
    assert first.response.agency == "Milwaukee Police District 3"
    assert first.response.kind == "site_visit"
    # (3 / 14) / (100 / 100) = 0.2143; WDQ = (4/100 - 4/100) / (3/100 - 14/100) = 0
    # TNE = (14 - 3) + (4 - 4) = 11
    assert first.figures.rate_ratio == pytest.approx(3 / 14)
    assert first.figures.wdq == pytest.approx(0.0)
    assert first.figures.total_net_effect == pytest.approx(11.0)
    assert first.figures.verdict == "fell"
    assert first.figures.ring_verdict == "no sign of either"
    # The resolution, 30 days ago: both windows cut to 30 days, and said so.
    end = found["resolution"]
    assert end.window.days == pytest.approx(30) and end.window.shortened == "recent"
    assert (end.counts.before, end.counts.after) == (2, 1)
    assert end.response.kind == "problem_stopped"
    assert end.figures.verdict == "too few reports to tell"


def test_a_few_queries_whatever_the_number_of_responses(history, app):
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    evaluate_since(now=history.now)
    # first actions, resolved hotspots, their events, places, families, reports, data start
    assert len(statements) <= 7, statements


def recomputed(row: dict) -> dict:
    """The figures from the row's own counts, with the formulas written out again."""
    rb, ra = int(row["before"]), int(row["after"])
    bb, ba = int(row["ring_before"]), int(row["ring_after"])
    cb, ca = int(row["control_before"]), int(row["control_after"])
    out = {}
    out["rate_ratio"] = (ra / rb) / (ca / cb) if rb and ca and cb else None
    success = ra / ca - rb / cb if ca and cb else 0
    out["wdq"] = (ba / ca - bb / cb) / success if success else None
    out["total_net_effect"] = (rb * ca / cb - ra) + (bb * ca / cb - ba) if cb else None
    too_few = ra + rb < 6 or ca < 6 or cb < 6
    out["too_few"] = too_few
    return out


def test_every_csv_figure_recomputes_from_its_counts(history, app, tmp_path):
    target = tmp_path / "evaluations.csv"
    result = app.test_cli_runner().invoke(args=["evaluate", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "2 responses" in result.output
    with target.open(newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == COLUMNS
        rows = list(reader)
    assert {r["response"] for r in rows} == {"first_action", "resolution"}
    for row in rows:
        want = recomputed(row)
        for name in ("rate_ratio", "wdq", "total_net_effect"):
            if want[name] is None:
                assert row[name] == ""
            else:
                assert float(row[name]) == pytest.approx(want[name], rel=1e-5, abs=1e-9)
        n, k = int(row["before"]) + int(row["after"]), int(row["after"])
        trend = int(row["control_after"]) / int(row["control_before"])
        # The interval's ends are where the binomial tails are 2.5% (exact, Clopper-Pearson).
        if row["ci_high"]:
            p = float(row["ci_high"]) * trend / (1 + float(row["ci_high"]) * trend)
            assert binom.cdf(k, n, p) == pytest.approx(0.025, abs=1e-4)
        if row["ci_low"] and k:
            p = float(row["ci_low"]) * trend / (1 + float(row["ci_low"]) * trend)
            assert binom.sf(k - 1, n, p) == pytest.approx(0.025, abs=1e-4)
        if want["too_few"]:
            assert row["verdict"] == "too few reports to tell"
        elif row["ci_high"] and float(row["ci_high"]) < 1:
            assert row["verdict"] == "fell"
        elif float(row["ci_low"]) > 1:
            assert row["verdict"] == "rose"
        else:
            assert row["verdict"] == "no clear change"
        assert not math.isnan(float(row["weeks"]))


def test_evaluate_writes_a_header_when_nothing_was_done(app, tmp_path):
    target = tmp_path / "none.csv"
    result = app.test_cli_runner().invoke(args=["evaluate", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text().strip() == ",".join(COLUMNS)


def test_the_panel_counts_what_the_whole_run_counts(history):
    from community.evaluation.service import for_hotspot
    from community.models import Hotspot

    run = by_response(evaluate_since(now=history.now))
    panel = for_hotspot(db.session.get(Hotspot, history.hotspot_id), now=history.now)
    assert [p.response.response for p in panel] == ["first_action", "resolution"]
    for item in panel:
        assert item.evaluation.counts == run[item.response.response].counts
    assert panel[0].before_weeks == [2, 2, 2, 1, 2, 2, 2, 1]
    assert sum(panel[0].after_weeks) == 3
