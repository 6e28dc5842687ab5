"""SMS intake: persist the text first, run the conversation, carry out its effects, reply.

The webhook answers Twilio with TwiML in the same request; the only slow work (downloading MMS
photos) goes to a job. A re-delivered text (same MessageSid) gets the same reply and changes
nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy.exc import IntegrityError

from community.casenumber import new_case_number
from community.extensions import db
from community.geo.place import Place
from community.intake import conversation as talk
from community.intake.keywords import classify
from community.intake.service import IntakeError, resident_for
from community.models import (
    Category,
    Concern,
    ConcernSource,
    ConcernStatus,
    Conversation,
    EventKind,
    GeocodeStatus,
    Message,
    MessageDirection,
    MessageStatus,
    Resident,
    utcnow,
)
from community.places.city import current_city, geocoder
from community.places.locate import place_concern
from community.sms.delivery import deliver, hold
from community.sms.segments import segments, to_gsm
from community.workflow import history
from community.workflow.service import transition_concern
from community.workflow.states import can_transition

log = logging.getLogger(__name__)
CASE_NUMBER_ATTEMPTS = 8
OPT_OUT, OPT_IN = "opt_out", "opt_in"  # purpose of an inbound STOP / START, set on receipt
# How a case's status reads in a text, per language.
STATUS_WORDS = {
    "en": {
        "new": "received", "needs_location": "waiting for a location", "open": "open",
        "resolved": "resolved", "closed": "closed", "duplicate": "joined to another case",
        "not_actionable": "closed (no action possible)",
    },
    "es": {
        "new": "recibido", "needs_location": "esperando la ubicación", "open": "abierto",
        "resolved": "resuelto", "closed": "cerrado", "duplicate": "unido a otro caso",
        "not_actionable": "cerrado (sin acción posible)",
    },
}  # fmt: skip


@dataclass(frozen=True)
class InboundSms:
    """What Twilio posted about one inbound text."""

    sid: str
    sender: str
    body: str
    media: list[dict] = field(default_factory=list)  # [{"url": ..., "content_type": ...}]


@dataclass
class Outcome:
    """The reply to send (None: nothing) and work left for jobs."""

    reply: str | None
    fetch_media_for: int | None = None
    placed: bool = False  # a concern got a place: a recluster is owed


def queue_follow_ups(outcome: Outcome) -> None:
    """The slow work a processed text leaves: download its photos, recluster a placed concern."""
    from community.jobs import enqueue

    if outcome.fetch_media_for is not None:
        enqueue("fetch_media", outcome.fetch_media_for)
    if outcome.placed:
        enqueue("recluster")


def answer(inbound: Message) -> Outcome:
    """Run the conversation for a just-saved text; its reply goes back as TwiML."""
    outcome = process(inbound.id)
    deliver_pending_replies(inbound.resident_id)  # earlier texts a failure left unanswered
    return outcome


def deliver_pending_replies(resident_id: int) -> None:
    """Send the resident's recorded replies that have not left yet, oldest first."""
    pending = db.session.scalars(
        db.select(Message)
        .filter_by(resident_id=resident_id, status=MessageStatus.PENDING)
        .where(Message.in_reply_to_id.is_not(None))
        .order_by(Message.id)
    ).all()
    for reply in pending:
        deliver(reply)


def accept(sms: InboundSms) -> tuple[Message | None, str | None]:
    """Save a new text; (None, the earlier reply) for a re-delivery or a sender we ignore."""
    earlier = db.session.scalar(db.select(Message).filter_by(twilio_sid=sms.sid))
    if earlier is not None:
        return None, _earlier_reply(earlier)
    try:
        resident = resident_for(sms.sender, "en")
    except IntakeError:  # a short code or an alphanumeric sender: nobody to answer
        log.warning("inbound SMS %s from an unusable number ignored", sms.sid)
        return None, None
    inbound = _persist(sms, resident)
    if inbound is None:  # a concurrent delivery of the same text won the insert
        earlier = db.session.scalar(db.select(Message).filter_by(twilio_sid=sms.sid))
        return None, (_earlier_reply(earlier) if earlier else None)
    return inbound, None


