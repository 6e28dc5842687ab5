"""The figures of one before-and-after evaluation, from six counts: pure arithmetic and scipy.

R is the place, B the ring around it, C the rest of the city (the control); b is the window
before the response, a the equally long window after it.

- rate ratio RR = (Ra / Rb) / (Ca / Cb): below 1 the place fell more than the city did.
- its 95% interval is exact and conditional: given the place's Ra + Rb reports, Ra is
  binomial with p = theta / (1 + theta), theta the place's after/before rate ratio; the
  Clopper-Pearson interval for p (beta quantiles, scipy.special) gives theta's, which is divided by
  the control's Ca / Cb. The control (the whole city's reports of the family) is treated as
  known: its own sampling error is far below the place's.
- weighted displacement quotient (Bowers and Johnson 2003)
  WDQ = (Ba / Ca - Bb / Cb) / (Ra / Ca - Rb / Cb): > 0 diffusion of benefits to the ring,
  < 0 displacement into it; its size against 1 compares the ring's change to the place's.
  Undefined when the place did not change against the control (denominator 0).
- total net effect (Guerette 2009) TNE = (Rb * Ca / Cb - Ra) + (Bb * Ca / Cb - Ba): reports
  avoided in the place and the ring together, beyond the city's own trend (negative: more).
"""

from __future__ import annotations

from dataclasses import dataclass

CONFIDENCE = 0.95
# The smallest total at which even a complete stop (n reports before, none after) can be told
# from chance at 95%: with 5 or fewer, no outcome at all could show a change.
MIN_REPORTS = 6

FELL, NO_CHANGE, ROSE, TOO_FEW = "fell", "no clear change", "rose", "too few reports to tell"
VERDICTS = (FELL, NO_CHANGE, ROSE, TOO_FEW)
DISPLACEMENT, DIFFUSION, NEITHER, RING_TOO_FEW = (
    "displacement",
    "diffusion of benefits",
    "no sign of either",
    "too few",
)
RING_VERDICTS = (DISPLACEMENT, DIFFUSION, NEITHER, RING_TOO_FEW)


@dataclass(frozen=True)
class Counts:
    """Reports in each area and window of one evaluation."""

    before: int  # Rb: the place, before
    after: int  # Ra: the place, after
    ring_before: int  # Bb
    ring_after: int  # Ba
    control_before: int  # Cb
    control_after: int  # Ca


@dataclass(frozen=True)
class Figures:
    """What the counts say; None where a figure is undefined."""

    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    ring_ratio: float | None
    ring_ci_low: float | None
    ring_ci_high: float | None
    wdq: float | None
    total_net_effect: float | None
    verdict: str
    ring_verdict: str


def ratio_of_ratios(after: int, before: int, control_after: int, control_before: int):
    """(after / before) / (control_after / control_before), or None when a count is zero."""
    if before == 0 or control_after == 0 or control_before == 0:
        return None
    return (after / before) / (control_after / control_before)


def exact_interval(
    after: int, before: int, control_after: int, control_before: int, level: float = CONFIDENCE
) -> tuple[float | None, float | None]:
    """The exact conditional interval of the rate ratio (None: unbounded or undefined)."""
    total = after + before
    if total == 0 or control_after == 0 or control_before == 0:
        return None, None
    from scipy.special import betaincinv  # here, not at import: pages start without scipy

    tail = (1 - level) / 2
    # Beta quantiles (scipy's inverse regularised incomplete beta: the ufunc under
    # scipy.stats.beta.ppf, without its per-call overhead).
    p_low = 0.0 if after == 0 else float(betaincinv(after, before + 1, tail))
    p_high = 1.0 if before == 0 else float(betaincinv(after + 1, before, 1 - tail))
    trend = control_after / control_before
    low = p_low / (1 - p_low) / trend
    high = None if p_high >= 1 else p_high / (1 - p_high) / trend
    return low, high


def wdq(c: Counts) -> float | None:
    """Bowers and Johnson's weighted displacement quotient, or None when undefined."""
    if c.control_after == 0 or c.control_before == 0:
        return None
    success = c.after / c.control_after - c.before / c.control_before
    if success == 0:
        return None  # the place did not change against the control: nothing to weigh
    displaced = c.ring_after / c.control_after - c.ring_before / c.control_before
    return displaced / success


def total_net_effect(c: Counts) -> float | None:
    """Guerette's total net effect: reports avoided in place and ring beyond the city's trend."""
    if c.control_before == 0:
        return None
    trend = c.control_after / c.control_before
    return (c.before * trend - c.after) + (c.ring_before * trend - c.ring_after)


def too_few(after: int, before: int, c: Counts, min_reports: int) -> bool:
    """Fewer reports than could ever show a change, in the area or in the control."""
    return (
        after + before < min_reports
        or c.control_before < min_reports
        or c.control_after < min_reports
    )


def verdict(c: Counts, low: float | None, high: float | None, min_reports: int) -> str:
    """'fell' or 'rose' when the whole interval is on one side of 1, else no clear change."""
    if too_few(c.after, c.before, c, min_reports):
        return TOO_FEW
    if high is not None and high < 1:
        return FELL
    if low is not None and low > 1:
        return ROSE
    return NO_CHANGE


def ring_verdict(
    c: Counts, place: str, low: float | None, high: float | None, min_reports: int
) -> str:
    """Displacement or diffusion: judged only where the place fell (nothing to move else)."""
    if place == TOO_FEW or too_few(c.ring_after, c.ring_before, c, min_reports):
        return RING_TOO_FEW
    if place != FELL:
        return NEITHER
    if low is not None and low > 1:
        return DISPLACEMENT  # the ring rose against the city while the place fell: WDQ < 0
    if high is not None and high < 1:
        return DIFFUSION  # the ring fell too: WDQ > 0
    return NEITHER


def evaluate(c: Counts, min_reports: int = MIN_REPORTS) -> Figures:
    """Every figure of one evaluation from its counts."""
    low, high = exact_interval(c.after, c.before, c.control_after, c.control_before)
    ring_low, ring_high = exact_interval(
        c.ring_after, c.ring_before, c.control_after, c.control_before
    )
    place = verdict(c, low, high, min_reports)
    return Figures(
        rate_ratio=ratio_of_ratios(c.after, c.before, c.control_after, c.control_before),
        ci_low=low,
        ci_high=high,
        ring_ratio=ratio_of_ratios(c.ring_after, c.ring_before, c.control_after, c.control_before),
        ring_ci_low=ring_low,
        ring_ci_high=ring_high,
        wdq=wdq(c),
        total_net_effect=total_net_effect(c),
        verdict=place,
        ring_verdict=ring_verdict(c, place, ring_low, ring_high, min_reports),
    )
