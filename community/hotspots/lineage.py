"""Which finished hotspot a new one continues: the same problem back at the same place."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from community.extensions import db
from community.geo.distance import degree_box
from community.models import Hotspot, HotspotStatus


@dataclass
class Predecessors:
    """The finished (resolved or closed) hotspots, read once per run: a run that creates
    hundreds of places asks one query, not one each."""

    ids: np.ndarray
    family: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    rank: np.ndarray  # higher: resolved later (never resolved last), then higher id

    @classmethod
    def load(cls) -> Predecessors:
        """Every finished hotspot, most recently resolved first."""
        rows = db.session.execute(
            db.select(Hotspot.id, Hotspot.family, Hotspot.centroid_lat, Hotspot.centroid_lon)
            .where(Hotspot.status.in_((HotspotStatus.RESOLVED, HotspotStatus.CLOSED)))
            .order_by(Hotspot.resolved_at.desc().nulls_last(), Hotspot.id.desc())
        ).all()
        count = len(rows)
        columns = list(zip(*rows, strict=True)) if rows else [[], [], [], []]
        return cls(
            ids=np.array(columns[0], dtype=np.int64),
            family=np.array(columns[1], dtype=object),
            lat=np.array(columns[2], dtype=float),
            lon=np.array(columns[3], dtype=float),
            rank=np.arange(count, 0, -1),
        )

    def of(self, lat: float, lon: float, family: str, radius_m: float) -> int | None:
        """The latest finished hotspot of this family whose centre is within the square of
        half-width radius_m around (lat, lon), or None."""
        if len(self.ids) == 0:
            return None
        dlat, dlon = degree_box(lat, radius_m)
        near = (
            (self.family == family)
            & (np.abs(self.lat - lat) <= dlat)
            & (np.abs(self.lon - lon) <= dlon)
        )
        if not near.any():
            return None
        return int(self.ids[near][np.argmax(self.rank[near])])
