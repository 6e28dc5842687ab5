"""Staff sign-ins kept on the server: a session ends when its row says so, not its cookie."""

from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from community.models.base import Base, UTCDateTime, utcnow


def hash_session_token(token: str) -> str:
    """The stored form of a session token (the cookie holds the token itself)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class StaffSession(Base):
    """One signed-in browser. Signing out sets ended_at; an old cookie then reads nothing."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def live(self, now: datetime) -> bool:
        """Not signed out and not past its lifetime."""
        return self.ended_at is None and self.expires_at > now


class SignInThrottle(Base):
    """Failed sign-ins of one e-mail from one address; too many block that pair for a while.

    Keyed by the pair, so guessing a prosecutor's password from one address never locks her
    out from her own; e-mail and address are kept only as keyed hashes.
    """

    __tablename__ = "sign_in_throttle"

    pair_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    account_hash: Mapped[str] = mapped_column(sa.String(64), index=True)  # for an admin's unlock
    failures: Mapped[int] = mapped_column(default=0)
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
