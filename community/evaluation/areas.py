"""Where a report counts: in the place (inside its outline), in the ring around it, or in the
control (the rest of the city). Pure numpy and scipy, in metres on a local flat projection.

The ring is everything between RING_INNER_M and RING_OUTER_M from the place's outline (not
its centre): a place is up to ~80 m across plus its 40 m buffer, so measuring from the edge
keeps the ring the same band of neighbouring blocks whatever the place's size. The band
between the outline and the ring's inner edge belongs to neither (spill-over there is the
same problem, not displacement); the control is every report farther than the ring's outer
edge, so neither the place nor its neighbours count in their own control.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np

EARTH_M = 6_371_000.0
RING_INNER_M = 150.0
RING_OUTER_M = 400.0
POINT_PLACE_M = 40.0  # a place with no outline: a circle this wide around its centre

PLACE, GAP, RING, CONTROL = 0, 1, 2, 3


@dataclass(frozen=True)
class Projection:
    """Equirectangular metres around an origin: within a city, well under 1% off."""

    lat0: float
    lon0: float

    def xy(self, lat, lon) -> tuple[np.ndarray, np.ndarray]:
        """Metres east and north of the origin."""
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        x = np.radians(lon - self.lon0) * np.cos(np.radians(self.lat0)) * EARTH_M
        y = np.radians(lat - self.lat0) * EARTH_M
        return x, y


@dataclass(frozen=True)
class Shape:
    """A place's outline in projected metres (one vertex: a point place of POINT_PLACE_M)."""

    x: np.ndarray
    y: np.ndarray

    @cached_property
    def centre(self) -> tuple[float, float]:
        return float(self.x.mean()), float(self.y.mean())

    @cached_property
    def edges(self) -> tuple[np.ndarray, ...]:
        """Each edge's start, direction and squared length, as rows for broadcasting."""
        dx = np.roll(self.x, -1) - self.x
        dy = np.roll(self.y, -1) - self.y
        length2 = dx * dx + dy * dy
        return (
            self.x[None, :],
            self.y[None, :],
            dx[None, :],
            dy[None, :],
            np.where(length2 == 0, 1.0, length2)[None, :],
            np.where(dy == 0, 1e-12, dy)[None, :],
        )

    @cached_property
    def reach(self) -> float:
        """The farthest the outline gets from its centre."""
        cx, cy = self.centre
        spread = float(np.hypot(self.x - cx, self.y - cy).max())
        return spread if len(self.x) > 2 else spread + POINT_PLACE_M


def place_shape(outline: str | dict | None, lat: float, lon: float, proj: Projection) -> Shape:
    """The outline's exterior ring (GeoJSON Polygon, lon/lat), else the centre as a point."""
    ring = None
    if outline:
        geometry = json.loads(outline) if isinstance(outline, str) else outline
        if geometry.get("type") == "Polygon" and geometry.get("coordinates"):
            ring = np.asarray(geometry["coordinates"][0], dtype=float)
    if ring is None or len(ring) < 3:
        ring = np.array([[lon, lat]])
    x, y = proj.xy(ring[:, 1], ring[:, 0])
    return Shape(np.atleast_1d(x), np.atleast_1d(y))


def distance_to_shape(shape: Shape, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """Metres from each point to the place: 0 inside the outline, else to its nearest edge."""
    px = np.asarray(px, dtype=float)[:, None]
    py = np.asarray(py, dtype=float)[:, None]
    if len(shape.x) < 3:
        gap = np.hypot(px - shape.x[0], py - shape.y[0])[:, 0] - POINT_PLACE_M
        return np.maximum(gap, 0.0)
    x1, y1, dx, dy, length2, dy_safe = shape.edges
    t = np.clip(((px - x1) * dx + (py - y1) * dy) / length2, 0.0, 1.0)
    edge = np.hypot(px - (x1 + t * dx), py - (y1 + t * dy)).min(axis=1)
    # Even-odd rule: a ray to the east crosses the outline an odd number of times from inside.
    crosses = ((y1 > py) != (y1 + dy > py)) & (px < x1 + (py - y1) * dx / dy_safe)
    inside = crosses.sum(axis=1) % 2 == 1
    return np.where(inside, 0.0, edge)


def zone_of(distance: np.ndarray, inner: float = RING_INNER_M, outer: float = RING_OUTER_M):
    """PLACE, GAP, RING or CONTROL for each distance from the outline."""
    zones = np.full(len(distance), CONTROL, dtype=np.int8)
    zones[distance <= outer] = RING
    zones[distance < inner] = GAP
    zones[distance <= 0.0] = PLACE
    return zones


def outlines_table(shapes: list[Shape]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every outline's vertices in one (shapes, most vertices) array each for x and y, short
    ones padded with their last vertex (zero-length edges change no distance and cross
    nothing), and which places are points."""
    most = max((len(shape.x) for shape in shapes), default=1)
    xs = np.empty((len(shapes), most))
    ys = np.empty((len(shapes), most))
    for i, shape in enumerate(shapes):
        n = len(shape.x)
        xs[i, :n], ys[i, :n] = shape.x, shape.y
        xs[i, n:], ys[i, n:] = shape.x[-1], shape.y[-1]
    points = np.array([len(shape.x) < 3 for shape in shapes], dtype=bool)
    return xs, ys, points


def distances_to_outlines(
    table: tuple[np.ndarray, np.ndarray, np.ndarray],
    owner: np.ndarray,
    px: np.ndarray,
    py: np.ndarray,
    chunk: int = 20_000,
) -> np.ndarray:
    """distance_to_shape for many (place, point) pairs at once: point i against outline
    owner[i]; in chunks, so memory stays a few megabytes whatever the number of pairs."""
    xs, ys, points = table
    out = np.empty(len(owner))
    for first in range(0, len(owner), chunk):
        part = slice(first, first + chunk)
        x1, y1 = xs[owner[part]], ys[owner[part]]
        dx, dy = np.roll(x1, -1, axis=1) - x1, np.roll(y1, -1, axis=1) - y1
        length2 = np.where(dx * dx + dy * dy == 0, 1.0, dx * dx + dy * dy)
        qx, qy = px[part, None], py[part, None]
        t = np.clip(((qx - x1) * dx + (qy - y1) * dy) / length2, 0.0, 1.0)
        edge = np.hypot(qx - (x1 + t * dx), qy - (y1 + t * dy)).min(axis=1)
        crosses = ((y1 > qy) != (y1 + dy > qy)) & (
            qx < x1 + (qy - y1) * dx / np.where(dy == 0, 1e-12, dy)
        )
        inside = (crosses.sum(axis=1) % 2 == 1) & ~points[owner[part]]
        edge = np.where(points[owner[part]], np.maximum(edge - POINT_PLACE_M, 0.0), edge)
        out[part] = np.where(inside, 0.0, edge)
    return out
