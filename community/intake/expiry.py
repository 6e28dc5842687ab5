"""Quiet SMS conversations end on a schedule, not only when the resident texts again.

A resident asked "where is it?" who never answers would otherwise leave the concern waiting
with no place and no owner; once the conversation times out it goes to staff's "location
needed" queue.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app

from community.extensions import db
from community.intake import conversation as talk
from community.models import Concern, ConcernStatus, Conversation, utcnow
from community.workflow.service import WorkflowError, transition_concern
from community.workflow.states import can_transition

log = logging.getLogger(__name__)
WAITING = (talk.State.AWAITING_LOCATION.value, talk.State.AWAITING_CHOICE.value)


def expire_conversations() -> int:
    """End every waiting conversation past its timeout; returns how many ended."""
    timeout = timedelta(minutes=current_app.config["SMS_CONVERSATION_TIMEOUT_MIN"])
    now = utcnow()
    ended = 0
    ids = db.session.scalars(
        db.select(Conversation.id).where(
            Conversation.state.in_(WAITING), Conversation.updated_at < now - timeout
        )
    ).all()
    for conversation_id in ids:
        ended += _expire_one(conversation_id, now, timeout)
    return ended


def _expire_one(conversation_id: int, now, timeout: timedelta) -> int:
    # Locked: a text from this resident arriving now must see the state before or after.
    conversation = db.session.scalar(
        db.select(Conversation).filter_by(id=conversation_id).with_for_update()
    )
    memory = talk.Memory.from_json(conversation.context)
    fresh, effects = talk.expire(memory, now, timeout)
    if fresh is memory:
        db.session.rollback()
        return 0  # the resident answered in the meantime
    concern = db.session.get(Concern, memory.concern_id) if memory.concern_id else None
    if any(isinstance(e, talk.MarkLocationNeeded) for e in effects) and concern is not None:
        _to_staff(concern)
    conversation.context = fresh.to_json()
    conversation.state = str(fresh.state)
    db.session.commit()
    return 1


def _to_staff(concern: Concern) -> None:
    if concern.status == ConcernStatus.NEEDS_LOCATION:
        return
    if not can_transition(concern.status, ConcernStatus.NEEDS_LOCATION):
        return  # staff have moved it on already
    try:
        transition_concern(
            concern, ConcernStatus.NEEDS_LOCATION, "system", "no answer by SMS before the timeout"
        )
    except WorkflowError:
        log.info("concern %s could not move to needs_location", concern.id)
