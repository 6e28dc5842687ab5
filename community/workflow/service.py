"""Status changes, owners, hand-offs, due dates, actions and resolution.

The workflow's public operations: each checks the transition table and the rules below, writes
an Event for every change (who, when, from, to, why) and leaves the commit to `commit()`, which
also queues the residents' notifications once the change is saved.
"""

from __future__ import annotations

from datetime import date, datetime

from community.extensions import db
from community.models import (
    Action,
    ActionKind,
    ActionOutcome,
    Agency,
    Assignment,
    AssignmentRole,
    Concern,
    ConcernStatus,
    EventKind,
    Hotspot,
    HotspotStatus,
    Notice,
    ResolutionOutcome,
    RoutingRule,
    User,
    utcnow,
)
from community.workflow import history, sla
from community.workflow.states import (
    HOTSPOT_ASSIGNABLE,
    HOTSPOT_OWNED,
    REASON_REQUIRED,
    can_transition,
    is_reopen,
)

NOTICES = "workflow_notices"  # session.info key: resident texts owed once the change commits
TEXT_MAX = 4000  # staff notes
REASON_MAX = 1000


class WorkflowError(ValueError):
    """A change the workflow does not allow; the message says why, for the user."""


class StaleHotspotError(WorkflowError):
    """The hotspot changed since the user loaded it: their change is refused, not merged."""

    def __init__(self, hotspot_id: int) -> None:
        super().__init__(
            "Someone else changed this hotspot while you were working. Your change was not "
            "saved: reload the page to see what changed, then try again."
        )
        self.hotspot_id = hotspot_id


def check_version(hotspot: Hotspot, expected: int | None) -> None:
    """Refuse a change made on a stale copy of the hotspot (the form carries its version)."""
    if expected is not None and expected != hotspot.version:
        raise StaleHotspotError(hotspot.id)


def commit() -> None:
    """Save the change, then queue the notifications it owes residents."""
    from community.jobs import enqueue

    db.session.commit()
    for hotspot_id, kind in db.session.info.pop(NOTICES, []):
        enqueue("notify_hotspot", hotspot_id, kind)


def rollback() -> None:
    db.session.rollback()
    db.session.info.pop(NOTICES, None)


def _notify(hotspot: Hotspot, kind: str) -> None:
    """Owe the residents a text, in this change's own transaction (the outbox row)."""
    notices = db.session.info.setdefault(NOTICES, [])
    if (hotspot.id, kind) not in notices:
        notices.append((hotspot.id, kind))
        owed = sorted(c.id for c in hotspot.concerns)  # who is owed: those in it right now
        db.session.add(Notice(hotspot_id=hotspot.id, kind=kind, concern_ids=owed))


def _touch(hotspot: Hotspot) -> None:
    """Mark the hotspot changed, so a concurrent edit of it fails (optimistic locking)."""
    hotspot.updated_at = utcnow()


def _text(value: str | None, what: str, limit: int = REASON_MAX) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise WorkflowError(f"{what} is too long: at most {limit} characters.")
    return value or None


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
    data: dict | None = None,
) -> bool:
    """Check the table, write the Event, change the status; False when already there."""
    if subject.status == target:
        return False
    if not can_transition(subject.status, target):
        raise WorkflowError(
            f"A {noun} that is {subject.status.replace('_', ' ')} cannot become "
            f"{target.replace('_', ' ')}."
        )
    history.record(
        EventKind.STATUS_CHANGED,
        actor,
        **{f"{noun}_id": subject.id},
        from_status=subject.status,
        to_status=target,
        reason=reason,
        data=data,
    )
    subject.status = target
    return True


