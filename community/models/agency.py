"""Agencies that own responses: police districts, prosecutors, city departments, partners."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from community.models.base import Base, enum_column


class AgencyKind(enum.StrEnum):
    POLICE = "police"  # a police district
    PROSECUTOR = "prosecutor"  # the DA's community prosecution unit
    CITY = "city"  # a city department (Neighborhood Services, Public Works, Health)
    PARTNER = "partner"  # a community organisation


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[AgencyKind] = mapped_column(enum_column(AgencyKind))
    police_district: Mapped[str | None] = mapped_column(sa.String(8))
    contact_email: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
