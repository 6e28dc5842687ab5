"""Kinds of concern residents report, with severity and default routing."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.models.base import Base, enum_column


class CategoryGroup(enum.StrEnum):
    VIOLENCE = "violence"  # shots fired, violent crime: weighs most in priority
    DRUGS_VICE = "drugs_vice"  # drug activity, prostitution, loitering
    PROPERTY = "property"  # nuisance properties, vacant buildings, dumping, graffiti
    TRAFFIC = "traffic"  # speeding and reckless driving
    QUALITY_OF_LIFE = "quality_of_life"  # noise, streetlights, other


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(80))
    name_es: Mapped[str] = mapped_column(sa.String(80))
    group: Mapped[CategoryGroup] = mapped_column(enum_column(CategoryGroup))
    # Problem family: categories of one family reported at one place are one problem, one
    # hotspot (drug activity, loitering, shots fired at a drug house); families stay apart.
    family: Mapped[str] = mapped_column(sa.String(32), default="nuisance")
    # 1 (minor) .. 5 (life safety); priority weights live here, in data, not in code.
    severity: Mapped[int] = mapped_column(sa.SmallInteger)
    default_lead_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    # Service level: days from assignment until the response is due (None: the default).
    service_level_days: Mapped[int | None] = mapped_column(sa.SmallInteger)
    active: Mapped[bool] = mapped_column(default=True)

    default_lead_agency = relationship("Agency")

    __table_args__ = (
        sa.CheckConstraint("severity BETWEEN 1 AND 5", name="severity_range"),
        sa.CheckConstraint(
            "service_level_days IS NULL OR service_level_days BETWEEN 1 AND 365",
            name="service_level_range",
        ),
    )

    def name(self, lang: str = "en") -> str:
        """The category's name in a language (Spanish or English)."""
        return self.name_es if lang == "es" else self.name_en
