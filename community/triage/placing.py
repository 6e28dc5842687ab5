"""Concerns the geocoder could not place: the queue, and placing one by a click on the map."""

from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from community import jobs
from community.extensions import db
from community.geo.place import Place
from community.hotspots.incremental import join_nearest
from community.models import Concern, ConcernStatus, Event, EventKind, LocationKind, User
from community.places.city import geocoder
from community.places.locate import place_concern

QUEUE_SIZE = 50


class PlacingError(ValueError):
    """Why a concern was not placed; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Unplaced:
    """A concern waiting for staff to place it, with the geocoder's guesses."""

    concern: Concern
    guesses: list[dict]


def location_queue(limit: int = QUEUE_SIZE) -> tuple[list[Unplaced], int]:
    """The oldest concerns that need a location (up to `limit`), and how many there are."""
    waiting = Concern.status == ConcernStatus.NEEDS_LOCATION
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Concern).where(waiting))
    concerns = db.session.scalars(
        sa.select(Concern).where(waiting).order_by(Concern.reported_at, Concern.id).limit(limit)
    ).all()
    return [Unplaced(c, _guesses(c.id)) for c in concerns], total


def _guesses(concern_id: int) -> list[dict]:
    event = db.session.scalar(
        sa.select(Event)
        .where(Event.concern_id == concern_id, Event.kind == EventKind.LOCATION_FAILED)
        .order_by(Event.id.desc())
        .limit(1)
    )
    data = (event.data if event is not None else None) or {}
    return [g for g in data.get("suggestions", []) if g.get("lat") is not None][:3]


def parse_point(lat_text: str, lon_text: str) -> tuple[float, float]:
    """Latitude and longitude from a form; PlacingError when missing or not numbers."""
    if not (lat_text or "").strip() or not (lon_text or "").strip():
        raise PlacingError("Click the map where the concern is (no point was chosen).")
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise PlacingError("Latitude and longitude must be numbers.") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise PlacingError("That point is not on the map (latitude -90..90, longitude -180..180).")
    return lat, lon


def place_by_hand(concern_id: int, lat: float, lon: float, actor: User) -> Concern:
    """Place a waiting concern where staff clicked, open it, and let it join a hotspot."""
    concern = db.session.get(Concern, concern_id, with_for_update=True)
    if concern is None:
        raise PlacingError("No such concern.", 404)
    if concern.status != ConcernStatus.NEEDS_LOCATION:
        raise PlacingError(
            f"Concern {concern.case_number} no longer needs a location "
            f"(it is {concern.status.replace('_', ' ')}); nothing was changed.",
            409,
        )
    named = geocoder().reverse(lon, lat)
    if not named.found:
        raise PlacingError("That point is outside the city; click inside the city limits.")
    place = Place(
        kind="map",  # a person chose the point: kept as clicked
        lat=lat,
        lon=lon,
        label=named.label,
        confidence=1.0,
        areas=named.areas,
        in_city=True,
    )
    place_concern(concern, place, actor=actor)
    concern.location_kind = LocationKind.MAP
    db.session.commit()
    join_nearest(concern.id)
    jobs.enqueue("recluster", delay=current_app.config["CLUSTER_DEBOUNCE_S"])
    return concern
