"""Sending texts to residents and recording what Twilio says happened to them."""

from __future__ import annotations

import functools
import logging
import os
from datetime import timedelta

from flask import current_app

from community.extensions import db
from community.models import Message, MessageDirection, MessageStatus, Resident, utcnow
from community.privacy import PhoneVault
from community.sms.gateway import SendResult, SmsGateway
from community.sms.segments import segments

log = logging.getLogger(__name__)

# Status callbacks may arrive out of order: a status only ever moves forward.
RANK = {
    MessageStatus.PENDING: 0,
    MessageStatus.SENDING: 0,
    MessageStatus.QUEUED: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.UNDELIVERED: 3,
    MessageStatus.FAILED: 3,
}
OPTED_OUT_ERROR = 21610
# Carrier says the number is gone or cannot take texts (30003, a phone switched off, may pass).
NO_SUCH_HANDSET = frozenset({30005, 30006})


class TransientSendError(RuntimeError):
    """Twilio could not take the text right now; the job retries later."""


def send_text(
    resident: Resident,
    body: str,
    *,
    purpose: str,
    concern_id: int | None = None,
    hotspot_id: int | None = None,
) -> Message | None:
    """Send a text to a resident and record it; nothing at all after they opted out."""
    message = record_text(
        resident, body, purpose=purpose, concern_id=concern_id, hotspot_id=hotspot_id
    )
    if message is not None:
        deliver(message)
    return message


def record_text(
    resident: Resident,
    body: str,
    *,
    purpose: str,
    concern_id: int | None = None,
    hotspot_id: int | None = None,
) -> Message | None:
    """Record a text to send (pending), committed; None when the resident gets no texts."""
    if resident.opted_out or resident.undeliverable:
        return None
    message = Message(
        resident=resident,
        direction=MessageDirection.OUTBOUND,
        body=body,
        status=MessageStatus.PENDING,
        concern_id=concern_id,
        hotspot_id=hotspot_id,
        purpose=purpose,
        segments=segments(body),
    )
    db.session.add(message)
    db.session.commit()  # recorded before it leaves: a crash never sends twice unrecorded
    return message


def deliver(message: Message) -> None:
    """Hand a pending outbound text to Twilio; TransientSendError when a retry is due."""
    if not _claim(message):
        return  # sent already, or another worker is sending it right now
    resident = hold(message.resident_id)
    confirmation = message.purpose == "opt_out_confirmation"  # the one text after PARAR
    if resident.undeliverable or (resident.opted_out and not confirmation):
        message.status = MessageStatus.FAILED  # never sent: they opted out meanwhile
        db.session.commit()
        return
    phone = PhoneVault.from_config(current_app.config).decrypt(resident.phone_encrypted)
    result = gateway().send(phone, message.body, status_callback=_status_callback_url())
    message.twilio_sid, message.error_code = result.sid, result.error_code
    message.status = MessageStatus.PENDING if result.transient else MessageStatus(result.status)
    _learn_from(result, resident)
    db.session.commit()
    if result.transient:
        raise TransientSendError(f"message {message.id} not accepted by Twilio yet")


def reconcile_stuck(older_than_s: float) -> int:
    """Texts a process left "sending" (it died between claiming and recording): ask Twilio.

    Twilio has it: record its SID (sent once, never again). Twilio has none: back to
    pending, for the sweep to send. Twilio unreachable: ask again at the next sweep.
    """
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    stuck = db.session.scalars(
        db.select(Message).where(
            Message.status == MessageStatus.SENDING, Message.updated_at < cutoff
        )
    ).all()
    vault = PhoneVault.from_config(current_app.config)
    settled = 0
    for message in stuck:
        phone = vault.decrypt(message.resident.phone_encrypted)
        since = message.created_at - timedelta(minutes=5)
        sids = gateway().find_sent(phone, message.body, since)
        if sids is None:
            continue
        # The same words may have gone to this number before ("Tell us what is happening"):
        # only a SID no other text of ours holds can be this one.
        found = next((sid for sid in sids if not _recorded(sid)), None)
        if found:
            message.twilio_sid, message.status = found, MessageStatus.QUEUED
        else:
            message.status = MessageStatus.PENDING
        db.session.commit()
        settled += 1
        log.warning(
            "text %s was left sending; Twilio %s", message.id, "had it" if found else "did not"
        )
    return settled


def _recorded(sid: str) -> bool:
    return db.session.scalar(db.select(Message.id).filter_by(twilio_sid=sid)) is not None


def hold(resident_id: int) -> Resident:
    """The resident's row, fresh and locked until this text has left (or not).

    A STOP saved by the webhook takes the same lock: it waits for a text already on its way,
    and any text after it sees the opt-out. (SQLite has one writer at a time anyway.)
    """
    return db.session.scalar(
        db.select(Resident)
        .filter_by(id=resident_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


GATEWAY_SETTINGS = (
    "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER",
    "TWILIO_MESSAGING_SERVICE_SID", "TWILIO_API_BASE_URL", "TWILIO_TIMEOUT",
)  # fmt: skip


def gateway() -> SmsGateway:
    """The process's gateway for the current settings: one Twilio client, its connections reused."""
    settings = tuple((name, current_app.config.get(name)) for name in GATEWAY_SETTINGS)
    return _gateway_for(settings, os.getpid())  # a forked work-horse builds its own client


@functools.lru_cache(maxsize=4)
def _gateway_for(settings: tuple, pid: int) -> SmsGateway:
    return SmsGateway.from_config(dict(settings))


def _claim(message: Message) -> bool:
    """Take the text for this process alone: two workers never send the same text."""
    claimed = db.session.execute(
        db.update(Message)
        .where(Message.id == message.id, Message.status == MessageStatus.PENDING)
        .values(status=MessageStatus.SENDING)
    ).rowcount
    db.session.commit()
    db.session.refresh(message)
    return claimed == 1


def _learn_from(result: SendResult, resident: Resident) -> None:
    if result.opted_out:
        resident.opted_out, resident.opted_out_at = True, utcnow()
    if result.invalid_number:
        resident.undeliverable = True


def _status_callback_url() -> str | None:
    base = current_app.config.get("PUBLIC_BASE_URL")
    return f"{base.rstrip('/')}/sms/status" if base else None


def record_status(sid: str, status: str, error_code: str | None) -> None:
    """Apply a delivery status callback; unknown SIDs and backward moves are ignored."""
    message = db.session.scalar(db.select(Message).filter_by(twilio_sid=sid[:64]))
    try:
        new = MessageStatus(status)
    except ValueError:
        return
    if message is None or new not in RANK or RANK[new] <= RANK.get(message.status, 0):
        return  # unknown, or not forward (a final status never changes)
    message.status = new
    if error_code and error_code.isdigit():
        message.error_code = int(error_code)
        if message.error_code == OPTED_OUT_ERROR:
            message.resident.opted_out = True
            message.resident.opted_out_at = utcnow()
        elif message.error_code in NO_SUCH_HANDSET:
            message.resident.undeliverable = True  # stop trying; staff see why
    db.session.commit()
