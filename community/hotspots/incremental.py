"""The fast path: a just-located concern joins the nearest active hotspot at once.

A full re-cluster runs in the background a little later (debounced) and may still move it;
until then staff and the resident already see the concern in its hotspot. The lookup is a
bounding-box range scan on the (lat, lon) index, then exact distances in metres, so its cost
depends on how many concerns are within one radius, not on the size of the city.
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
    """The active hotspot with a member concern nearest to this one, within the radius."""
    radius = current_app.config["CLUSTER_EPS_M"]
    dlat, dlon = degree_box(concern.lat, radius)
    # Two steps, not a join: a join lets the planner walk every member of every active
    # hotspot; the bounding box on the (lat, lon) index reads only what is nearby.
    result = db.session.connection().execute(
        sa.select(Concern.hotspot_id, Concern.lat, Concern.lon).where(
            Concern.lat.between(concern.lat - dlat, concern.lat + dlat),
            Concern.lon.between(concern.lon - dlon, concern.lon + dlon),
            Concern.hotspot_id.is_not(None),
            Concern.id != concern.id,
        )
    )
    rows = np.array(result.cursor.fetchall(), dtype=float).reshape(-1, 3)  # plain numbers
    result.close()
    metres = ground_metres(concern.lat, concern.lon, rows[:, 1], rows[:, 2])
    within = metres <= radius
    by_distance = rows[within, 0][np.argsort(metres[within], kind="stable")].astype(int)
    if len(by_distance) == 0:
        return None
    open_ids = sa.select(Hotspot.id).where(
        Hotspot.id.in_(set(by_distance.tolist())), Hotspot.status.in_(HOTSPOT_ACTIVE)
    )
    if current_app.config["CLUSTER_BY_GROUP"]:
        group = db.session.scalar(sa.select(Category.group).filter_by(id=concern.category_id))
        open_ids = open_ids.where(Hotspot.category_group == str(group))
    allowed = set(db.session.scalars(open_ids))
    return next((h for h in by_distance.tolist() if h in allowed), None)


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
