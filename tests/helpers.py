"""Small builders shared by tests: placed concerns around a point."""

from __future__ import annotations

from datetime import timedelta

from community.models import ConcernStatus, GeocodeStatus, LocationKind, utcnow
from tests.factories import ConcernFactory

# Near 35th and Center (Sherman Park area), and 2 km away.
CORNER = (43.0676, -87.9584)
ELSEWHERE = (43.0500, -87.9300)


def placed_concerns(
    count: int, around: tuple[float, float] = CORNER, days_ago: float = 5, **fields: object
) -> list:
    """Concerns already located within ~40 m of a point."""
    lat, lon = around
    return [
        ConcernFactory(
            lat=lat + 0.0001 * (i % 4),
            lon=lon + 0.0001 * (i // 4 % 4),
            status=ConcernStatus.OPEN,
            geocode_status=GeocodeStatus.LOCATED,
            location_kind=LocationKind.ADDRESS,
            location_label="3500 W Center St",
            reported_at=utcnow() - timedelta(days=days_ago, minutes=i),
            **fields,
        )
        for i in range(count)
    ]