def change_status(
    hotspot: Hotspot,
    target: HotspotStatus,
    actor: User,
    reason: str | None = None,
    duplicate_of: Hotspot | None = None,
) -> None:
    """A status change asked for by staff: triage, start, close, reopen, duplicate, not actionable.

    Resolution has its own operation (`resolve`), since it needs an outcome.
    """
    reason = _text(reason, "The reason")
    current = hotspot.status
    if target == HotspotStatus.RESOLVED:
        raise WorkflowError("Use the resolve form: a resolution needs an outcome.")
    if not can_transition(current, target):
        raise WorkflowError(
            f"A hotspot that is {current.replace('_', ' ')} cannot become "
            f"{target.replace('_', ' ')}."
        )
    reopening = is_reopen(current, target)
    if (target in REASON_REQUIRED or reopening) and not reason:
        raise WorkflowError("Say why: this change needs a reason.")
    if target == HotspotStatus.ASSIGNED:
        raise WorkflowError("Assign a lead agency to make the hotspot assigned.")
    if target == HotspotStatus.IN_PROGRESS and hotspot.lead is None:
        raise WorkflowError("Assign a lead agency before work starts.")
    data = None
    if target == HotspotStatus.DUPLICATE:
        if duplicate_of is None or duplicate_of.id == hotspot.id:
            raise WorkflowError("Say which other hotspot this one duplicates.")
        hotspot.merged_into_id = duplicate_of.id
        data = {"duplicate_of": duplicate_of.id}
    _touch(hotspot)
    _transition(hotspot, "hotspot", target, actor, reason, data)
    if reopening:
        hotspot.resolved_at = None
        _concerns_to(hotspot, ConcernStatus.OPEN, actor, "hotspot reopened")
    elif target == HotspotStatus.CLOSED:
        _concerns_to(hotspot, ConcernStatus.CLOSED, actor, "hotspot closed")
    elif target == HotspotStatus.NOT_ACTIONABLE:
        _end_assignments(hotspot, actor, reason)


def _concerns_to(hotspot: Hotspot, target: ConcernStatus, actor: User, reason: str) -> None:
    for concern in hotspot.concerns:
        if concern.status != target and can_transition(concern.status, target):
            transition_concern(concern, target, actor, reason)


def _end_assignments(hotspot: Hotspot, actor: User, reason: str | None) -> None:
    for assignment in [a for a in hotspot.assignments if a.active]:
        assignment.ended_at = utcnow()
        history.record(
            EventKind.UNASSIGNED,
            actor,
            hotspot_id=hotspot.id,
            reason=reason,
            data={"agency_id": assignment.agency_id, "role": str(assignment.role)},
        )


def assign(
    hotspot: Hotspot,
    agency: Agency,
    role: AssignmentRole,
    actor: User,
    reason: str | None = None,
    *,
    due_on: date | None = None,
    rule: RoutingRule | None = None,
) -> Assignment:
    """Make an agency the lead (a hand-off, with a reason, if there was one) or a partner."""
    reason = _text(reason, "The reason")
    if hotspot.status not in HOTSPOT_ASSIGNABLE:
        raise WorkflowError(
            f"A hotspot that is {hotspot.status.replace('_', ' ')} cannot be assigned."
        )
    if not agency.active:
        raise WorkflowError(f"{agency.name} no longer takes assignments.")
    if due_on is not None and (problem := sla.due_date_problem(due_on)):
        raise WorkflowError(problem)
    active = [a for a in hotspot.assignments if a.active]
    if any(a.agency_id == agency.id and a.role == role for a in active):
        raise WorkflowError(f"{agency.name} is already the {role} on this hotspot.")
    if role == AssignmentRole.PARTNER and any(
        a.agency_id == agency.id and a.role == AssignmentRole.LEAD for a in active
    ):
        raise WorkflowError(
            f"{agency.name} is the lead on this hotspot: make another agency the lead first."
        )
    previous = next((a for a in active if a.role == AssignmentRole.LEAD), None)
    if role == AssignmentRole.LEAD and previous is not None and not reason:
        raise WorkflowError(f"Say why the lead moves from {previous.agency.name} to {agency.name}.")
    _touch(hotspot)
    now = utcnow()
    data = {"agency_id": agency.id, "agency": agency.name, "role": str(role)}
    kind = EventKind.ASSIGNED
    if role == AssignmentRole.LEAD and previous is not None:
        previous.ended_at = now
        kind = EventKind.HANDED_OFF
        data["from_agency"] = previous.agency.name
    for duplicate_role in (a for a in active if a.agency_id == agency.id):
        duplicate_role.ended_at = now  # an agency holds one role at a time
    due_at = sla.end_of_day(due_on) if due_on else sla.due_for(hotspot.category, now)
    assignment = Assignment(
        hotspot=hotspot,
        agency=agency,
        agency_id=agency.id,
        role=role,
        assigned_by_id=actor.id,
        reason=reason,
        due_at=due_at,
        routing_rule_id=rule.id if rule else None,
        created_at=now,
    )
    db.session.add(assignment)
    data["due_at"] = due_at.isoformat()
    if rule is not None:
        data["routing_rule_id"] = rule.id
        data["routing_rule"] = rule.describe()
    history.record(kind, actor, hotspot_id=hotspot.id, reason=reason, data=data)
    if role == AssignmentRole.LEAD:
        if hotspot.status in (HotspotStatus.NEW, HotspotStatus.TRIAGED):
            transition_hotspot(hotspot, HotspotStatus.ASSIGNED, actor, f"lead: {agency.name}")
        _notify(hotspot, "assigned")  # residents hear who owns it
    return assignment


