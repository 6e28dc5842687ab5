"""A synthetic history with known counts: one place, its ring, the city far away."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from community.evaluation import areas
from community.extensions import db
from community.models import (
    Action,
    ActionKind,
    Agency,
    Assignment,
    AssignmentRole,
    Category,
    Event,
    EventKind,
    Hotspot,
    HotspotStatus,
    utcnow,
)
from tests.factories import ConcernFactory

LAT, LON = 43.0600, -87.9500
NUMBERS = (f"EV-{n:05d}" for n in itertools.count())
M_PER_DEG = np.radians(1) * areas.EARTH_M


@dataclass
class History:
    hotspot_id: int
    acted_at: datetime
    resolved_at: datetime
    now: datetime


def north(metres: float) -> float:
    return LAT + metres / M_PER_DEG


def east(metres: float) -> float:
    return LON + metres / (M_PER_DEG * np.cos(np.radians(LAT)))


def square(half_m: float) -> str:
    """A square outline half_m each way from the centre (GeoJSON text, lon/lat)."""
    n, s, e, w = north(half_m), north(-half_m), east(half_m), east(-half_m)
    ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def reports(lat: float, lon: float, at: datetime, days: list[float]) -> None:
    for d in days:
        # Numbered: 230 random case numbers would now and then draw the same one twice.
        ConcernFactory(
            lat=lat, lon=lon, reported_at=at + timedelta(days=d), case_number=next(NUMBERS)
        )


def build_history(now: datetime | None = None, family: str = "nuisance") -> History:
    """A site visit 60 days ago, resolution 30 days ago, at a place reported:

    place (inside the outline): 14 in the 8 weeks before the visit, 3 after (days +5, +20, +50)
    ring (250 m north, 210 m from the outline): 4 before, 4 after
    control (3 km east): 100 before, 100 after, and one 100 days before (the data's start)
    """
    now = now or utcnow()
    acted = now - timedelta(days=60)
    resolved = acted + timedelta(days=30)
    category = db.session.scalar(db.select(Category).filter_by(code="drug_activity"))
    agency = db.session.scalar(db.select(Agency).filter_by(code="MPD-D3"))
    hotspot = Hotspot(
        label="Drug activity near 35th and Center",
        status=HotspotStatus.RESOLVED,
        category_id=category.id,
        family=family,
        centroid_lat=LAT,
        centroid_lon=LON,
        outline=square(40),
        concern_count=17,
        resolved_at=resolved,
    )
    db.session.add(hotspot)
    db.session.flush()
    db.session.add(
        Assignment(
            hotspot_id=hotspot.id,
            agency_id=agency.id,
            role=AssignmentRole.LEAD,
            created_at=acted - timedelta(days=3),
        )
    )
    db.session.add(
        Action(
            hotspot_id=hotspot.id,
            agency_id=agency.id,
            kind=ActionKind.SITE_VISIT,
            occurred_at=acted,
        )
    )
    db.session.add(
        Event(
            kind=EventKind.STATUS_CHANGED,
            actor="prosecutor@example.org",
            hotspot_id=hotspot.id,
            from_status="in_progress",
            to_status="resolved",
            created_at=resolved,
            data={"lead": agency.name, "outcome": "problem_stopped"},
        )
    )
    db.session.commit()
    # Half a day off the week boundaries: the weekly chart does not depend on rounding.
    reports(LAT, LON, acted, [-55.5 + 4 * i for i in range(14)] + [5, 20, 50])
    reports(north(250), LON, acted, [-40, -30, -20, -10, 10, 25, 40, 52])
    far = east(3000)
    reports(LAT, far, acted, [-55.5 + 0.55 * i for i in range(100)])
    reports(LAT, far, acted, [0.25 + 0.55 * i for i in range(100)])
    reports(LAT, far, acted, [-100])
    return History(hotspot.id, acted, resolved, now)
