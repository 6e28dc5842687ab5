"""Which areas (neighborhood, district, ward, ...) contain a point."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from shapely.strtree import STRtree

from community.geo.citypkg import AreaShape


class AreaLocator:
    """Point-in-polygon lookup over many area layers with one STRtree."""

    def __init__(self, shapes: Iterable[AreaShape]) -> None:
        """Index the shapes; when polygons of one kind overlap, the first one given wins."""
        self.shapes: list[AreaShape] = list(shapes)
        geoms = [s.geometry for s in self.shapes]
        shapely.prepare(geoms)
        self._tree = STRtree(geoms)
        self.kinds: list[str] = list(dict.fromkeys(s.kind for s in self.shapes))

    def locate(self, lon: float, lat: float) -> dict[str, str]:
        """Map kind -> code for every layer with a polygon containing (lon, lat)."""
        return self.locate_many([lon], [lat])[0]

    def locate_many(self, lons: Sequence[float], lats: Sequence[float]) -> list[dict[str, str]]:
        """Vectorised locate(): one kind -> code dict per input point (empty when outside)."""
        lons = np.asarray(lons, dtype=float)
        lats = np.asarray(lats, dtype=float)
        result: list[dict[str, str]] = [{} for _ in range(len(lons))]
        ok = np.isfinite(lons) & np.isfinite(lats)
        if not ok.any():
            return result
        positions = np.flatnonzero(ok)
        points = shapely.points(lons[ok], lats[ok])
        point_idx, shape_idx = self._tree.query(points, predicate="intersects")
        order = np.lexsort((shape_idx, point_idx))  # by point, then by shape order
        for p, s in zip(point_idx[order].tolist(), shape_idx[order].tolist(), strict=False):
            shape = self.shapes[s]
            result[positions[p]].setdefault(shape.kind, shape.code)
        return result
