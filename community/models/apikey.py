"""API keys for Open311 clients: only a SHA-256 of the key is stored; the key is shown once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.models.base import Base, UTCDateTime, utcnow

TOKEN_BYTES = 24  # 192 bits: a SHA-256 without salt is enough for a random token of this size


def hash_key(token: str) -> str:
    """The stored form of a key: hex SHA-256 of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh random key, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


class ApiKey(Base):
    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))  # who the client is, e.g. "SeeClickFix"
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(sa.String(8))  # first characters, to tell keys apart
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by = relationship("User")
