"""Where two streets meet, derived from their address points and arterial centerlines.

Milwaukee publishes no street centerlines with names for every street, so a corner is found
where the two streets' address points come close *and* the streets run across each other
(parallel streets' back yards also come close). The corner itself is where the two streets'
local lines cross: the arterial centerlines when both are arterials, else lines fitted through
each street's address points near the meeting.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import Point

from community.geo.streets import Street

NEAR_M = 120.0  # address points of crossing streets come this close at a corner
LOCAL_M = 160.0  # points this far from a meeting describe each street's local line
MIN_ANGLE_DEG = 25.0  # streets meeting at a smaller angle are running alongside
CORNER_LOT_M = 25.0  # two streets' address points this close: one corner lot has both
MAX_SITES = 6
MAX_TRIES = 40


def meet(a: Street, b: Street) -> list[tuple[float, float]]:
    """The points (metres) where two streets cross or one ends at the other, best first."""
    if a.numbers.size > b.numbers.size:
        a, b = b, a
    corners = _centerline_crossings(a, b)
    distances, nearest = b.tree.query(np.column_stack([a.x, a.y]), distance_upper_bound=NEAR_M)
    close = np.flatnonzero(np.isfinite(distances))
    if close.size == 0:
        return corners
    tried: list[tuple[float, float]] = []  # parallel streets come close everywhere: look once
    attempts = 0
    for row in close[np.argsort(distances[close])]:
        cx = (a.x[row] + b.x[nearest[row]]) / 2
        cy = (a.y[row] + b.y[nearest[row]]) / 2
        if any(np.hypot(cx - x, cy - y) < LOCAL_M for x, y in tried):
            continue
        attempts += 1
        corner, settled = _corner(a, b, cx, cy)
        if settled:  # a corner, or two streets running alongside: no need to look here again
            tried.append((cx, cy))
        if corner is not None and all(
            np.hypot(corner[0] - x, corner[1] - y) > LOCAL_M for x, y in corners
        ):
            corners.append(corner)
        if len(corners) >= MAX_SITES or attempts >= MAX_TRIES:
            break
    return corners


def corner_lot(a: Street, b: Street) -> tuple[float, float] | None:
    """Where two streets with too few points for a line meet: one corner lot has both streets'
    addresses (points within CORNER_LOT_M). Only for when meet() finds no corner."""
    if a.numbers.size > b.numbers.size:
        a, b = b, a
    distances, nearest = b.tree.query(
        np.column_stack([a.x, a.y]), distance_upper_bound=CORNER_LOT_M
    )
    for row in np.flatnonzero(np.isfinite(distances))[:MAX_TRIES]:
        cx = (a.x[row] + b.x[nearest[row]]) / 2
        cy = (a.y[row] + b.y[nearest[row]]) / 2
        corner, settled = _corner(a, b, cx, cy)
        if not settled and corner is None:  # no line to cross, and not running alongside
            return float(cx), float(cy)
    return None


def _centerline_crossings(a: Street, b: Street) -> list[tuple[float, float]]:
    """Where two arterials' centerlines cross (exact, even where few addresses are near)."""
    if a.lines is None or b.lines is None:
        return []
    crossing = a.lines.intersection(b.lines)
    points: list[tuple[float, float]] = []
    for geometry in getattr(crossing, "geoms", [crossing]):
        if geometry.is_empty:
            continue
        point = geometry if geometry.geom_type == "Point" else geometry.centroid
        if all(np.hypot(point.x - x, point.y - y) > LOCAL_M for x, y in points):
            points.append((point.x, point.y))
    return points


def _corner(a: Street, b: Street, cx: float, cy: float) -> tuple[tuple[float, float] | None, bool]:
    """The corner near (cx, cy), and whether this spot is settled (a corner or parallel)."""
    line_a, line_b = _local_line(a, cx, cy), _local_line(b, cx, cy)
    if line_a is None or line_b is None:
        return None, False
    (pa, da), (pb, db) = line_a, line_b
    sine = abs(da[0] * db[1] - da[1] * db[0])
    if sine < np.sin(np.radians(MIN_ANGLE_DEG)):
        return None, True
    # pa + s*da == pb + t*db
    s, _ = np.linalg.solve(np.column_stack([da, -db]), pb - pa)
    x, y = pa + s * da
    if np.hypot(x - cx, y - cy) > NEAR_M:
        return None, False
    return _snap(a, b, float(x), float(y)), True


def _local_line(street: Street, cx: float, cy: float):  # -> (point, unit direction) | None
    """The street's line near (cx, cy): its arterial centerline if it has one, else a fit."""
    if street.lines is not None:
        here = Point(cx, cy)
        if street.lines.distance(here) < NEAR_M:
            along = street.lines.project(here)
            ahead = street.lines.interpolate(along + 25.0)
            behind = street.lines.interpolate(max(along - 25.0, 0.0))
            direction = np.array([ahead.x - behind.x, ahead.y - behind.y])
            if np.hypot(*direction) > 5.0:
                point = street.lines.interpolate(along)
                return np.array([point.x, point.y]), direction / np.hypot(*direction)
    rows = street.tree.query_ball_point([cx, cy], LOCAL_M)
    if len(rows) < 2:
        return None
    points = np.column_stack([street.x[rows], street.y[rows]])
    centre = points.mean(axis=0)
    _, _, vt = np.linalg.svd(points - centre, full_matrices=False)
    spread = np.ptp((points - centre) @ vt[0])
    if spread < 20.0:  # one house (or a cul-de-sac): no direction to speak of
        return None
    return centre, vt[0]


def _snap(a: Street, b: Street, x: float, y: float) -> tuple[float, float]:
    """Use the arterial centerlines' own crossing when there is one close by."""
    if a.lines is not None and b.lines is not None:
        crossing = a.lines.intersection(b.lines)
        if not crossing.is_empty:
            nearest = min(
                (g for g in getattr(crossing, "geoms", [crossing]) if g.geom_type == "Point"),
                key=lambda g: g.distance(Point(x, y)),
                default=None,
            )
            if nearest is not None and nearest.distance(Point(x, y)) < NEAR_M:
                return nearest.x, nearest.y
    for street in (a, b):
        if street.lines is not None and street.lines.distance(Point(x, y)) < 40.0:
            snapped = street.lines.interpolate(street.lines.project(Point(x, y)))
            x, y = snapped.x, snapped.y
    return x, y
