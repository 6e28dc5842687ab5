"""Creating a concern: validated, saved in one transaction, then a locate job is owed."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy.exc import IntegrityError

from community.casenumber import new_case_number
from community.extensions import db
from community.models import (
    Category,
    Concern,
    ConcernSource,
    EventKind,
    Resident,
)
from community.places.city import current_city
from community.privacy import PhoneVault, normalize_phone
from community.workflow import history

CASE_NUMBER_ATTEMPTS = 8


class IntakeError(ValueError):
    """Input a resident must fix; `field` names the form field, the message says how."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


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


def clean_text(value: str | None, limit: int) -> str:
    """Trimmed text without control characters (kept: newlines and tabs)."""
    text = "".join(ch for ch in (value or "") if ch in "\n\t" or ch.isprintable()).strip()
    return text[:limit]


def submit_concern(data: ConcernInput) -> Concern:
    """Validate and save a concern with a fresh case number; raises IntakeError on bad input.

    A delivery whose intake_key was seen before returns the concern it made the first time.
    """
    already = _by_intake_key(data.intake_key)
    if already is not None:
        return already
    limit = current_app.config["CONCERN_TEXT_MAX"]
    text = clean_text(data.text, limit + 1)
    if not text:
        raise IntakeError("text", "Tell us what is happening.")
    if len(text) > limit:
        raise IntakeError("text", f"Please keep the description under {limit} characters.")
    category = db.session.scalar(
        db.select(Category).filter_by(code=data.category_code, active=True)
    )
    if category is None:
        raise IntakeError("category", "Choose what kind of problem this is.")
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
            already = _by_intake_key(data.intake_key)
            if already is not None:  # the same delivery, saved by a concurrent request
                return already
            if _case_taken(concern.case_number):
                continue  # case number collision: draw another
            raise
        history.record(
            EventKind.CREATED, "resident", concern_id=concern.id, data={"source": str(data.source)}
        )
        db.session.commit()
        return concern
    db.session.rollback()
    raise RuntimeError("could not draw a free case number")


def _by_intake_key(key: str | None) -> Concern | None:
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
        raise IntakeError("phone", str(exc)) from exc
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
