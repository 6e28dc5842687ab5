"""POST requests: a client's report becomes a concern through the same intake as the web form.

Everything is checked before anything is saved (a refused request leaves no row): the service
code, the description's length, the attributes, the media URL, and the location, which must be
a point inside the city or an address_string our geocoder can place there. The concern is then
created by intake.submit_concern and placed at once with the place already found.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.datastructures import MultiDict

from community.extensions import db
from community.geo.place import Place
from community.intake.service import ConcernInput, IntakeError, submit_concern
from community.jobs import enqueue
from community.models import ApiKey, Category, Concern, ConcernSource, EventKind
from community.open311.catalog import ATTRIBUTE_CODES, LANGUAGES, OCCURRED_MAX, category_for
from community.open311.errors import Open311Error
from community.open311.serialize import MEDIA_KEY
from community.places.city import geocoder
from community.workflow import history

DESCRIPTION_MAX = 4000  # the specification's limit; CONCERN_TEXT_MAX may be lower
MEDIA_URL_MAX = 1000
IDEMPOTENCY_KEY_MAX = 200
TOKEN_PREFIX = "open311:"  # noqa: S105 - a namespace for intake keys, not a secret


@dataclass(frozen=True)
class Located:
    """Where a request is, and the words it came from (if any)."""

    place: Place
    location_text: str | None
    on_map: bool = False  # a point the client's user chose, kept as given


def _attributes(form: MultiDict) -> dict[str, str]:
    attributes = {}
    for name, value in form.items():
        if name.startswith("attribute[") and name.endswith("]"):
            code = name[len("attribute[") : -1]
            if code not in ATTRIBUTE_CODES:
                raise Open311Error(400, f"attribute[{code}] is not an attribute of this service.")
            attributes[code] = value.strip()
    language = attributes.get("language")
    if language and language not in LANGUAGES:
        raise Open311Error(400, "attribute[language] must be one of: " + ", ".join(LANGUAGES))
    if len(attributes.get("occurred", "")) > OCCURRED_MAX:
        raise Open311Error(400, f"attribute[occurred] must be at most {OCCURRED_MAX} characters.")
    return attributes


def _coordinate(form: MultiDict, name: str, limit: float) -> float:
    raw = form.get(name, "").strip()
    try:
        value = float(raw)
    except ValueError:
        raise Open311Error(400, f"{name} must be a number in WGS84 degrees, got {raw!r}.") from None
    if not -limit <= value <= limit:
        raise Open311Error(400, f"{name} must be between -{limit:g} and {limit:g}.")
    return value


def _outside() -> Open311Error:
    return Open311Error(400, "The location is outside the city; this service covers the city only.")


def locate(form: MultiDict) -> Located:
    """The place of a request from lat/long or address_string; Open311Error 400 otherwise."""
    address = (form.get("address_string") or "").strip()[:300] or None
    has_lat, has_long = bool(form.get("lat", "").strip()), bool(form.get("long", "").strip())
    if has_lat != has_long:
        raise Open311Error(400, "Send both lat and long, or an address_string.")
    if has_lat:
        lat, lon = _coordinate(form, "lat", 90), _coordinate(form, "long", 180)
        named = geocoder().reverse(lon, lat)
        if not named.found:
            raise _outside()
        place = replace(named, lat=lat, lon=lon, confidence=1.0, alternatives=())
        return Located(place, address, on_map=True)
    if address:
        place = geocoder().geocode(address)
        if not place.found:
            raise Open311Error(400, f"address_string {address!r} could not be placed in the city.")
        if place.in_city is False:
            raise _outside()
        if place.confidence < current_app.config["LOCATE_MIN_CONFIDENCE"]:
            guesses = "; ".join(p.label for p in (place, *place.alternatives)[:3])
            raise Open311Error(
                400,
                f"address_string {address!r} could not be placed exactly (perhaps: {guesses}). "
                "Send a house number and street, a corner, or lat and long.",
            )
        return Located(place, address)
    if form.get("address_id", "").strip():
        raise Open311Error(
            400, "address_id is not supported here: send lat and long or address_string."
        )
    raise Open311Error(400, "lat and long, or address_string, was not provided.")


def _media_url(form: MultiDict) -> str | None:
    url = (form.get("media_url") or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if len(url) > MEDIA_URL_MAX or parts.scheme not in ("http", "https") or not parts.netloc:
        raise Open311Error(
            400, f"media_url must be an http(s) URL of at most {MEDIA_URL_MAX} characters."
        )
    return url


def _token(key: ApiKey, idempotency_key: str | None) -> str:
    """A replayed request (same key, same Idempotency-Key) gets the same token and concern."""
    if not idempotency_key:
        return secrets.token_hex(16)
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        raise Open311Error(
            400, f"Idempotency-Key must be at most {IDEMPOTENCY_KEY_MAX} characters."
        )
    return hashlib.sha256(f"{key.id}:{idempotency_key}".encode()).hexdigest()[:32]


def create_request(
    form: MultiDict, key: ApiKey, idempotency_key: str | None = None
) -> list[dict[str, Any]]:
    """Create a concern from a POST; the specification's response (a one-element list)."""
    code = (form.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "service_code was not provided.")
    category = category_for(code)
    if category is None:
        raise Open311Error(400, f"service_code {code!r} was not found.")
    description = form.get("description") or ""
    if len(description) > DESCRIPTION_MAX:
        raise Open311Error(400, f"description must be at most {DESCRIPTION_MAX} characters.")
    attributes = _attributes(form)
    media_url = _media_url(form)
    token = _token(key, idempotency_key)
    located = locate(form)
    replayed = db.session.scalar(db.select(Concern).filter_by(intake_key=TOKEN_PREFIX + token))
    concern = replayed or _create(form, key, category, attributes, located, token)
    if replayed is None and media_url:
        actor = f"open311: {key.name}"[:80]
        history.record(EventKind.NOTE, actor, concern_id=concern.id, data={MEDIA_KEY: media_url})
    db.session.commit()  # the media note and the key's last use
    if replayed is None:
        enqueue("recluster")  # placed already: only the clustering is owed
    return [
        {
            "service_request_id": concern.case_number,
            "token": token,
            "service_notice": "Thank you. Staff review new reports every working day.",
            "account_id": None,
        }
    ]


def _create(
    form: MultiDict,
    key: ApiKey,
    category: Category,
    attributes: dict[str, str],
    located: Located,
    token: str,
) -> Concern:
    """The concern, created and placed in one transaction by the intake service."""
    language = attributes.get("language") or "en"
    description = (form.get("description") or "").strip()
    try:
        return submit_concern(
            ConcernInput(
                text=description or f"{category.name(language)} (reported through {key.name})",
                category_code=category.code,
                source=ConcernSource.OPEN311,
                location_text=located.location_text,
                language=language,
                phone=(form.get("phone") or "").strip() or None,
                occurred_text=attributes.get("occurred") or None,
                intake_key=TOKEN_PREFIX + token,
                place=located.place,
                placed_on_map=located.on_map,
            )
        )
    except IntakeError as error:
        name = {"text": "description", "category": "service_code"}.get(error.field, error.field)
        raise Open311Error(400, f"{name}: {error.message}") from None


def find_token(token: str) -> list[dict[str, Any]]:
    """GET tokens/{token}: the request a token became; Open311Error 404 when unknown."""
    concern = db.session.scalar(
        db.select(Concern).filter_by(intake_key=TOKEN_PREFIX + token.strip())
    )
    if concern is None:
        raise Open311Error(404, f"token {token!r} was not found.")
    return [{"service_request_id": concern.case_number, "token": token.strip()}]
