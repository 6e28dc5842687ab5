"""Routing rules as data: category x area -> a suggested lead agency and partners."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.models.area import AreaKind
from community.models.base import Base, UTCDateTime, enum_column, utcnow

routing_rule_partner = sa.Table(
    "routing_rule_partner",
    Base.metadata,
    sa.Column("rule_id", sa.ForeignKey("routing_rule.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("agency_id", sa.ForeignKey("agency.id"), primary_key=True),
)


class RoutingRule(Base):
    """One row of the routing table; empty category or area means "any".

    Areas are named by kind and code (police district "7"), not by row id, so rules survive a
    reload of the city's areas and can be seeded before the areas are loaded.
    """

    __tablename__ = "routing_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"), index=True)
    area_kind: Mapped[AreaKind | None] = mapped_column(enum_column(AreaKind))
    area_code: Mapped[str | None] = mapped_column(sa.String(80))
    lead_agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    note: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category = relationship("Category")
    lead_agency = relationship("Agency")
    partners = relationship("Agency", secondary=routing_rule_partner, order_by="Agency.name")

    __table_args__ = (
        sa.CheckConstraint(
            "(area_kind IS NULL) = (area_code IS NULL)", name="area_kind_and_code_together"
        ),
    )

    @property
    def specificity(self) -> int:
        """Category and area (3) beats category only (2) beats area only (1) beats neither."""
        return (2 if self.category_id is not None else 0) + (1 if self.area_kind else 0)

    def describe(self) -> str:
        """A one-line summary such as "Drug activity in police district 7"."""
        what = self.category.name_en if self.category else "Any category"
        where = f" in {self.area_kind.replace('_', ' ')} {self.area_code}" if self.area_kind else ""
        return f"{what}{where}"