def process(inbound_id: int, *, reply_later: bool = False) -> Outcome:
    """Run the conversation for a saved text; re-running returns the reply it already made.

    reply_later: the reply is recorded as pending, to be sent through the REST API by a job
    (the webhook already answered Twilio), instead of going back as TwiML. A resident's texts
    are answered in the order they arrived: earlier unanswered ones go first, and workers
    take turns on the resident (a row lock on PostgreSQL).
    """
    inbound = db.session.get(Message, inbound_id)
    if inbound is None:
        return Outcome(None)
    hold(inbound.resident_id)  # workers take turns on a resident
    outcome = Outcome(_earlier_reply(inbound))
    for earlier_id in _unanswered(inbound.resident, up_to=inbound.id):
        # Only this text's reply can go back as TwiML; earlier ones go by the REST API.
        later = reply_later or earlier_id != inbound.id
        outcome = _answer(db.session.get(Message, earlier_id), later)
    return outcome


def _unanswered(resident: Resident, up_to: int) -> list[int]:
    answered = db.select(Message.in_reply_to_id).where(Message.in_reply_to_id.is_not(None))
    return list(
        db.session.scalars(
            db.select(Message.id)
            .where(
                Message.resident_id == resident.id,
                Message.direction == MessageDirection.INBOUND,
                Message.id <= up_to,
                Message.id.not_in(answered),
            )
            .order_by(Message.id)
        )
    )


def _answer(inbound: Message, reply_later: bool) -> Outcome:
    resident = inbound.resident
    status = MessageStatus.PENDING if reply_later else MessageStatus.QUEUED
    opting = inbound.purpose in (OPT_OUT, OPT_IN)
    if not opting and _over_hourly_limit(resident, inbound):
        return Outcome(_reply_once_to_flood(resident, inbound, status))
    return _converse(resident, inbound, status)


def pending_texts() -> list[int]:
    """Saved texts the conversation has not answered yet (a queue outage, a crash)."""
    answered = db.select(Message.in_reply_to_id).where(Message.in_reply_to_id.is_not(None))
    return list(
        db.session.scalars(
            db.select(Message.id).where(
                Message.direction == MessageDirection.INBOUND, Message.id.not_in(answered)
            )
        )
    )


def _persist(sms: InboundSms, resident: Resident) -> Message | None:
    """Save the text before anything else happens (Twilio does not re-deliver after a 5xx)."""
    message = Message(
        resident=resident,
        direction=MessageDirection.INBOUND,
        twilio_sid=sms.sid,
        body=sms.body,
        status=MessageStatus.RECEIVED,
        num_media=len(sms.media),
        media=sms.media or None,
    )
    try:
        _opt_on_receipt(resident, message)
        db.session.add(message)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return message


def _opt_on_receipt(resident: Resident, message: Message) -> None:
    """STOP and START take effect the moment the text arrives, as at the carrier.

    A reply to an earlier text still waiting on a worker must not leave after the STOP.
    The resident's row is locked first: a text being handed to Twilio right now (it holds
    the same lock) leaves before this STOP is saved, never after it.
    """
    keyword = classify(message.body, opted_out=resident.opted_out)
    if keyword is None or keyword.kind not in ("stop", "start"):
        return
    if resident.id is not None:
        hold(resident.id)
    stop = keyword.kind == "stop"
    resident.opted_out, resident.opted_out_at = stop, (utcnow() if stop else None)
    message.purpose = OPT_OUT if stop else OPT_IN


def _opted_out_before(resident: Resident, inbound: Message) -> bool:
    """The opt-out as this text's conversation step must see it.

    A STOP was applied on receipt, but its own step still runs as the text that opts out
    (and confirms in Spanish, where the carrier does not).
    """
    if inbound.purpose == OPT_IN:
        return True  # START's own step opts in ("YES" is a keyword only for the opted out)
    return resident.opted_out and inbound.purpose != OPT_OUT


def _earlier_reply(inbound: Message) -> str | None:
    reply = db.session.scalar(db.select(Message).filter_by(in_reply_to_id=inbound.id))
    return (reply.body or None) if reply else None


def _count_since(
    resident: Resident, direction: MessageDirection, purpose: str | None = None
) -> int:
    """Texts to or from the resident in the last hour."""
    query = db.select(db.func.count(Message.id)).where(
        Message.resident_id == resident.id,
        Message.direction == direction,
        Message.created_at >= utcnow() - timedelta(hours=1),
    )
    if purpose:
        query = query.where(Message.purpose == purpose)
    return db.session.scalar(query)


def _over_hourly_limit(resident: Resident, inbound: Message) -> bool:
    return _count_since(resident, MessageDirection.INBOUND) > current_app.config["SMS_MAX_PER_HOUR"]


