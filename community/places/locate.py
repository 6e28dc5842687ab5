"""The locate service: from a concern's words to a place, its areas and an open status."""

from __future__ import annotations

from flask import current_app

from community.extensions import db
from community.geo.place import Place
from community.models import Concern, ConcernStatus, EventKind, GeocodeStatus, LocationKind, utcnow
from community.places.areas import area_ids
from community.places.city import area_locator, current_city, geocoder
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
    # Locked: an inline request and a sweep must not both place (and log) the same concern.
    concern = db.session.get(Concern, concern_id, with_for_update=True)
    if concern is None or concern.geocode_status != GeocodeStatus.PENDING:
        return False
    place = best_place(concern.location_text, concern.text)
    if not place.found or place.confidence < current_app.config["LOCATE_MIN_CONFIDENCE"]:
        _mark_unplaced(concern, place)
        db.session.commit()
        return False
    place_concern(concern, place, actor=None)
    db.session.commit()
    return True


def best_place(location_text: str | None, text: str | None) -> Place:
    """The place in the "where" field, else in the description; the surer of the two."""
    backend = geocoder()
    candidates = [backend.geocode(words) for words in (location_text, text) if words]
    found = [p for p in candidates if p.found]
    if not found:
        return candidates[0] if candidates else Place.none()
    return max(found, key=lambda p: p.confidence)


def place_concern(concern: Concern, place: Place, actor: object = None) -> None:
    """Set a concern's place and areas and open it (also used when staff place it by hand)."""
    concern.lat, concern.lon = place.lat, place.lon
    concern.location_kind = LocationKind(place.kind)
    concern.location_label = place.label
    concern.location_confidence = place.confidence
    concern.geocode_status = GeocodeStatus.LOCATED
    concern.located_at = utcnow()
    concern.clustered_at = None  # the next recluster must consider it
    codes = place.areas or area_locator().locate(place.lon, place.lat)
    ids = area_ids(current_city().slug)
    for kind_name, column in AREA_COLUMNS.items():
        code = codes.get(kind_name)
        setattr(concern, column, ids.get((kind_name, code)) if code else None)
    history.record(
        EventKind.LOCATED,
        actor,
        concern_id=concern.id,
        data={"kind": place.kind, "label": place.label, "confidence": round(place.confidence, 3)},
    )
    transition_concern(concern, ConcernStatus.OPEN, actor, f"located: {place.label}")


def _mark_unplaced(concern: Concern, place: Place) -> None:
    """No place, or only a guess: staff place it; the guess and its alternatives are kept."""
    concern.geocode_status = GeocodeStatus.FAILED
    guesses = [place, *place.alternatives] if place.found else []
    history.record(
        EventKind.LOCATION_FAILED,
        None,
        concern_id=concern.id,
        data={"suggestions": [g.to_dict(with_alternatives=False) for g in guesses[:5]]},
    )
    transition_concern(concern, ConcernStatus.NEEDS_LOCATION, None, "no place found in the text")
