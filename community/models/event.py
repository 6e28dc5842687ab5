"""The append-only history: who did what, when and why, to a concern or hotspot."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from community.models.base import Base, UTCDateTime, enum_column, utcnow


class EventKind(enum.StrEnum):
    CREATED = "created"
    LOCATED = "located"
    LOCATION_FAILED = "location_failed"
    CLUSTERED = "clustered"  # a concern joined a hotspot
    STATUS_CHANGED = "status_changed"
    ASSIGNED = "assigned"
    HANDED_OFF = "handed_off"
    ACTION_LOGGED = "action_logged"
    MERGED = "merged"
    SPLIT = "split"
    REOPENED = "reopened"  # a resolved hotspot got new concerns within the reopen window
    NOTE = "note"
    UNASSIGNED = "unassigned"  # a partner agency taken off a hotspot
    DUE_DATE_CHANGED = "due_date_changed"
    OVERDUE = "overdue"  # an agency's assignment passed its due date unresolved
    DATA_PURGED = "data_purged"  # the resident's words, photos, number removed after retention
    DATA_ERASED = "data_erased"  # the same at once, at their request (never the number)


class Event(Base):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    actor_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    actor: Mapped[str] = mapped_column(sa.String(80))  # "system", "resident", a user's e-mail
    concern_id: Mapped[int | None] = mapped_column(sa.ForeignKey("concern.id"), index=True)
    hotspot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hotspot.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(sa.String(32))
    to_status: Mapped[str | None] = mapped_column(sa.String(32))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict | None] = mapped_column(sa.JSON)

    __table_args__ = (
        sa.CheckConstraint("concern_id IS NOT NULL OR hotspot_id IS NOT NULL", name="has_subject"),
    )


class AppendOnlyError(RuntimeError):
    """Events are history: they are never changed or deleted."""


@sa.event.listens_for(Event, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AppendOnlyError("events are append-only")


@sa.event.listens_for(Event, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AppendOnlyError("events are append-only")
