"""Place, ring and control counted from points at known distances; windows; weekly bins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from community.evaluation import areas
from community.evaluation.counting import (
    FIRST_ACTION,
    Counter,
    Reports,
    Response,
    Settings,
    evaluate_all,
    weekly,
)
from community.evaluation.windows import HISTORY, RECENT, window

LAT, LON = 43.05, -87.95
AT = datetime(2026, 6, 1, tzinfo=UTC)
NOW = AT + timedelta(weeks=10)
M_PER_DEG_LAT = np.radians(1) * areas.EARTH_M


def north(metres: float) -> float:
    """The latitude `metres` north of the place's centre."""
    return LAT + metres / M_PER_DEG_LAT


def square(half_m: float) -> dict:
    """A square outline `half_m` from the centre each way, as GeoJSON."""
    dlat = half_m / M_PER_DEG_LAT
    dlon = dlat / np.cos(np.radians(LAT))
    ring = [
        [LON - dlon, LAT - dlat],
        [LON + dlon, LAT - dlat],
        [LON + dlon, LAT + dlat],
        [LON - dlon, LAT + dlat],
        [LON - dlon, LAT - dlat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def rows(metres: float, days: list[float], family: str = "nuisance") -> list[tuple]:
    """Reports `metres` north of the centre, `days` after the response (negative: before)."""
    return [(AT + timedelta(days=d), north(metres), LON, family) for d in days]


def response(**changes) -> Response:
    values = dict(
        hotspot_id=1,
        response=FIRST_ACTION,
        at=AT,
        agency="MPD",
        kind="site_visit",
        category="drug_activity",
        family="nuisance",
        lat=LAT,
        lon=LON,
        outline=square(40),
    )
    values.update(changes)
    return Response(**values)


def test_distance_is_from_the_outline_not_the_centre():
    proj = areas.Projection(LAT, LON)
    shape = areas.place_shape(square(40), LAT, LON, proj)
    x, y = proj.xy(np.array([LAT, north(30), north(100), north(240)]), np.full(4, LON))
    distance = areas.distance_to_shape(shape, x, y)
    assert distance[:2].tolist() == [0.0, 0.0]  # inside
    assert distance[2] == pytest.approx(60, abs=0.5)
    assert distance[3] == pytest.approx(200, abs=0.5)
    zones = areas.zone_of(distance).tolist()
    assert zones == [areas.PLACE, areas.PLACE, areas.GAP, areas.RING]


def test_counts_by_zone_window_and_family():
    data = (
        rows(10, [-30, -20, -10, 5])  # place: 3 before, 1 after
        + rows(100, [-5, 5])  # the gap between place and ring: nowhere
        + rows(250, [-3, 3, 4])  # ring (210 m from the outline): 1 before, 2 after
        + rows(3000, [-50, -1, 1, 2, 3])  # control: 2 before, 3 after
        + rows(10, [-2, 2], family="traffic")  # another problem at the same spot
        + rows(10, [-60, 60])  # outside both 8-week windows
    )
    counter = Counter(Reports.from_rows(data))
    (evaluation,) = evaluate_all(counter, [response()], NOW, Settings())
    c = evaluation.counts
    assert (c.before, c.after) == (3, 1)
    assert (c.ring_before, c.ring_after) == (1, 2)
    assert (c.control_before, c.control_after) == (2, 3)
    assert evaluation.window.weeks == 8


def test_a_place_without_outline_is_a_small_circle():
    data = rows(30, [-1]) + rows(60, [-1])
    counter = Counter(Reports.from_rows(data))
    (evaluation,) = evaluate_all(counter, [response(outline=None)], NOW, Settings())
    assert evaluation.counts.before == 1


def test_windows_are_shorter_when_the_response_is_recent_or_history_short():
    full = window(AT, NOW)
    assert full.days == 56 and full.shortened is None
    recent = window(AT, AT + timedelta(days=20))
    assert recent.days == 20 and recent.shortened == RECENT
    old = window(AT, NOW, earliest=AT - timedelta(days=30))
    assert old.days == 30 and old.shortened == HISTORY
    assert window(AT, AT + timedelta(days=3)) is None  # too soon to say anything


def test_weekly_bins():
    span = window(AT, AT + timedelta(days=14))
    times = np.array([(AT + timedelta(days=d)).timestamp() for d in (-13, -8, -1, 0.5, 6.9, 8)])
    before, after = weekly(times, span)
    assert before == [2, 1]  # oldest week first
    assert after == [2, 1]
