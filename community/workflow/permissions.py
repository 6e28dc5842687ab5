"""Who may do what to which hotspot: the role and the agency, checked by every view.

Admins and prosecutors may triage and assign anything; agency staff see the hotspots their
agency is on and work their own assignments (the lead may also start, resolve and hand off);
viewers only read.
"""

from __future__ import annotations

from community.models import Agency, AssignmentRole, Hotspot, HotspotStatus, Role, User
from community.workflow.states import is_reopen

TRIAGERS = frozenset({Role.ADMIN, Role.PROSECUTOR})
STAFF = frozenset(Role)
WORKERS = TRIAGERS | {Role.AGENCY_STAFF}


def agency_role(user: User, hotspot: Hotspot) -> AssignmentRole | None:
    """The user's agency's active role on the hotspot (lead, partner or None)."""
    if user.agency_id is None:
        return None
    for assignment in hotspot.assignments:
        if assignment.active and assignment.agency_id == user.agency_id:
            return assignment.role
    return None


def can_view(user: User, hotspot: Hotspot) -> bool:
    if user.role == Role.AGENCY_STAFF:
        return agency_role(user, hotspot) is not None
    return user.role in STAFF


def can_assign(user: User) -> bool:
    """Set owners, confirm a routing suggestion, change due dates: triage work."""
    return user.role in TRIAGERS


def can_act_for(user: User, hotspot: Hotspot, agency: Agency) -> bool:
    """Log or edit an action on behalf of an agency."""
    if user.role in TRIAGERS:
        return True
    return (
        user.role == Role.AGENCY_STAFF
        and user.agency_id == agency.id
        and agency_role(user, hotspot) is not None
    )


def is_lead_staff(user: User, hotspot: Hotspot) -> bool:
    return user.role == Role.AGENCY_STAFF and agency_role(user, hotspot) == AssignmentRole.LEAD


def can_hand_off(user: User, hotspot: Hotspot) -> bool:
    """Give the lead to another agency: triagers, or the lead agency's own staff."""
    return user.role in TRIAGERS or is_lead_staff(user, hotspot)


def can_transition(user: User, hotspot: Hotspot, target: HotspotStatus) -> bool:
    """Whether this user may ask for this status change (the table decides if it is allowed)."""
    if user.role in TRIAGERS:
        return True
    if not is_lead_staff(user, hotspot):
        return False
    # The lead agency starts and resolves its own work, and may reopen what it resolved.
    return target in (HotspotStatus.IN_PROGRESS, HotspotStatus.RESOLVED) or is_reopen(
        hotspot.status, target
    )


def sees_contact_details(user: User) -> bool:
    """Residents' (masked) phone numbers: never for viewers."""
    return user.role in WORKERS