def hand_off(hotspot: Hotspot, agency: Agency, actor: User, reason: str | None) -> Assignment:
    """Give the lead to another agency; the reason is required and kept in the history."""
    if hotspot.lead is None:
        raise WorkflowError("There is no lead to hand off: assign a lead agency.")
    if not (reason or "").strip():
        raise WorkflowError("Say why the lead moves to another agency.")
    return assign(hotspot, agency, AssignmentRole.LEAD, actor, reason)


def remove_partner(hotspot: Hotspot, agency: Agency, actor: User, reason: str | None) -> None:
    """Take a partner agency off the hotspot (its actions stay in the record)."""
    reason = _text(reason, "The reason")
    found = next(
        (
            a
            for a in hotspot.assignments
            if a.active and a.agency_id == agency.id and a.role == AssignmentRole.PARTNER
        ),
        None,
    )
    if found is None:
        raise WorkflowError(f"{agency.name} is not a partner on this hotspot.")
    _touch(hotspot)
    found.ended_at = utcnow()
    history.record(
        EventKind.UNASSIGNED,
        actor,
        hotspot_id=hotspot.id,
        reason=reason,
        data={"agency_id": agency.id, "agency": agency.name, "role": "partner"},
    )


def set_due_date(hotspot: Hotspot, due_on: date, actor: User, reason: str | None = None) -> None:
    """Move the lead's due date (and its partners'); the old and new dates are kept."""
    reason = _text(reason, "The reason")
    if hotspot.lead is None:
        raise WorkflowError("Assign a lead agency before setting a due date.")
    if hotspot.status not in HOTSPOT_ASSIGNABLE:
        raise WorkflowError("Only a hotspot still being worked has a due date.")
    if problem := sla.due_date_problem(due_on):
        raise WorkflowError(problem)
    new_due = sla.end_of_day(due_on)
    old_due = hotspot.lead.due_at
    if old_due == new_due:
        return
    _touch(hotspot)
    for assignment in (a for a in hotspot.assignments if a.active):
        assignment.due_at, assignment.overdue_at = new_due, None  # a new date: not overdue yet
    history.record(
        EventKind.DUE_DATE_CHANGED,
        actor,
        hotspot_id=hotspot.id,
        reason=reason,
        data={"from": old_due.isoformat() if old_due else None, "to": new_due.isoformat()},
    )


