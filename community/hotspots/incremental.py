"""The fast path: a just-located concern joins the nearest active hotspot at once.

A full re-cluster runs in the background a little later (debounced) and may still move it;
until then staff and the resident already see the concern in its hotspot. The lookup is a
bounding-box scan of the active hotspots' centres, then exact distances in metres: the
concern joins the nearest place of its problem family whose centre is within the radius.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import sqlalchemy as sa
from flask import current_app

from community.extensions import db
from community.geo.distance import degree_box
from community.geo.distance import metres as ground_metres
from community.hotspots.priority import RECENT_DAYS
from community.models import (
    Category,
    Concern,
    ConcernStatus,
    EventKind,
    Hotspot,
    utcnow,
)
from community.workflow import history
from community.workflow.states import HOTSPOT_ACTIVE


def join_nearest(concern_id: int) -> int | None:
    """Attach a located, unclustered concern to the nearest active hotspot within the radius."""
    concern = db.session.get(Concern, concern_id)
    if (
        concern is None
        or not concern.located
        or concern.hotspot_id is not None
        or concern.status != ConcernStatus.OPEN
    ):
        return None
    hotspot_id = nearest_hotspot(concern)
    if hotspot_id is None:
        return None
    concern.hotspot_id = hotspot_id
    history.record(EventKind.CLUSTERED, None, concern_id=concern.id, hotspot_id=hotspot_id)
    _count_in(hotspot_id, concern)
    db.session.commit()
    return hotspot_id


def nearest_hotspot(concern: Concern) -> int | None:
    """The active hotspot of the concern's problem family whose centre is nearest, within the
    place radius (a place holds what is near its centre: the fast path never chains)."""
    radius = current_app.config["CLUSTER_RADIUS_M"]
    dlat, dlon = degree_box(concern.lat, radius)
    family = sa.select(Category.family).where(Category.id == concern.category_id)
    rows = db.session.execute(
        sa.select(Hotspot.id, Hotspot.centroid_lat, Hotspot.centroid_lon).where(
            Hotspot.status.in_(HOTSPOT_ACTIVE),
            Hotspot.family == family.scalar_subquery(),
            Hotspot.centroid_lat.between(concern.lat - dlat, concern.lat + dlat),
            Hotspot.centroid_lon.between(concern.lon - dlon, concern.lon + dlon),
        )
    ).all()
    if not rows:
        return None
    table = np.array(rows, dtype=float).reshape(-1, 3)
    metres = ground_metres(concern.lat, concern.lon, table[:, 1], table[:, 2])
    best = int(np.argmin(metres))
    return int(table[best, 0]) if metres[best] <= radius else None


def _count_in(hotspot_id: int, concern: Concern) -> None:
    """Bump the hotspot's counts now; the next full re-cluster recomputes everything."""
    table = Hotspot.__table__
    recent = utcnow() - concern.reported_at <= timedelta(days=RECENT_DAYS)
    db.session.execute(
        sa.update(table)
        .where(table.c.id == hotspot_id)
        .values(
            concern_count=table.c.concern_count + 1,
            recent_count=table.c.recent_count + int(recent),
            last_reported_at=sa.func.coalesce(
                sa.case(
                    (table.c.last_reported_at < concern.reported_at, concern.reported_at),
                    else_=table.c.last_reported_at,
                ),
                concern.reported_at,
            ),
            updated_at=utcnow(),
        )
    )