def _reply_once_to_flood(resident: Resident, inbound: Message, status: MessageStatus) -> str | None:
    """One polite reply per hour to a flood, and no new concerns."""
    if resident.opted_out or _count_since(resident, MessageDirection.OUTBOUND, "rate_limited"):
        _record_reply(resident, inbound, None, None, status=status)  # answered: with silence
        db.session.commit()
        return None
    body = _render("rate_limited", resident.language, {})
    _record_reply(resident, inbound, body, None, purpose="rate_limited", status=status)
    db.session.commit()
    return body


def _converse(resident: Resident, inbound: Message, status: MessageStatus) -> Outcome:
    conversation = _conversation_for(resident)
    memory = (
        talk.Memory.from_json(conversation.context)
        if conversation.context
        else talk.Memory.fresh(resident.language)
    )
    for _ in range(CASE_NUMBER_ATTEMPTS):
        decision = talk.step(
            memory,
            talk.Inbound(
                body=inbound.body, received_at=inbound.created_at, num_media=inbound.num_media
            ),
            locate=geocoder().geocode,
            opted_out=_opted_out_before(resident, inbound),
            timeout=timedelta(minutes=current_app.config["SMS_CONVERSATION_TIMEOUT_MIN"]),
            case_number_for_new=_free_case_number(),
            category_label=_category_label,
            case_prefix=current_city().case_prefix,
        )
        try:
            concern = _apply(memory, decision, resident, inbound)
            body = _reply_body(decision, resident, concern)
            confirms_opt_out = any(isinstance(e, talk.OptOut) for e in decision.effects)
            purpose = "opt_out_confirmation" if confirms_opt_out else "reply"
            _record_reply(resident, inbound, body, concern, purpose=purpose, status=status)
            remembered = replace(decision.memory, concern_id=concern.id if concern else None)
            conversation.context = remembered.to_json()
            conversation.state = str(decision.memory.state)
            conversation.concern_id = concern.id if concern else conversation.concern_id
            db.session.commit()
        except IntegrityError:  # the case number was taken a moment ago: draw another
            db.session.rollback()
            continue
        wants_media = any(isinstance(e, talk.AttachMedia) for e in decision.effects)
        placed = any(
            isinstance(e, talk.SetPlace) or (isinstance(e, talk.CreateConcern) and e.place)
            for e in decision.effects
        )
        return Outcome(body, inbound.id if wants_media and concern else None, placed)
    raise RuntimeError("could not draw a free case number")


def _conversation_for(resident: Resident) -> Conversation:
    conversation = db.session.scalar(
        db.select(Conversation).filter_by(resident_id=resident.id).order_by(Conversation.id.desc())
    )
    if conversation is None:
        conversation = Conversation(resident_id=resident.id, state="idle")
        db.session.add(conversation)
        db.session.flush()
    return conversation


def _free_case_number() -> str:
    prefix = current_city().case_prefix
    for _ in range(CASE_NUMBER_ATTEMPTS):
        number = new_case_number(prefix)
        if db.session.scalar(db.select(Concern.id).filter_by(case_number=number)) is None:
            return number
    return new_case_number(prefix)


def _category_label(code: str, language: str) -> str:
    category = db.session.scalar(db.select(Category).filter_by(code=code))
    return category.name(language) if category else code


def _apply(
    before: talk.Memory, decision: talk.Decision, resident: Resident, inbound: Message
) -> Concern | None:
    """Carry out the decision's effects in order; returns the conversation's concern, if any.

    Effects before a CreateConcern are about the concern the conversation had; after it,
    about the new one.
    """
    concern = _resident_concern(resident, before.case_number)
    for effect in decision.effects:
        if isinstance(effect, talk.CreateConcern):
            concern = _create_concern(effect, resident, decision.memory.case_number)
        elif isinstance(effect, talk.SetPlace) and _may_move(concern):
            place_concern(concern, Place.from_dict(effect.place), actor="resident")
        elif isinstance(effect, talk.AddFollowUp) and concern is not None:
            concern.text = f"{concern.text}\n{effect.text}"
            history.record(
                EventKind.NOTE, "resident", concern_id=concern.id, reason="follow-up by SMS"
            )
        elif isinstance(effect, talk.MarkLocationNeeded) and _may_become(
            concern, ConcernStatus.NEEDS_LOCATION
        ):
            transition_concern(
                concern, ConcernStatus.NEEDS_LOCATION, "resident", "no place after two tries by SMS"
            )
        elif isinstance(effect, (talk.OptOut, talk.OptIn)) and inbound.purpose is None:
            # Texts saved before opt-outs were applied on receipt; later ones already are,
            # and a later STOP or START must not be undone by this one's step.
            opt_out = isinstance(effect, talk.OptOut)
            resident.opted_out, resident.opted_out_at = opt_out, (utcnow() if opt_out else None)
        elif isinstance(effect, talk.SetLanguage):
            resident.language = effect.language
    concern = _resident_concern(resident, decision.memory.case_number)
    if concern is not None:
        inbound.concern_id = concern.id
    return concern


