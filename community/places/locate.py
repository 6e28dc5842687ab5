"""The locate service: from a concern's words to a place, its areas and an open status."""

from __future__ import annotations

from community.extensions import db
from community.geo.geocoder import geocode
from community.models import Concern, ConcernStatus, EventKind, GeocodeStatus, LocationKind, utcnow
from community.places.areas import area_ids
from community.places.city import area_locator, current_city
from community.workflow import history
from community.workflow.service import transition_concern

AREA_COLUMNS = {
    "neighborhood": "neighborhood_id",
    "aldermanic_district": "aldermanic_district_id",
    "ward": "ward_id",
    "police_district": "police_district_id",
}


def locate_concern(concern_id: int) -> bool:
    """Geocode a pending concern; True when it was placed. Re-running is a no-op."""
    concern = db.session.get(Concern, concern_id)
    if concern is None or concern.geocode_status != GeocodeStatus.PENDING:
        return False
    city = current_city()
    words = " ".join(filter(None, [concern.location_text, concern.text]))
    place = geocode(city, words)
    if place.kind == "none" or place.lat is None:
        _mark_unplaced(concern)
        db.session.commit()
        return False
    place_concern(
        concern,
        place.lat,
        place.lon,
        LocationKind(place.kind),
        place.label,
        place.confidence,
        actor=None,
    )
    db.session.commit()
    return True


def place_concern(
    concern: Concern,
    lat: float,
    lon: float,
    kind: LocationKind,
    label: str | None,
    confidence: float,
    actor: object = None,
) -> None:
    """Set a concern's place and areas and open it (also used when staff place it by hand)."""
    city = current_city()
    concern.lat, concern.lon = lat, lon
    concern.location_kind, concern.location_label = kind, label
    concern.location_confidence = confidence
    concern.geocode_status = GeocodeStatus.LOCATED
    concern.located_at = utcnow()
    concern.clustered_at = None  # the next recluster must consider it
    ids = area_ids(city.slug)
    codes = area_locator().locate(lon, lat)
    for kind_name, column in AREA_COLUMNS.items():
        code = codes.get(kind_name)
        setattr(concern, column, ids.get((kind_name, code)) if code else None)
    history.record(
        EventKind.LOCATED,
        actor,
        concern_id=concern.id,
        data={"kind": str(kind), "label": label, "confidence": round(confidence, 3)},
    )
    transition_concern(concern, ConcernStatus.OPEN, actor, f"located: {label}")


def _mark_unplaced(concern: Concern) -> None:
    concern.geocode_status = GeocodeStatus.FAILED
    history.record(EventKind.LOCATION_FAILED, None, concern_id=concern.id)
    transition_concern(concern, ConcernStatus.NEEDS_LOCATION, None, "no place found in the text")
