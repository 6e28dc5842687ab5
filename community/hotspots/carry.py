"""What a hotspot's owners carry across a merge or a split.

Merge: the survivor keeps every assignment and action. An absorbed lead becomes a partner
when the survivor already has a lead of another agency; an agency already on the survivor
keeps its own assignment there and the duplicate one is ended with a reason.
Split: the new piece starts with the same agencies in the same roles as the hotspot it left,
because the same people are working that ground.
"""

from __future__ import annotations

from community.extensions import db
from community.models import Action, Assignment, AssignmentRole, Hotspot, HotspotStatus, utcnow
from community.workflow.service import transition_hotspot
from community.workflow.states import can_transition


def move_owners(absorbed: Hotspot, survivor: Hotspot) -> list[int]:
    """Move the absorbed hotspot's active assignments and all actions; returns moved ids."""
    active = {a.agency_id: a for a in _active(survivor.id)}
    has_lead = any(a.role == AssignmentRole.LEAD for a in active.values())
    moved = []
    for assignment in _active(absorbed.id):
        if assignment.agency_id in active:
            assignment.ended_at = utcnow()
            assignment.reason = f"merged into #{survivor.id}, where this agency is already on it"
            continue
        if assignment.role == AssignmentRole.LEAD and has_lead:
            assignment.role = AssignmentRole.PARTNER
        has_lead = has_lead or assignment.role == AssignmentRole.LEAD
        assignment.hotspot_id = survivor.id
        active[assignment.agency_id] = assignment
        moved.append(assignment.id)
    db.session.execute(
        db.update(Action).where(Action.hotspot_id == absorbed.id).values(hotspot_id=survivor.id)
    )
    db.session.flush()
    if has_lead:
        _owned(survivor, f"owners carried over from #{absorbed.id}")
    return moved


def copy_owners(source: Hotspot, piece: Hotspot) -> int:
    """Give a split-off piece the source's active agencies, in the same roles."""
    copied = 0
    for assignment in _active(source.id):
        db.session.add(
            Assignment(
                hotspot_id=piece.id,
                agency_id=assignment.agency_id,
                role=assignment.role,
                reason=f"split from #{source.id}",
            )
        )
        copied += 1
    db.session.flush()
    if any(a.role == AssignmentRole.LEAD for a in _active(piece.id)):
        _owned(piece, f"split from #{source.id}, which is assigned")
    return copied


def _active(hotspot_id: int) -> list[Assignment]:
    return list(
        db.session.scalars(
            db.select(Assignment)
            .where(Assignment.hotspot_id == hotspot_id, Assignment.ended_at.is_(None))
            .order_by(Assignment.id)
        )
    )


def _owned(hotspot: Hotspot, reason: str) -> None:
    """A hotspot that now has a lead agency is assigned, if it was not yet."""
    if hotspot.status in (HotspotStatus.NEW, HotspotStatus.TRIAGED) and can_transition(
        hotspot.status, HotspotStatus.ASSIGNED
    ):
        transition_hotspot(hotspot, HotspotStatus.ASSIGNED, None, reason)