def _may_become(concern: Concern | None, status: ConcernStatus) -> bool:
    """Staff may have moved the case on (not actionable, resolved): the resident cannot undo it."""
    return concern is not None and (
        concern.status == status or can_transition(concern.status, status)
    )


def _may_move(concern: Concern | None) -> bool:
    return concern is not None and concern.status in (
        ConcernStatus.NEW,
        ConcernStatus.NEEDS_LOCATION,
        ConcernStatus.OPEN,
    )


def _resident_concern(resident: Resident, case_number: str | None) -> Concern | None:
    if not case_number:
        return None
    return db.session.scalar(
        db.select(Concern).filter_by(case_number=case_number, resident_id=resident.id)
    )


def _create_concern(effect: talk.CreateConcern, resident: Resident, case_number: str) -> Concern:
    category = db.session.scalar(db.select(Category).filter_by(code=effect.category_code)) or (
        db.session.scalar(db.select(Category).filter_by(code="other"))
    )
    limit = current_app.config["CONCERN_TEXT_MAX"]
    concern = Concern(
        case_number=case_number,
        text=effect.text[:limit] or "(photo)",
        category_id=category.id,
        source=ConcernSource.SMS,
        language=effect.language,
        resident=resident,
        # The conversation places it (or hands it to staff): not the locate job's to guess.
        geocode_status=GeocodeStatus.FAILED,
    )
    db.session.add(concern)
    db.session.flush()
    history.record(EventKind.CREATED, "resident", concern_id=concern.id, data={"source": "sms"})
    if effect.place is not None:
        place_concern(concern, Place.from_dict(effect.place), actor="resident")
    return concern


def _reply_body(decision: talk.Decision, resident: Resident, concern: Concern | None) -> str | None:
    if decision.reply is None:
        return None
    values = dict(decision.reply.values)
    language = decision.memory.language
    if values.get("neighborhood"):  # the City's code is upper case: "SHERMAN PARK"
        values["neighborhood"] = str(values["neighborhood"]).title()
    if concern is not None:
        values.setdefault("case_number", concern.case_number)
        values.setdefault("category_label", concern.category.name(language))
    if decision.reply.template == "status":
        values["cases"] = _status_lines(resident, values.get("case_number"), language)
    return _render(decision.reply.template, language, values)


def _status_lines(resident: Resident, case_number: str | None, language: str) -> list[dict]:
    """The resident's own cases (never anyone else's): number, status, owning agency."""
    query = db.select(Concern).filter_by(resident_id=resident.id).order_by(Concern.id.desc())
    if case_number:
        query = query.filter_by(case_number=case_number)
    lines = []
    for concern in db.session.scalars(query.limit(3)):
        lead = concern.hotspot.lead if concern.hotspot else None
        lines.append(
            {
                "case_number": concern.case_number,
                "status": STATUS_WORDS[language].get(concern.status, str(concern.status)),
                "agency": lead.agency.name if lead else None,
            }
        )
    return lines


def _render(template: str, language: str, values: dict) -> str:
    """A reply from templates/sms/<language>/; English kept to GSM-7 (no curly quotes)."""
    body = render_template(f"sms/{language}/{template}.txt", **values).strip()
    return to_gsm(body) if language == "en" else body


def _record_reply(
    resident: Resident,
    inbound: Message,
    body: str | None,
    concern: Concern | None,
    purpose: str = "reply",
    status: MessageStatus = MessageStatus.QUEUED,
) -> None:
    """Every reply is recorded, including "no reply" (so a re-delivery answers the same)."""
    db.session.add(
        Message(
            resident=resident,
            direction=MessageDirection.OUTBOUND,
            body=body or "",
            status=status if body else MessageStatus.LOGGED,
            in_reply_to_id=inbound.id,
            concern_id=concern.id if concern else None,
            purpose=purpose,
            segments=segments(body) if body else 0,
        )
    )
