"""Texts owed to residents about a hotspot (an outbox): written with the change that owes them.

The queue can lose a job (Redis restarted, a worker killed); this row cannot, because it is
committed in the same transaction as the assignment or resolution. The notify job marks it
done; `sweep()` queues again every notice still open.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from community.models.base import Base, UTCDateTime, utcnow


class Notice(Base):
    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    hotspot_id: Mapped[int] = mapped_column(sa.ForeignKey("hotspot.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # "assigned" or "resolved"
    # The concerns in the hotspot at that moment: their reporters are owed the text, even if
    # a re-cluster moves a concern (or merges the hotspot away) before the job runs.
    concern_ids: Mapped[list | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
