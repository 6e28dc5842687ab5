"""Status changes, assignments, actions and resolution: the workflow's public operations."""

from __future__ import annotations

from community.extensions import db
from community.models import (
    Action,
    ActionKind,
    Agency,
    Assignment,
    AssignmentRole,
    Concern,
    ConcernStatus,
    EventKind,
    Hotspot,
    HotspotStatus,
    User,
    utcnow,
)
from community.workflow import history
from community.workflow.states import can_transition


class WorkflowError(ValueError):
    """A change the workflow does not allow; the message says why, for the user."""


def _touch(hotspot: Hotspot) -> None:
    """Mark the hotspot changed, so a concurrent edit of it fails (optimistic locking)."""
    hotspot.updated_at = utcnow()


def transition_concern(
    concern: Concern, target: ConcernStatus, actor: User | str | None, reason: str | None = None
) -> None:
    """Move a concern to a new status, or raise WorkflowError."""
    _transition(concern, "concern", target, actor, reason)


def transition_hotspot(
    hotspot: Hotspot, target: HotspotStatus, actor: User | str | None, reason: str | None = None
) -> None:
    """Move a hotspot to a new status, or raise WorkflowError."""
    if _transition(hotspot, "hotspot", target, actor, reason) and target == HotspotStatus.RESOLVED:
        hotspot.resolved_at = utcnow()


def _transition(
    subject: Concern | Hotspot,
    noun: str,
    target: ConcernStatus | HotspotStatus,
    actor: User | str | None,
    reason: str | None,
) -> bool:
    """Check the table, write the Event, change the status; False when already there."""
    if subject.status == target:
        return False
    if not can_transition(subject.status, target):
        raise WorkflowError(f"A {noun} that is {subject.status} cannot become {target}.")
    history.record(
        EventKind.STATUS_CHANGED,
        actor,
        **{f"{noun}_id": subject.id},
        from_status=subject.status,
        to_status=target,
        reason=reason,
    )
    subject.status = target
    return True


def assign(
    hotspot: Hotspot,
    agency: Agency,
    role: AssignmentRole,
    actor: User,
    reason: str | None = None,
) -> Assignment:
    """Make an agency the lead (handing off from the previous lead) or a partner."""
    if hotspot.status not in (
        HotspotStatus.NEW,
        HotspotStatus.TRIAGED,
        HotspotStatus.ASSIGNED,
        HotspotStatus.IN_PROGRESS,
    ):
        raise WorkflowError(f"A hotspot that is {hotspot.status} cannot be assigned.")
    active = [a for a in hotspot.assignments if a.active]
    if any(a.agency_id == agency.id and a.role == role for a in active):
        raise WorkflowError(f"{agency.name} is already the {role} on this hotspot.")
    if role == AssignmentRole.PARTNER and any(
        a.agency_id == agency.id and a.role == AssignmentRole.LEAD for a in active
    ):
        raise WorkflowError(
            f"{agency.name} is the lead on this hotspot: make another agency the lead first."
        )
    _touch(hotspot)
    kind = EventKind.ASSIGNED
    if role == AssignmentRole.LEAD:
        for previous in (a for a in active if a.role == AssignmentRole.LEAD):
            previous.ended_at = utcnow()
            kind = EventKind.HANDED_OFF
    for duplicate_role in (a for a in active if a.agency_id == agency.id):
        duplicate_role.ended_at = utcnow()  # an agency holds one role at a time
    assignment = Assignment(
        hotspot=hotspot, agency_id=agency.id, role=role, assigned_by_id=actor.id, reason=reason
    )
    db.session.add(assignment)
    history.record(
        kind,
        actor,
        hotspot_id=hotspot.id,
        reason=reason,
        data={"agency_id": agency.id, "agency": agency.name, "role": str(role)},
    )
    if role == AssignmentRole.LEAD and hotspot.status in (HotspotStatus.NEW, HotspotStatus.TRIAGED):
        transition_hotspot(hotspot, HotspotStatus.ASSIGNED, actor, f"lead: {agency.name}")
    return assignment


def log_action(
    hotspot: Hotspot,
    agency: Agency,
    kind: ActionKind,
    actor: User,
    notes: str | None = None,
    public_note: str | None = None,
) -> Action:
    """Record what an agency did; the first action by the lead starts the work."""
    if not any(a.active and a.agency_id == agency.id for a in hotspot.assignments):
        raise WorkflowError(f"{agency.name} is not assigned to this hotspot.")
    _touch(hotspot)
    action = Action(
        hotspot=hotspot,
        agency_id=agency.id,
        user_id=actor.id,
        kind=kind,
        notes=notes,
        public_note=public_note,
    )
    db.session.add(action)
    history.record(
        EventKind.ACTION_LOGGED,
        actor,
        hotspot_id=hotspot.id,
        data={"agency": agency.name, "kind": str(kind)},
    )
    if hotspot.status == HotspotStatus.ASSIGNED:
        transition_hotspot(hotspot, HotspotStatus.IN_PROGRESS, actor, f"first action: {kind}")
    return action


def resolve(hotspot: Hotspot, actor: User, reason: str) -> None:
    """Resolve a hotspot and every open concern in it."""
    if not reason or not reason.strip():
        raise WorkflowError("Say how the problem was resolved.")
    if hotspot.lead is None:
        raise WorkflowError("Assign a lead agency before resolving.")
    transition_hotspot(hotspot, HotspotStatus.RESOLVED, actor, reason.strip())
    for concern in hotspot.concerns:
        if concern.status == ConcernStatus.OPEN:
            transition_concern(concern, ConcernStatus.RESOLVED, actor, "hotspot resolved")
