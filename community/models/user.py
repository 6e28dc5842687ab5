"""Staff accounts: prosecutors, agency staff, viewers and admins."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from community.models.base import Base, UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"  # manages users, agencies, routing
    PROSECUTOR = "prosecutor"  # triages and assigns any hotspot
    AGENCY_STAFF = "agency_staff"  # works the hotspots their agency is on
    VIEWER = "viewer"  # read-only, never sees resident contact details


def new_session_token() -> str:
    """A random token; changing it signs the user out of every browser."""
    return secrets.token_urlsafe(24)


class User(UserMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the signed session: a new token ends every session (logout everywhere, disable,
    # password or role change), since the user loader refuses a session with the old one.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    # An invitation: only the SHA-256 of the one-time token is kept.
    invite_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    invite_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agency = relationship("Agency")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.active

    def get_id(self) -> str:
        """The session's user id carries the session token (see session_token)."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Sign the user out of every browser at the next request."""
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of the password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
