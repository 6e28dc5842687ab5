"""A resident who reports by SMS or leaves a phone number: the number is encrypted at rest."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from community.models.base import Base, UTCDateTime, utcnow


class Resident(Base):
    __tablename__ = "resident"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Fernet ciphertext of the E.164 number; read it only through community.privacy.
    phone_encrypted: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # Keyed HMAC-SHA256 of the E.164 number: finds a resident without decrypting every row.
    phone_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    phone_last4: Mapped[str] = mapped_column(sa.String(4))  # for masked display: ***-***-1234
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    opted_out: Mapped[bool] = mapped_column(default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Twilio said the number cannot receive texts (not a mobile, not a number): stop trying.
    undeliverable: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def masked_phone(self) -> str:
        return f"***-***-{self.phone_last4}"
