"""Meeting reports made for an area (for "since the last report") and batches of them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from community.models.base import Base, UTCDateTime, enum_column, utcnow


class MeetingReport(Base):
    """One printed report: which area, which period, in which language, made by whom."""

    __tablename__ = "meeting_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The area selection as a stable key ("neighborhood:SHERMAN PARK", codes sorted and joined
    # by "|" for several neighbourhoods): the next report for the same key starts where this ended.
    area_key: Mapped[str] = mapped_column(sa.String(400), index=True)
    area_label: Mapped[str] = mapped_column(sa.String(400))
    language: Mapped[str] = mapped_column(sa.String(8))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    concern_count: Mapped[int] = mapped_column(default=0)
    hotspot_count: Mapped[int] = mapped_column(default=0)
    made_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report_batch.id"), index=True)
    file_name: Mapped[str | None] = mapped_column(sa.String(200))  # a batch's PDF on disk
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportBatchStatus(enum.StrEnum):
    QUEUED = "queued"  # recorded; the job has not started
    RUNNING = "running"  # reports are being made; `done` counts them
    DONE = "done"  # every area has its PDF (or its failure in `error`)
    FAILED = "failed"  # the job stopped; `error` says why


class ReportBatch(Base):
    """Reports for every area of a kind, made by a background job with visible progress."""

    __tablename__ = "report_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_kind: Mapped[str] = mapped_column(sa.String(32))
    language: Mapped[str] = mapped_column(sa.String(8))
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: since each area's last
    until: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[ReportBatchStatus] = mapped_column(
        enum_column(ReportBatchStatus), default=ReportBatchStatus.QUEUED
    )
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
