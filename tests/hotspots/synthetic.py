"""Synthetic cities: concerns placed in known blobs and scattered noise, in metres."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from community.extensions import db
from community.models import Category, ConcernStatus, GeocodeStatus, LocationKind, utcnow
from tests.factories import ConcernFactory

# Sherman Park; offsets are metres east/north of it.
ORIGIN = (43.0676, -87.9584)
M_PER_DEG_LAT = 111_132.0


def to_latlon(east_m: float, north_m: float) -> tuple[float, float]:
    lat0, lon0 = ORIGIN
    lat = lat0 + north_m / M_PER_DEG_LAT
    lon = lon0 + east_m / (M_PER_DEG_LAT * np.cos(np.radians(lat0)))
    return float(lat), float(lon)


def category_id(code: str) -> int:
    return db.session.scalar(db.select(Category.id).filter_by(code=code))


def blob(
    rng: np.random.Generator,
    centre_m: tuple[float, float],
    count: int,
    spread_m: float = 20.0,
    *,
    code: str = "drug_activity",
    days_ago: float = 5,
    label: str | None = None,
) -> list:
    """Concerns scattered (normal, spread_m) around a point, all located and open."""
    points = rng.normal(centre_m, spread_m, size=(count, 2))
    return [
        concern_at(float(e), float(n), code=code, days_ago=days_ago + i / 100, label=label)
        for i, (e, n) in enumerate(points)
    ]


def concern_at(
    east_m: float,
    north_m: float,
    *,
    code: str = "drug_activity",
    days_ago: float = 5,
    label: str | None = None,
    kind: LocationKind = LocationKind.BLOCK,
):
    lat, lon = to_latlon(east_m, north_m)
    return ConcernFactory(
        lat=lat,
        lon=lon,
        category_id=category_id(code),
        status=ConcernStatus.OPEN,
        geocode_status=GeocodeStatus.LOCATED,
        location_kind=kind,
        location_label=label or f"{int(east_m)} m east",
        reported_at=utcnow() - timedelta(days=days_ago),
    )
