"""SMS conversations with residents and every message in and out."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.models.base import Base, UTCDateTime, enum_column, utcnow


class Conversation(Base):
    """The state of one resident's SMS conversation (the state machine lives in intake/)."""

    __tablename__ = "conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(sa.ForeignKey("resident.id"), index=True)
    state: Mapped[str] = mapped_column(sa.String(40), default="idle")
    concern_id: Mapped[int | None] = mapped_column(sa.ForeignKey("concern.id"))
    context: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    resident = relationship("Resident")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MessageDirection(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class MessageStatus(enum.StrEnum):
    RECEIVED = "received"  # inbound, stored
    PENDING = "pending"  # outbound, not yet handed to Twilio
    SENDING = "sending"  # claimed by one process that is handing it to Twilio right now
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    LOGGED = "logged"  # outbound with no Twilio credentials: written to the log only


class Message(Base):
    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(sa.ForeignKey("resident.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("conversation.id"))
    concern_id: Mapped[int | None] = mapped_column(sa.ForeignKey("concern.id"), index=True)
    # A status text: the hotspot it was about (a resident hears once per hotspot per day).
    hotspot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hotspot.id"))
    direction: Mapped[MessageDirection] = mapped_column(enum_column(MessageDirection))
    twilio_sid: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus))
    error_code: Mapped[int | None] = mapped_column()
    num_media: Mapped[int] = mapped_column(default=0)
    # MMS: [{"url": ..., "content_type": ..., "file": stored name or null}] (files fetched by a job)
    media: Mapped[list | None] = mapped_column(sa.JSON)
    # An outbound reply points at the inbound text it answered: a re-delivered text gets it again.
    in_reply_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("message.id"))
    # Why an outbound text was sent: "reply", "status_assigned", "status_resolved".
    purpose: Mapped[str | None] = mapped_column(sa.String(32))
    # SMS parts this text costs: 160/153 GSM-7 characters each, 70/67 once one accent is in it.
    segments: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    resident = relationship("Resident")

    __table_args__ = (
        # The sweep looks every 30 s for texts not yet handed to Twilio: a few rows among
        # millions, found without reading the table.
        sa.Index(
            "ix_message_unsent",
            "status",
            postgresql_where=sa.text("status IN ('pending', 'sending')"),
            sqlite_where=sa.text("status IN ('pending', 'sending')"),
        ),
    )
