"""Who owns the response to a hotspot (lead or partner) and what each agency did."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.models.base import Base, UTCDateTime, enum_column, utcnow


class AssignmentRole(enum.StrEnum):
    LEAD = "lead"  # owns the response and its resolution
    PARTNER = "partner"  # contributes actions


class Assignment(Base):
    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    hotspot_id: Mapped[int] = mapped_column(sa.ForeignKey("hotspot.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    role: Mapped[AssignmentRole] = mapped_column(enum_column(AssignmentRole))
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set on hand-off
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # service level
    # When the periodic check found it past due (an `overdue` event); cleared by a new due date.
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The routing rule that suggested this owner, when staff confirmed a suggestion.
    routing_rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("routing_rule.id"))

    agency = relationship("Agency")
    hotspot = relationship("Hotspot", back_populates="assignments")

    __table_args__ = (
        # One active lead per hotspot, whatever two staff members do at the same moment.
        sa.Index(
            "uq_assignment_active_lead",
            "hotspot_id",
            unique=True,
            sqlite_where=sa.text("role = 'lead' AND ended_at IS NULL"),
            postgresql_where=sa.text("role = 'lead' AND ended_at IS NULL"),
        ),
    )

    @property
    def active(self) -> bool:
        return self.ended_at is None


class ActionKind(enum.StrEnum):
    SITE_VISIT = "site_visit"
    DIRECTED_PATROL = "directed_patrol"
    NUISANCE_LETTER = "nuisance_letter"  # chronic nuisance abatement letter
    OWNER_MEETING = "owner_meeting"
    CODE_INSPECTION = "code_inspection"
    CITATION = "citation"
    ARREST = "arrest"
    DIVERSION_REFERRAL = "diversion_referral"
    SERVICE_REFERRAL = "service_referral"
    CLEANUP = "cleanup"
    BOARD_UP = "board_up"
    COMMUNITY_MEETING = "community_meeting"
    OTHER = "other"


class ActionOutcome(enum.StrEnum):
    DONE = "done"  # carried out as planned
    NO_ACCESS = "no_access"  # nobody there, or the property could not be entered
    VIOLATION_FOUND = "violation_found"  # an inspection or visit found a problem
    NO_VIOLATION = "no_violation"  # nothing found to act on
    REFERRED = "referred"  # passed to another agency or service
    FOLLOW_UP_NEEDED = "follow_up_needed"  # more work to do


class ResolutionOutcome(enum.StrEnum):
    PROBLEM_STOPPED = "problem_stopped"  # the activity or condition has ended
    IMPROVED = "improved"  # better, and the neighbours agree it is enough for now
    PROPERTY_SECURED = "property_secured"  # boarded, cleaned, repaired or demolished
    OWNER_COMPLIANT = "owner_compliant"  # the owner or tenant fixed it after contact
    ENFORCEMENT = "enforcement"  # citations, arrests or a court order ended it
    NO_PROBLEM_FOUND = "no_problem_found"  # checked repeatedly; nothing to act on


class Action(Base):
    """What an agency did about a hotspot; shown on the public timeline when public_note is set."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    hotspot_id: Mapped[int] = mapped_column(sa.ForeignKey("hotspot.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    kind: Mapped[ActionKind] = mapped_column(enum_column(ActionKind))
    notes: Mapped[str | None] = mapped_column(sa.Text)  # staff only
    public_note: Mapped[str | None] = mapped_column(sa.Text)  # safe to show residents
    outcome: Mapped[str | None] = mapped_column(sa.String(80))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency = relationship("Agency")
    hotspot = relationship("Hotspot", back_populates="actions")
