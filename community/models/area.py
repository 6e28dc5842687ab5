"""Areas of the city from its package: neighbourhoods, aldermanic districts, wards, police."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from community.models.base import Base, enum_column


class AreaKind(enum.StrEnum):
    NEIGHBORHOOD = "neighborhood"
    ALDERMANIC_DISTRICT = "aldermanic_district"
    WARD = "ward"
    POLICE_DISTRICT = "police_district"
    BUSINESS_DISTRICT = "business_district"


class Area(Base):
    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[AreaKind] = mapped_column(enum_column(AreaKind))
    code: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(120))
    geometry: Mapped[str] = mapped_column(sa.Text)  # GeoJSON geometry in lon/lat (EPSG:4326)
    min_lon: Mapped[float] = mapped_column(sa.Float)
    min_lat: Mapped[float] = mapped_column(sa.Float)
    max_lon: Mapped[float] = mapped_column(sa.Float)
    max_lat: Mapped[float] = mapped_column(sa.Float)

    __table_args__ = (sa.UniqueConstraint("city", "kind", "code", name="city_kind_code"),)
