"""Writing the append-only Event history."""

from __future__ import annotations

from community.extensions import db
from community.models import Event, EventKind, User


def actor_label(actor: User | str | None) -> str:
    """How an actor appears in history: a staff e-mail, "system" or "resident"."""
    if actor is None:
        return "system"
    return actor if isinstance(actor, str) else actor.email


def record(
    kind: EventKind,
    actor: User | str | None = None,
    *,
    concern_id: int | None = None,
    hotspot_id: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    data: dict | None = None,
) -> Event:
    """Add an Event to the session (committed with the change it describes)."""
    event = Event(
        kind=kind,
        actor=actor_label(actor),
        actor_user_id=actor.id if isinstance(actor, User) else None,
        concern_id=concern_id,
        hotspot_id=hotspot_id,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data,
    )
    db.session.add(event)
    return event
