"""A concern: one report from a resident, by SMS, web form, Open311 or staff."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.models.base import Base, UTCDateTime, enum_column, utcnow


class ConcernSource(enum.StrEnum):
    SMS = "sms"
    WEB = "web"
    OPEN311 = "open311"
    STAFF = "staff"


class ConcernStatus(enum.StrEnum):
    NEW = "new"  # saved; not yet located
    NEEDS_LOCATION = "needs_location"  # the geocoder could not place it: staff place it
    OPEN = "open"  # located; waiting for or part of a hotspot's response
    RESOLVED = "resolved"  # its hotspot's problem was resolved
    CLOSED = "closed"  # finished, no further updates
    DUPLICATE = "duplicate"  # the same report delivered twice
    NOT_ACTIONABLE = "not_actionable"  # nothing an agency can do (spam, out of city)


class GeocodeStatus(enum.StrEnum):
    PENDING = "pending"  # a locate job is owed: the database is the record of work to do
    LOCATED = "located"
    FAILED = "failed"  # no place found in the text


class LocationKind(enum.StrEnum):
    ADDRESS = "address"
    INTERPOLATED = "interpolated"
    BLOCK = "block"
    INTERSECTION = "intersection"
    LANDMARK = "landmark"
    AREA = "area"
    MAP = "map"  # placed by a person on a map (resident or staff)
    NONE = "none"


class Concern(Base):
    __tablename__ = "concern"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(sa.String(16), unique=True)
    # What makes a delivery unique (a web form's one-time key, an SMS MessageSid): a retried
    # or double-clicked submission finds the concern it already made instead of a second one.
    intake_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    text: Mapped[str] = mapped_column(sa.Text)
    location_text: Mapped[str | None] = mapped_column(sa.Text)  # where, in the resident's words
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), index=True)
    source: Mapped[ConcernSource] = mapped_column(enum_column(ConcernSource))
    status: Mapped[ConcernStatus] = mapped_column(
        enum_column(ConcernStatus), default=ConcernStatus.NEW, index=True
    )
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    resident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("resident.id"), index=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    occurred_text: Mapped[str | None] = mapped_column(sa.String(200))  # "every night", optional

    geocode_status: Mapped[GeocodeStatus] = mapped_column(
        enum_column(GeocodeStatus), default=GeocodeStatus.PENDING, index=True
    )
    location_kind: Mapped[LocationKind] = mapped_column(
        enum_column(LocationKind), default=LocationKind.NONE
    )
    location_label: Mapped[str | None] = mapped_column(sa.String(200))
    location_confidence: Mapped[float | None] = mapped_column(sa.Float)
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    neighborhood_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"), index=True)
    aldermanic_district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"))
    ward_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"))
    police_district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"))
    located_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    hotspot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hotspot.id"), index=True)
    clustered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # null: recluster owed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category = relationship("Category")
    resident = relationship("Resident")
    hotspot = relationship("Hotspot", back_populates="concerns")
    neighborhood = relationship("Area", foreign_keys=[neighborhood_id])
    police_district = relationship("Area", foreign_keys=[police_district_id])

    __table_args__ = (
        sa.CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name="lat_range"),
        sa.CheckConstraint("lon IS NULL OR (lon BETWEEN -180 AND 180)", name="lon_range"),
        sa.Index("ix_concern_lat_lon", "lat", "lon"),
    )

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None
