"""A hotspot: a problem place made of nearby concerns; the unit agencies own."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.models.base import Base, UTCDateTime, enum_column, utcnow


class HotspotStatus(enum.StrEnum):
    NEW = "new"  # found by clustering; nobody has looked yet
    TRIAGED = "triaged"  # a prosecutor confirmed it is a real problem
    ASSIGNED = "assigned"  # a lead agency owns it
    IN_PROGRESS = "in_progress"  # the lead agency has started work
    RESOLVED = "resolved"  # the problem is fixed; residents are told
    CLOSED = "closed"  # resolved and no longer watched; new concerns start a new hotspot
    DUPLICATE = "duplicate"  # merged into another hotspot (merged_into_id)
    NOT_ACTIONABLE = "not_actionable"  # nothing an agency can do


def trend(recent: int, previous: int) -> str:
    """'rising', 'falling' or 'steady': the last 30 days against the 30 before."""
    if recent > previous:
        return "rising"
    if recent < previous:
        return "falling"
    return "steady"


class Hotspot(Base):
    __tablename__ = "hotspot"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[HotspotStatus] = mapped_column(
        enum_column(HotspotStatus), default=HotspotStatus.NEW, index=True
    )
    label: Mapped[str] = mapped_column(sa.String(200))
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"))
    # The group of the hotspot's most reported category (for filters and priority).
    category_group: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    # The problem family the place was found in (category.family): one place, one problem.
    family: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    category_counts: Mapped[str | None] = mapped_column(sa.Text)  # JSON {category code: n}
    centroid_lat: Mapped[float] = mapped_column(sa.Float)
    centroid_lon: Mapped[float] = mapped_column(sa.Float)
    outline: Mapped[str | None] = mapped_column(sa.Text)  # GeoJSON polygon, lon/lat
    concern_count: Mapped[int] = mapped_column(default=0)
    first_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recent_count: Mapped[int] = mapped_column(default=0)  # concerns in the last 30 days
    previous_count: Mapped[int] = mapped_column(default=0)  # in the 30 days before those
    priority: Mapped[float] = mapped_column(sa.Float, default=0.0, index=True)
    priority_reasons: Mapped[str | None] = mapped_column(sa.Text)
    neighborhood_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hotspot.id"))  # reopened from
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hotspot.id"))
    split_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hotspot.id"))
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optimistic locking: two staff editing the same hotspot cannot overwrite each other.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    category = relationship("Category")
    neighborhood = relationship("Area")
    concerns = relationship("Concern", back_populates="hotspot")
    assignments = relationship(
        "Assignment", back_populates="hotspot", order_by="Assignment.created_at"
    )
    actions = relationship("Action", back_populates="hotspot", order_by="Action.occurred_at")

    @property
    def trend(self) -> str:
        """'rising', 'falling' or 'steady': the last 30 days against the 30 before."""
        return trend(self.recent_count or 0, self.previous_count or 0)

    @property
    def lead(self):
        """The active lead assignment, if any."""
        return next(
            (a for a in self.assignments if a.active and a.role == "lead"),
            None,
        )
