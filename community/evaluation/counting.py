"""Counting reports in the place, the ring and the control for many responses at once.

All located reports of the period are loaded once (community.evaluation.service); here a
k-d tree finds each place's neighbours within the ring's outer edge, and the city's count of
a family in a window is two binary searches, so 2,000 responses cost about what one pass
over the reports does, not 2,000 queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

import numpy as np

from community.evaluation import areas, figures
from community.evaluation.figures import Counts, Figures
from community.evaluation.windows import MIN_DAYS, WEEKS, Window, window

FIRST_ACTION, RESOLUTION = "first_action", "resolution"


@dataclass(frozen=True)
class Settings:
    """How responses are evaluated (EVALUATION_* settings)."""

    weeks: float = WEEKS
    ring_inner_m: float = areas.RING_INNER_M
    ring_outer_m: float = areas.RING_OUTER_M
    min_reports: int = figures.MIN_REPORTS
    min_days: float = MIN_DAYS


@dataclass(frozen=True)
class Response:
    """One response to evaluate: a hotspot's first action, or its resolution."""

    hotspot_id: int
    response: str  # FIRST_ACTION or RESOLUTION
    at: datetime
    agency: str  # who acted (the lead at resolution)
    kind: str  # the action's kind, or how it was resolved
    category: str  # the hotspot's main category code
    family: str | None  # its problem family: only reports of that family are counted
    lat: float
    lon: float
    outline: str | dict | None = None


@dataclass(frozen=True)
class Evaluation:
    response: Response
    window: Window
    counts: Counts
    figures: Figures


@dataclass
class Reports:
    """Located reports: when (seconds since the epoch), where (lat, lon) and family code."""

    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    family: np.ndarray  # index into `families`
    families: list[str | None] = field(default_factory=list)

    @classmethod
    def from_columns(cls, rows, family_of: dict[int, str | None]) -> Reports:
        """From (seconds since 1970, lat, lon, category id) rows and each category's family."""
        names = sorted(set(family_of.values()), key=str)
        code = {name: i for i, name in enumerate(names)}
        to_code = {category: code[family] for category, family in family_of.items()}
        t, lat, lon, category = list(zip(*rows, strict=True)) or ([], [], [], [])
        return cls(
            t=np.asarray(t, dtype=float),
            lat=np.asarray(lat, dtype=float),
            lon=np.asarray(lon, dtype=float),
            family=np.asarray([to_code.get(c, -1) for c in category], dtype=np.int32),
            families=names,
        )

    @classmethod
    def from_rows(cls, rows) -> Reports:
        """From (reported_at, lat, lon, family) tuples."""
        rows = list(rows)
        names: dict[str | None, int] = {}
        codes = np.array([names.setdefault(r[3], len(names)) for r in rows], dtype=np.int32)
        return cls(
            t=np.array([r[0].timestamp() for r in rows], dtype=float),
            lat=np.array([r[1] for r in rows], dtype=float),
            lon=np.array([r[2] for r in rows], dtype=float),
            family=codes,
            families=list(names),
        )


