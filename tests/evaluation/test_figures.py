"""The figures on synthetic counts with known answers; two cases worked by hand."""

from __future__ import annotations

import pytest
from scipy.stats import binom

from community.evaluation.figures import (
    DIFFUSION,
    DISPLACEMENT,
    FELL,
    NEITHER,
    NO_CHANGE,
    RING_TOO_FEW,
    ROSE,
    TOO_FEW,
    Counts,
    evaluate,
    exact_interval,
)


def test_seventy_percent_drop_by_hand():
    # Place 40 -> 12, ring 30 -> 30, city 1000 -> 1000 (flat).
    # RR  = (12 / 40) / (1000 / 1000) = 0.3
    # WDQ = (30/1000 - 30/1000) / (12/1000 - 40/1000) = 0 / -0.028 = 0
    # TNE = (40 * 1 - 12) + (30 * 1 - 30) = 28 reports avoided
    f = evaluate(Counts(40, 12, 30, 30, 1000, 1000))
    assert f.rate_ratio == pytest.approx(0.3)
    assert f.wdq == pytest.approx(0.0)
    assert f.total_net_effect == pytest.approx(28.0)
    # Exact interval: given 52 reports, 12 after is binomial(52, p), p = theta / (1 + theta).
    # Clopper-Pearson: at p_high, P(X <= 12) = 2.5%; at p_low, P(X >= 12) = 2.5%. Checked here
    # with the binomial tail itself, not the beta quantiles the code uses.
    p_high = f.ci_high / (1 + f.ci_high)
    p_low = f.ci_low / (1 + f.ci_low)
    assert binom.cdf(12, 52, p_high) == pytest.approx(0.025, abs=1e-9)
    assert binom.sf(11, 52, p_low) == pytest.approx(0.025, abs=1e-9)
    assert 0.14 < f.ci_low < 0.3 < f.ci_high < 0.6  # about 0.148 to 0.580
    assert f.ci_high < 1
    assert f.verdict == FELL
    assert f.ring_verdict == NEITHER


def test_reports_moved_to_the_ring_by_hand():
    # Place 40 -> 10, ring 20 -> 50, city 1000 -> 1000.
    # RR  = (10 / 40) / 1 = 0.25
    # WDQ = (50/1000 - 20/1000) / (10/1000 - 40/1000) = 0.03 / -0.03 = -1.0 (displacement,
    #       as large as the place's own fall)
    # TNE = (40 - 10) + (20 - 50) = 30 - 30 = 0: nothing gained overall
    f = evaluate(Counts(40, 10, 20, 50, 1000, 1000))
    assert f.rate_ratio == pytest.approx(0.25)
    assert f.wdq == pytest.approx(-1.0)
    assert f.total_net_effect == pytest.approx(0.0)
    assert f.ring_ratio == pytest.approx(2.5)
    assert f.verdict == FELL
    assert f.ring_verdict == DISPLACEMENT
    assert f.ring_ci_low > 1


def test_no_change_interval_contains_one():
    f = evaluate(Counts(20, 20, 15, 15, 900, 900))
    assert f.rate_ratio == pytest.approx(1.0)
    assert f.ci_low < 1 < f.ci_high
    assert f.verdict == NO_CHANGE
    assert f.wdq is None  # the place did not change: undefined
    assert f.ring_verdict == NEITHER


def test_three_before_one_after_is_too_few():
    f = evaluate(Counts(3, 1, 2, 2, 500, 500))
    assert f.verdict == TOO_FEW
    assert f.ring_verdict == RING_TOO_FEW
    assert f.rate_ratio == pytest.approx(1 / 3)  # still shown: just not judged


def test_city_trend_is_taken_out():
    # The whole city falls 30% and so does the place: not the response's doing.
    f = evaluate(Counts(40, 28, 20, 14, 1000, 700))
    assert f.rate_ratio == pytest.approx(1.0)
    assert f.ci_low < 1 < f.ci_high
    assert f.verdict == NO_CHANGE
    assert f.total_net_effect == pytest.approx(0.0)
    # Without the control's trend the same place would look like a fall of 30%:
    assert f.rate_ratio * (700 / 1000) == pytest.approx(0.7)


def test_rise_and_diffusion():
    assert evaluate(Counts(10, 40, 10, 10, 1000, 1000)).verdict == ROSE
    f = evaluate(Counts(40, 8, 40, 10, 1000, 1000))
    assert f.verdict == FELL
    assert f.ring_verdict == DIFFUSION
    assert f.wdq > 0


def test_smallest_total_that_can_show_a_change():
    # Six before and none after can be told from chance; five before and none after cannot.
    assert evaluate(Counts(6, 0, 0, 0, 1000, 1000)).verdict == FELL
    _, high = exact_interval(0, 5, 1000, 1000)
    assert high > 1


def test_undefined_figures_are_none():
    f = evaluate(Counts(0, 8, 0, 0, 1000, 1000))
    assert f.rate_ratio is None and f.ci_high is None
    assert f.verdict == ROSE  # eight where there were none: the interval still says so
    f = evaluate(Counts(10, 2, 0, 0, 0, 0))
    assert f.rate_ratio is None and f.wdq is None and f.total_net_effect is None
    assert f.verdict == TOO_FEW