def log_action(
    hotspot: Hotspot,
    agency: Agency,
    kind: ActionKind,
    actor: User,
    notes: str | None = None,
    public_note: str | None = None,
    *,
    occurred_at: datetime | None = None,
    outcome: ActionOutcome | None = None,
) -> Action:
    """Record what an agency did; the first action by an owner starts the work."""
    notes = _text(notes, "The staff note", TEXT_MAX)
    public_note = _text(public_note, "The public note", 500)
    if not any(a.active and a.agency_id == agency.id for a in hotspot.assignments):
        raise WorkflowError(f"{agency.name} is not assigned to this hotspot.")
    if hotspot.status not in HOTSPOT_ASSIGNABLE:
        raise WorkflowError(
            f"A hotspot that is {hotspot.status.replace('_', ' ')} takes no more actions: "
            "reopen it first."
        )
    now = utcnow()
    if occurred_at is not None and occurred_at > now:
        raise WorkflowError("An action cannot have happened in the future.")
    _touch(hotspot)
    action = Action(
        hotspot=hotspot,
        agency=agency,
        agency_id=agency.id,
        user_id=actor.id,
        kind=kind,
        notes=notes,
        public_note=public_note,
        outcome=str(outcome) if outcome else None,
        occurred_at=occurred_at or now,
    )
    db.session.add(action)
    history.record(
        EventKind.ACTION_LOGGED,
        actor,
        hotspot_id=hotspot.id,
        data={
            "agency": agency.name,
            "kind": str(kind),
            "outcome": str(outcome) if outcome else None,
            "occurred_at": action.occurred_at.isoformat(),
        },
    )
    if hotspot.status == HotspotStatus.ASSIGNED:
        transition_hotspot(hotspot, HotspotStatus.IN_PROGRESS, actor, f"first action: {kind}")
    return action


def resolve(
    hotspot: Hotspot,
    actor: User,
    reason: str,
    outcome: ResolutionOutcome | None = None,
) -> None:
    """Resolve a hotspot and every open concern in it; the reason says what the outcome was."""
    reason = _text(reason, "How it was resolved")
    if not reason:
        raise WorkflowError("Say how the problem was resolved.")
    if hotspot.lead is None:
        raise WorkflowError("Assign a lead agency before resolving.")
    if hotspot.status not in HOTSPOT_OWNED:
        raise WorkflowError(
            f"A hotspot that is {hotspot.status.replace('_', ' ')} cannot become resolved."
        )
    _touch(hotspot)
    _transition(
        hotspot,
        "hotspot",
        HotspotStatus.RESOLVED,
        actor,
        reason,
        {
            "outcome": str(outcome) if outcome else None,
            "lead": hotspot.lead.agency.name,
        },
    )
    hotspot.resolved_at = utcnow()
    for concern in hotspot.concerns:
        if concern.status == ConcernStatus.OPEN:
            transition_concern(concern, ConcernStatus.RESOLVED, actor, "hotspot resolved")
    _notify(hotspot, "resolved")


def confirm_suggestion(hotspot: Hotspot, actor: User, suggestion) -> list[Assignment]:
    """Make a routing suggestion's lead and partners the owners, naming the rule."""
    made = []
    if hotspot.lead is None or hotspot.lead.agency_id != suggestion.lead.id:
        reason = f"routing rule: {suggestion.rule_label}"
        made.append(
            assign(
                hotspot, suggestion.lead, AssignmentRole.LEAD, actor, reason, rule=suggestion.rule
            )
        )
    active = {a.agency_id for a in hotspot.assignments if a.active}
    for partner in suggestion.partners:
        if partner.id not in active:
            made.append(
                assign(
                    hotspot,
                    partner,
                    AssignmentRole.PARTNER,
                    actor,
                    f"routing rule: {suggestion.rule_label}",
                    rule=suggestion.rule,
                )
            )
    if not made:
        raise WorkflowError("The suggested agencies already own this hotspot.")
    return made


def overdue_now(hotspot: Hotspot) -> bool:
    lead = hotspot.lead
    return lead is not None and sla.is_overdue(lead)