class Counter:
    """Counts for any place and window over one set of reports."""

    def __init__(self, reports: Reports) -> None:
        from scipy.spatial import cKDTree  # here, not at import: pages start without scipy

        self.reports = reports
        lat0 = float(np.mean(reports.lat)) if len(reports.t) else 43.0
        lon0 = float(np.mean(reports.lon)) if len(reports.t) else -88.0
        self.proj = areas.Projection(lat0, lon0)
        self.x, self.y = self.proj.xy(reports.lat, reports.lon)
        self.tree = cKDTree(np.column_stack([self.x, self.y])) if len(reports.t) else None
        self.city_times = {
            code: np.sort(reports.t[reports.family == code])
            for code in range(len(reports.families))
        }
        self.all_times = np.sort(reports.t)
        # The city's count of a family in a window, when it comes from elsewhere (a grouped
        # query for one hotspot's page, where only the reports near it are loaded).
        self.city: Callable[[str | None, float, float], int] | None = None

    def _times(self, family: str | None) -> np.ndarray:
        if family is None:
            return self.all_times
        try:
            return self.city_times[self.reports.families.index(family)]
        except ValueError:
            return np.empty(0)

    def _city(self, family: str | None, start: float, end: float) -> int:
        if self.city is not None:
            return self.city(family, start, end)
        times = self._times(family)
        return int(np.searchsorted(times, end, "left") - np.searchsorted(times, start, "left"))

    def near(
        self, response: Response, settings: Settings, span: Window | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Indexes of the family's reports within the ring's outer edge (and the windows,
        when given), and their zones."""
        shape = areas.place_shape(response.outline, response.lat, response.lon, self.proj)
        if self.tree is None:
            return np.empty(0, dtype=int), np.empty(0, dtype=int)
        found = np.array(
            self.tree.query_ball_point(shape.centre, shape.reach + settings.ring_outer_m),
            dtype=int,
        )
        if response.family is not None and len(found):
            code = (
                self.reports.families.index(response.family)
                if response.family in self.reports.families
                else -1
            )
            found = found[self.reports.family[found] == code]
        if span is not None and len(found):
            t = self.reports.t[found]
            found = found[(t >= span.start.timestamp()) & (t < span.end.timestamp())]
        distance = areas.distance_to_shape(shape, self.x[found], self.y[found])
        zones = areas.zone_of(distance, settings.ring_inner_m, settings.ring_outer_m)
        return found, zones

    def counts(self, response: Response, span: Window, settings: Settings) -> Counts:
        """Rb, Ra, Bb, Ba, Cb, Ca for one response and its windows."""
        return self.count_all([response], [span], settings)[0]

    def _family_code(self, family: str | None) -> int:
        """The family's code in the reports; -1 for any family, -2 for one with no reports."""
        if family is None:
            return -1
        return self.reports.families.index(family) if family in self.reports.families else -2

    def _pairs(self, shapes: list, codes: np.ndarray, bounds: np.ndarray, settings: Settings):
        """(response, report) pairs: the family's reports within each ring's outer edge and
        its windows, from one k-d tree query for all the places."""
        centres = np.array([shape.centre for shape in shapes])
        radii = np.array([shape.reach for shape in shapes]) + settings.ring_outer_m
        found = self.tree.query_ball_point(centres, radii)
        lengths = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(shapes))
        point = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=lengths.sum())
        owner = np.repeat(np.arange(len(shapes)), lengths)
        t = self.reports.t[point]
        family = codes[owner]
        keep = (family == -1) | (self.reports.family[point] == family)
        keep &= (t >= bounds[owner, 0]) & (t < bounds[owner, 2])
        return owner[keep], point[keep]

    def count_all(
        self, responses: list[Response], spans: list[Window], settings: Settings
    ) -> list[Counts]:
        """Counts for many responses at once: one tree query, array arithmetic, no loop over
        reports in Python."""
        n = len(responses)
        if n == 0:
            return []
        bounds = np.array(
            [(s.start.timestamp(), s.at.timestamp(), s.end.timestamp()) for s in spans]
        )
        codes = np.array([self._family_code(r.family) for r in responses])
        table = np.zeros((n, 4, 2), dtype=np.int64)  # response, zone, before/after
        if self.tree is not None:
            shapes = [areas.place_shape(r.outline, r.lat, r.lon, self.proj) for r in responses]
            owner, point = self._pairs(shapes, codes, bounds, settings)
            distance = areas.distances_to_outlines(
                areas.outlines_table(shapes), owner, self.x[point], self.y[point]
            )
            zone = areas.zone_of(distance, settings.ring_inner_m, settings.ring_outer_m)
            after = self.reports.t[point] >= bounds[owner, 1]
            flat = np.bincount(owner * 8 + zone.astype(np.int64) * 2 + after, minlength=n * 8)
            table = flat.reshape(n, 4, 2)
        # The control is the whole city's family less everything within the ring's outer edge.
        near = table[:, [areas.PLACE, areas.GAP, areas.RING], :].sum(axis=1)
        city = self._city_all(responses, codes, bounds)
        return [
            Counts(
                before=int(table[i, areas.PLACE, 0]),
                after=int(table[i, areas.PLACE, 1]),
                ring_before=int(table[i, areas.RING, 0]),
                ring_after=int(table[i, areas.RING, 1]),
                control_before=int(city[i, 0] - near[i, 0]),
                control_after=int(city[i, 1] - near[i, 1]),
            )
            for i in range(n)
        ]

    def _city_all(self, responses: list[Response], codes: np.ndarray, bounds: np.ndarray):
        """The city's count of each response's family before and after: binary searches."""
        city = np.zeros((len(responses), 2), dtype=np.int64)
        if self.city is not None:  # counted elsewhere (the hotspot page's grouped query)
            for i, r in enumerate(responses):
                start, at, end = bounds[i]
                city[i] = (self.city(r.family, start, at), self.city(r.family, at, end))
            return city
        for code in np.unique(codes):
            rows = codes == code
            times = self.all_times if code == -1 else self.city_times.get(int(code), np.empty(0))
            edges = np.searchsorted(times, bounds[rows], "left")
            city[rows, 0] = edges[:, 1] - edges[:, 0]
            city[rows, 1] = edges[:, 2] - edges[:, 1]
        return city

    def place_times(self, response: Response, span: Window, settings: Settings) -> np.ndarray:
        """When the place's reports in the windows came, sorted (for the weekly chart)."""
        found, zones = self.near(response, settings)
        t = self.reports.t[found[zones == areas.PLACE]]
        return np.sort(t[(t >= span.start.timestamp()) & (t < span.end.timestamp())])


def evaluate_all(
    counter: Counter,
    responses: list[Response],
    now: datetime,
    settings: Settings,
    earliest: datetime | None = None,
) -> list[Evaluation]:
    """Every response old enough to evaluate, with its windows, counts and figures."""
    spans = [window(r.at, now, settings.weeks, earliest, settings.min_days) for r in responses]
    ready = [(r, span) for r, span in zip(responses, spans, strict=True) if span is not None]
    counted = counter.count_all([r for r, _ in ready], [span for _, span in ready], settings)
    return [
        Evaluation(r, span, counts, figures.evaluate(counts, settings.min_reports))
        for (r, span), counts in zip(ready, counted, strict=True)
    ]


def weekly(times: np.ndarray, span: Window) -> tuple[list[int], list[int]]:
    """Reports per week before the response (oldest first) and after it (window edges out)."""
    at = span.at.timestamp()
    week = 7 * 86400.0
    count = max(int(np.ceil(span.days / 7 - 1e-9)), 1)
    before = times[times < at]
    after = times[times >= at]
    back = np.minimum(((at - before) // week).astype(int), count - 1)
    ahead = np.minimum(((after - at) // week).astype(int), count - 1)
    before_weeks = np.bincount(back, minlength=count)[::-1].tolist()
    after_weeks = np.bincount(ahead, minlength=count).tolist()
    return before_weeks, after_weeks
