"""Creating a concern: validated, saved in one transaction, then a locate job is owed."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from community.casenumber import new_case_number
from community.extensions import db
from community.geo.place import Place
from community.intake.errors import IntakeError
from community.intake.photos import CleanPhoto, new_photo_name, write_photo
from community.models import (
    Category,
    Concern,
    ConcernSource,
    EventKind,
    LocationKind,
    Photo,
    Resident,
)
from community.places.city import current_city
from community.places.locate import place_concern
from community.privacy import PhoneVault, normalize_phone
from community.workflow import history

__all__ = ["ConcernInput", "IntakeError", "clean_text", "resident_for", "submit_concern"]

CASE_NUMBER_ATTEMPTS = 8


@dataclass(frozen=True)
class ConcernInput:
    """What a resident told us, from any channel."""

    text: str
    category_code: str
    source: ConcernSource
    location_text: str | None = None
    language: str = "en"
    phone: str | None = None
    occurred_text: str | None = None
    intake_key: str | None = None  # same key twice = the same delivery
    place: Place | None = None  # already placed (a chosen reading or a map tap): no locate job
    placed_on_map: bool = False  # the resident put the pin there themselves
    photo: CleanPhoto | None = None


def clean_text(value: str | None, limit: int) -> str:
    """Trimmed text without control characters (kept: newlines and tabs)."""
    text = "".join(ch for ch in (value or "") if ch in "\n\t" or ch.isprintable()).strip()
    return text[:limit]


def submit_concern(data: ConcernInput) -> Concern:
    """Validate and save a concern with a fresh case number; raises IntakeError on bad input.

    The concern, its history, its place and its photo are committed together or not at all.
    A delivery whose intake_key was seen before returns the concern it made the first time.
    """
    already = concern_for_key(data.intake_key)
    if already is not None:
        return already
    limit = current_app.config["CONCERN_TEXT_MAX"]
    text = clean_text(data.text, limit + 1)
    if not text:
        raise IntakeError("text", _l("Tell us what is happening."))
    if len(text) > limit:
        raise IntakeError(
            "text", _l("Please keep the description under %(limit)s characters.", limit=limit)
        )
    category = db.session.scalar(
        db.select(Category).filter_by(code=data.category_code, active=True)
    )
    if category is None:
        raise IntakeError("category", _l("Choose what kind of problem this is."))
    resident = resident_for(data.phone, data.language) if data.phone else None
    prefix = current_city().case_prefix
    for _ in range(CASE_NUMBER_ATTEMPTS):
        concern = Concern(
            case_number=new_case_number(prefix),
            text=text,
            location_text=clean_text(data.location_text, 300) or None,
            occurred_text=clean_text(data.occurred_text, 200) or None,
            category_id=category.id,
            source=data.source,
            language=data.language if data.language in ("en", "es") else "en",
            resident=resident,
            intake_key=data.intake_key,
        )
        try:
            with db.session.begin_nested():
                db.session.add(concern)
                db.session.flush()
        except IntegrityError:
            already = concern_for_key(data.intake_key)
            if already is not None:  # the same delivery, saved by a concurrent request
                return already
            if _case_taken(concern.case_number):
                continue  # case number collision: draw another
            raise
        history.record(
            EventKind.CREATED, "resident", concern_id=concern.id, data={"source": str(data.source)}
        )
        if data.place is not None and data.place.found:
            _place(concern, data.place, data.placed_on_map)
        _commit_with_photo(concern, data.photo)
        return concern
    db.session.rollback()
    raise RuntimeError("could not draw a free case number")


def _place(concern: Concern, place: Place, on_map: bool) -> None:
    place_concern(concern, place, actor="resident")
    if on_map:
        concern.location_kind = LocationKind.MAP


def _commit_with_photo(concern: Concern, photo: CleanPhoto | None) -> None:
    """Commit the concern; its photo's file is written first and removed if the commit fails."""
    if photo is None:
        db.session.commit()
        return
    name = new_photo_name()
    path = write_photo(name, photo)
    db.session.add(
        Photo(
            concern_id=concern.id,
            file=name,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            size_bytes=len(photo.data),
        )
    )
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def concern_for_key(key: str | None) -> Concern | None:
    """The concern an earlier delivery with this intake key made, if any."""
    if not key:
        return None
    return db.session.scalar(db.select(Concern).filter_by(intake_key=key))


def _case_taken(case_number: str) -> bool:
    return db.session.scalar(db.select(Concern.id).filter_by(case_number=case_number)) is not None


def resident_for(raw_phone: str, language: str) -> Resident:
    """The resident with this number, created if new (safe when two texts arrive at once)."""
    try:
        phone = normalize_phone(raw_phone)
    except ValueError as exc:
        raise IntakeError("phone", _l("Enter a phone number such as 414-555-0123.")) from exc
    vault = PhoneVault.from_config(current_app.config)
    digest = vault.lookup_hash(phone)
    resident = db.session.scalar(db.select(Resident).filter_by(phone_hash=digest))
    if resident is not None:
        return resident
    resident = Resident(
        phone_encrypted=vault.encrypt(phone),
        phone_hash=digest,
        phone_last4=phone[-4:],
        language=language,
    )
    try:
        with db.session.begin_nested():
            db.session.add(resident)
            db.session.flush()
    except IntegrityError:  # another request created this resident a moment ago
        resident = db.session.scalar(db.select(Resident).filter_by(phone_hash=digest))
    return resident
