"""Repeat locations: one address reported again and again, a chronic-nuisance signal.

Derived data, rebuilt by every re-cluster: the same address reported at least
CLUSTER_REPEAT_COUNT times within CLUSTER_REPEAT_DAYS days in the window.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.models.base import Base, UTCDateTime, utcnow


class RepeatLocation(Base):
    __tablename__ = "repeat_location"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(200))  # the address as the geocoder named it
    lat: Mapped[float] = mapped_column(sa.Float)
    lon: Mapped[float] = mapped_column(sa.Float)
    concern_count: Mapped[int] = mapped_column()  # reports in the window
    first_reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"))
    neighborhood_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"), index=True)
    hotspot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hotspot.id"), index=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    category = relationship("Category")
    neighborhood = relationship("Area")
    hotspot = relationship("Hotspot")
