"""Status texts: every resident linked to a hotspot's concerns hears when it is assigned or resolved.

Who is owed is fixed when staff act (the notice's concerns), not when the job runs: a
re-cluster in between may move a concern or merge the hotspot away. At most one text of each
kind per resident per hotspot per day; opted-out residents get nothing.
"""

from __future__ import annotations

from datetime import timedelta

from flask import render_template

from community.extensions import db
from community.models import (
    Concern,
    Hotspot,
    Message,
    MessageDirection,
    MessageStatus,
    Notice,
    Resident,
    utcnow,
)
from community.sms.delivery import TransientSendError, deliver, hold, record_text

KINDS = ("assigned", "resolved")


def notify_hotspot(hotspot_id: int, kind: str) -> int:
    """Text every reporter owed this hotspot's news; returns how many were sent."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification {kind!r}")
    notices = _open_notices(hotspot_id, kind)
    hotspot = db.session.get(Hotspot, hotspot_id)
    if hotspot is None:
        _done(notices)
        return 0
    sent, transient = 0, False
    told: set[int] = set()
    for concern in _owed_concerns(hotspot, notices):
        resident = concern.resident
        if resident is None or resident.id in told:
            continue  # one text per resident per hotspot, about their first case there
        told.add(resident.id)
        message = _text_for(resident, hotspot, concern, kind)
        if message is None:
            continue
        try:
            deliver(message)
            sent += 1
        except TransientSendError:
            transient = True  # recorded as failed; the job retries and skips those told
    if transient:
        raise TransientSendError(f"some status texts for hotspot {hotspot_id} must be retried")
    _done(notices)
    return sent


def _text_for(resident: Resident, hotspot: Hotspot, concern: Concern, kind: str) -> Message | None:
    """The text this resident is owed (recorded now, or still pending), or None.

    Checked and recorded under the resident's row lock: a job runs at least once, so two
    runs of it (a retry racing a sweep) must still send one text.
    """
    resident = hold(resident.id)
    if resident.opted_out:
        db.session.commit()
        return None
    # One query, one snapshot: read separately, "told?" and "pending?" could straddle another
    # run moving its text from pending to sending, and both runs would send.
    earlier = _earlier_texts(resident, hotspot.id, kind)
    if earlier:
        db.session.commit()
        pending = [m for m in earlier if m.status == MessageStatus.PENDING]
        told = len(pending) < len(earlier)
        return None if told else pending[0]  # a retry: recorded, not yet accepted by Twilio
    return record_text(
        resident,
        _body(hotspot, concern, kind),
        purpose=f"status_{kind}",
        concern_id=concern.id,
        hotspot_id=hotspot.id,
    )


def _open_notices(hotspot_id: int, kind: str) -> list[Notice]:
    return list(
        db.session.scalars(
            db.select(Notice).where(
                Notice.hotspot_id == hotspot_id, Notice.kind == kind, Notice.done_at.is_(None)
            )
        )
    )


def _owed_concerns(hotspot: Hotspot, notices: list[Notice]) -> list[Concern]:
    """The concerns in the hotspot when staff acted (its open notices), oldest first."""
    ids = {i for notice in notices if notice.concern_ids for i in notice.concern_ids}
    if not ids:  # a notice from before snapshots were kept, or called directly
        return sorted(hotspot.concerns, key=lambda c: c.id)
    return list(
        db.session.scalars(db.select(Concern).where(Concern.id.in_(ids)).order_by(Concern.id))
    )


def owed_notices() -> list[tuple[int, str]]:
    """(hotspot id, kind) of every notification not yet carried out (the outbox)."""
    rows = db.session.execute(
        db.select(Notice.hotspot_id, Notice.kind).where(Notice.done_at.is_(None)).distinct()
    )
    return [(hotspot_id, kind) for hotspot_id, kind in rows]


def _done(notices: list[Notice]) -> None:
    """Close the notices this run carried out (a newer one, made meanwhile, stays open)."""
    ids = [notice.id for notice in notices]
    if ids:
        db.session.execute(db.update(Notice).where(Notice.id.in_(ids)).values(done_at=utcnow()))
    db.session.commit()


def _earlier_texts(resident: Resident, hotspot_id: int, kind: str) -> list[Message]:
    """Texts of this kind to this resident about this hotspot today (not the failed ones)."""
    since = utcnow() - timedelta(days=1)
    return list(
        db.session.scalars(
            db.select(Message)
            .where(
                Message.resident_id == resident.id,
                Message.hotspot_id == hotspot_id,
                Message.direction == MessageDirection.OUTBOUND,
                Message.purpose == f"status_{kind}",
                Message.status.not_in([MessageStatus.FAILED, MessageStatus.UNDELIVERED]),
                Message.created_at >= since,
            )
            .order_by(Message.id)
        )
    )


def _body(hotspot: Hotspot, concern: Concern, kind: str) -> str:
    language = concern.resident.language
    lead = hotspot.lead
    values = {
        "case_number": concern.case_number,
        "agency": lead.agency.name if lead else "",
        "outcome": "",
    }
    return render_template(f"sms/{language}/status_{kind}.txt", **values).strip()
