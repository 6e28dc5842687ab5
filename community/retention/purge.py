"""Residents' data removed on time, or at once on request; counts, places and timelines stay.

What a resident gave us is kept while their case needs it and for RETENTION_*_DAYS after it
closed: their phone number (the ciphertext, the lookup hash, the last four digits), the words of
their texts (message bodies emptied) and of their reports (the concern's text kept only in the
redacted form already published), and their photos (files and rows). What stays: concerns with
their category, place, status and case number; messages as rows (direction, status, segments:
the metrics); every Event. A purged resident can no longer be found by number, so one who texts
again is a new resident.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from community.extensions import db
from community.models import (
    Concern,
    ConcernStatus,
    Conversation,
    Event,
    EventKind,
    Message,
    MessageStatus,
    Photo,
    Resident,
    User,
    utcnow,
)
from community.redaction import public_text
from community.workflow import history

log = logging.getLogger(__name__)

# A case is over in these states; its resident's data then starts its retention period.
CLOSED = (
    ConcernStatus.RESOLVED,
    ConcernStatus.CLOSED,
    ConcernStatus.DUPLICATE,
    ConcernStatus.NOT_ACTIONABLE,
)
PURGED_PREFIX = "purged:"  # a purged resident's phone_hash: matches no HMAC of any number
BATCH = 500


@dataclass
class PurgeCounts:
    """What was (or, on a dry run, would be) removed, per kind."""

    phone_numbers: int = 0
    texts: int = 0
    reports: int = 0
    photos: int = 0
    photo_files: list[Path] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, int]:
        counts = asdict(self)
        counts.pop("photo_files")
        return counts

    def line(self) -> str:
        return ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in self.as_dict().items())


def _cutoff(setting: str, now: datetime) -> datetime:
    return now - timedelta(days=current_app.config[setting])


def _closed_before(cutoff: datetime) -> sa.ColumnElement[bool]:
    # updated_at moves with any later change: a case touched again keeps its data longer.
    return sa.and_(Concern.status.in_(CLOSED), Concern.updated_at < cutoff)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _empty_texts(
    ids: list[int], counts: PurgeCounts, dry_run: bool, with_media: bool = False
) -> None:
    """Message bodies emptied (and their photos too, with_media); the rows stay."""
    for chunk in _chunks(ids):
        for message in db.session.scalars(db.select(Message).where(Message.id.in_(chunk))):
            if message.body:
                counts.texts += 1
            if with_media:
                _drop_sms_media(message, counts, dry_run)
            if not dry_run:
                message.body = ""


def _drop_sms_media(message: Message, counts: PurgeCounts, dry_run: bool) -> None:
    from community.sms.media import media_folder

    files = [item["file"] for item in message.media or [] if item.get("file")]
    counts.photos += len(files)
    counts.photo_files += [media_folder() / name for name in files]
    if not dry_run and message.media is not None:
        message.media = None  # the Twilio URLs go too: they would fetch the photo again


def _drop_web_photos(concern_ids: list[int], counts: PurgeCounts, dry_run: bool) -> None:
    from community.intake.photos import media_folder

    for chunk in _chunks(concern_ids):
        for photo in db.session.scalars(db.select(Photo).where(Photo.concern_id.in_(chunk))):
            counts.photos += 1
            counts.photo_files.append(media_folder() / photo.file)
            if not dry_run:
                db.session.delete(photo)


def _forget_phone(resident: Resident) -> None:
    """No number, no ciphertext, no hash; never texted again (pending texts fail)."""
    resident.phone_encrypted = b""
    resident.phone_hash = f"{PURGED_PREFIX}{resident.id}"
    resident.phone_last4 = ""
    resident.undeliverable = True
    db.session.execute(
        db.update(Message)
        .where(
            Message.resident_id == resident.id,
            Message.status.in_((MessageStatus.PENDING, MessageStatus.SENDING)),
        )
        .values(status=MessageStatus.FAILED)
    )
    db.session.execute(
        db.update(Conversation)
        .where(Conversation.resident_id == resident.id)
        .values(context=None, state="idle", expires_at=None)
    )


def _remove_files(files: list[Path]) -> None:
    # After the commit: a failed transaction must never leave rows pointing at no file.
    for path in files:
        path.unlink(missing_ok=True)


def _not_yet(kind_filter: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    marked = sa.exists().where(
        Event.concern_id == Concern.id,
        Event.kind.in_((EventKind.DATA_PURGED, EventKind.DATA_ERASED)),
    )
    return sa.and_(kind_filter, ~marked)


def purge(now: datetime | None = None, dry_run: bool = False) -> PurgeCounts:
    """Remove every resident's data past its retention period (idempotent); the counts."""
    now = now or utcnow()
    counts = PurgeCounts()
    text_cutoff = _cutoff("RETENTION_TEXT_DAYS", now)
    photo_cutoff = _cutoff("RETENTION_PHOTO_DAYS", now)
    phone_cutoff = _cutoff("RETENTION_PHONE_DAYS", now)

    # Everything due is chosen before anything changes, so one kind's removal never hides
    # another's from this run.
    reports = db.session.scalars(
        db.select(Concern.id).where(_not_yet(_closed_before(text_cutoff))).order_by(Concern.id)
    ).all()
    # Texts: of cases closed long enough, and texts about no case at all (HELP, STATUS).
    closed_long = db.select(Concern.id).where(_closed_before(text_cutoff))
    texts = db.session.scalars(
        db.select(Message.id).where(
            Message.body != "",
            Message.created_at < text_cutoff,
            sa.or_(Message.concern_id.is_(None), Message.concern_id.in_(closed_long)),
        )
    ).all()
    photo_concerns = db.select(Concern.id).where(_closed_before(photo_cutoff))
    with_media = db.session.scalars(
        db.select(Message.id).where(
            Message.media.is_not(None),
            Message.created_at < photo_cutoff,
            sa.or_(Message.concern_id.is_(None), Message.concern_id.in_(photo_concerns)),
        )
    ).all()
    photo_owners = db.session.scalars(
        db.select(Photo.concern_id).where(Photo.concern_id.in_(photo_concerns)).distinct()
    ).all()
    residents = db.session.scalars(_phones_past(phone_cutoff)).all()

    for chunk in _chunks(list(reports)):
        _redact(chunk, counts, dry_run)
        if not dry_run:
            for concern_id in chunk:
                history.record(
                    EventKind.DATA_PURGED,
                    None,
                    concern_id=concern_id,
                    reason="retention period over",
                )
    _empty_texts(list(texts), counts, dry_run)
    for chunk in _chunks(list(with_media)):
        for message in db.session.scalars(db.select(Message).where(Message.id.in_(chunk))):
            _drop_sms_media(message, counts, dry_run)
    _drop_web_photos(list(photo_owners), counts, dry_run)
    for resident in residents:
        counts.phone_numbers += 1
        if not dry_run:
            _forget_phone(resident)

    if dry_run:
        db.session.rollback()
        return counts
    db.session.commit()
    _remove_files(counts.photo_files)
    log.info("purge of residents' data past retention: %s", counts.line())
    return counts


def _redact(concern_ids: list[int], counts: PurgeCounts, dry_run: bool) -> None:
    """Concern texts reduced to their published, redacted form (its closing time unmoved)."""
    rows = db.session.execute(
        db.select(
            Concern.id, Concern.text, Concern.location_text, Concern.occurred_text, Concern.language
        ).where(Concern.id.in_(concern_ids))
    ).all()
    for concern_id, text, where, when, language in rows:
        counts.reports += 1
        if dry_run:
            continue
        language = language or "en"
        db.session.execute(
            db.update(Concern)
            .where(Concern.id == concern_id)
            .values(
                text=public_text(text, language=language),
                location_text=public_text(where, language=language) if where else where,
                occurred_text=public_text(when, language=language) if when else when,
                # updated_at is when the case last changed: photos' retention counts from it.
                updated_at=Concern.updated_at,
            )
            .execution_options(synchronize_session=False)
        )


def _phones_past(cutoff: datetime) -> sa.Select:
    """Residents whose every case closed before the cutoff and who have not texted since."""
    still_needed = sa.exists().where(
        Concern.resident_id == Resident.id,
        sa.or_(Concern.status.not_in(CLOSED), Concern.updated_at >= cutoff),
    )
    texted_since = sa.exists().where(
        Message.resident_id == Resident.id, Message.created_at >= cutoff
    )
    return db.select(Resident).where(
        Resident.phone_hash.not_like(f"{PURGED_PREFIX}%"),
        Resident.created_at < cutoff,
        ~still_needed,
        ~texted_since,
    )


def find_resident(phone: str) -> Resident | None:
    """The resident with this number (any format), or None; ValueError if not a number."""
    from community.privacy import PhoneVault, normalize_phone

    digest = PhoneVault.from_config(current_app.config).lookup_hash(normalize_phone(phone))
    return db.session.scalar(db.select(Resident).filter_by(phone_hash=digest))


def erase_resident(resident: Resident, actor: User | str | None) -> PurgeCounts:
    """Everything of one resident removed now, open cases too (they keep category, place and
    the redacted words); one Event per case records it, never the number."""
    counts = PurgeCounts()
    concern_ids = list(
        db.session.scalars(db.select(Concern.id).where(Concern.resident_id == resident.id))
    )
    for chunk in _chunks(concern_ids):
        _redact(chunk, counts, dry_run=False)
    messages = db.session.scalars(
        db.select(Message.id).where(
            sa.or_(
                Message.resident_id == resident.id,
                Message.concern_id.in_(concern_ids) if concern_ids else sa.false(),
            )
        )
    ).all()
    _empty_texts(list(messages), counts, dry_run=False, with_media=True)
    _drop_web_photos(concern_ids, counts, dry_run=False)
    _forget_phone(resident)
    counts.phone_numbers = 1
    for concern_id in concern_ids:
        history.record(
            EventKind.DATA_ERASED,
            actor,
            concern_id=concern_id,
            reason="the resident's data erased at their request",
            data=counts.as_dict(),
        )
    db.session.commit()
    _remove_files(counts.photo_files)
    log.info("resident %s erased on request: %s", resident.id, counts.line())
    return counts
