"""What neighbours already reported near a place: active hotspots and recent open concerns.

Shown before a resident sends a report (as FixMyStreet shows possible duplicates), so a new
report joins the problem already being worked. Only counts, categories, statuses and the
hotspots' own labels (house numbers generalised to the block) are shown: never residents'
words, never who reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app

from community.extensions import db
from community.geo.distance import degree_box
from community.geo.distance import metres as distance_m
from community.models import Category, Concern, ConcernStatus, Hotspot, utcnow
from community.redaction import redact_house_numbers
from community.status.labels import hotspot_status_label
from community.workflow.states import HOTSPOT_ACTIVE

OPEN_CONCERNS = (ConcernStatus.NEW, ConcernStatus.OPEN)


@dataclass(frozen=True)
class NearbyHotspot:
    """An active hotspot near the place, as the public may see it."""

    label: str
    status: str
    status_label: str
    concern_count: int
    distance_m: float


@dataclass(frozen=True)
class Nearby:
    """Open problems of the same kind near a place."""

    category: Category
    concern_count: int
    days: int
    radius_m: float
    hotspots: list[NearbyHotspot] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return self.concern_count > 0 or bool(self.hotspots)

    def to_dict(self, lang: str) -> dict:
        return {
            "category": self.category.code,
            "category_label": self.category.name(lang),
            "concern_count": self.concern_count,
            "days": self.days,
            "radius_m": self.radius_m,
            "hotspots": [
                {
                    "label": h.label,
                    "status": h.status,
                    "status_label": h.status_label,
                    "concern_count": h.concern_count,
                    "distance_m": round(h.distance_m),
                }
                for h in self.hotspots
            ],
        }


def nearby(lat: float, lon: float, category: Category, language: str = "en") -> Nearby:
    """Active hotspots and open concerns of the category's group within NEARBY_RADIUS_M."""
    radius = float(current_app.config["NEARBY_RADIUS_M"])
    days = int(current_app.config["NEARBY_DAYS"])
    box = _bounding_box(lat, lon, radius)
    group_ids = db.select(Category.id).filter_by(group=category.group)
    hotspots = db.session.scalars(
        db.select(Hotspot).where(
            Hotspot.status.in_(HOTSPOT_ACTIVE),
            Hotspot.category_id.in_(group_ids),
            Hotspot.centroid_lat.between(box[0], box[2]),
            Hotspot.centroid_lon.between(box[1], box[3]),
        )
    )
    found = []
    for hotspot in hotspots:
        metres = distance_m(lat, lon, hotspot.centroid_lat, hotspot.centroid_lon)
        if metres <= radius:
            found.append(
                NearbyHotspot(
                    label=redact_house_numbers(hotspot.label, language=language),
                    status=str(hotspot.status),
                    status_label=hotspot_status_label(hotspot.status),
                    concern_count=hotspot.concern_count,
                    distance_m=metres,
                )
            )
    found.sort(key=lambda h: h.distance_m)
    points = db.session.execute(
        db.select(Concern.lat, Concern.lon).where(
            Concern.status.in_(OPEN_CONCERNS),
            Concern.category_id.in_(group_ids),
            Concern.reported_at >= utcnow() - timedelta(days=days),
            Concern.lat.between(box[0], box[2]),
            Concern.lon.between(box[1], box[3]),
        )
    )
    count = sum(1 for c_lat, c_lon in points if distance_m(lat, lon, c_lat, c_lon) <= radius)
    return Nearby(
        category=category, concern_count=count, days=days, radius_m=radius, hotspots=found[:3]
    )


def _bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min lat, min lon, max lat, max lon) around a point: the index narrows, haversine decides."""
    dlat, dlon = degree_box(lat, radius_m)
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon
