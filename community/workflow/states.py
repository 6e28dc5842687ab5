"""Allowed status transitions for hotspots and concerns, and the sets they group into.

This table is the only statement of which status may follow which; `service.py` consults it
for every change and nothing else sets a status.

Hotspot states:

- ``new``: found by clustering; nobody has looked at it yet.
- ``triaged``: a prosecutor confirmed it is a real problem worth an agency's time.
- ``assigned``: a lead agency owns the response (partners may help); the service-level clock
  runs from here.
- ``in_progress``: the lead has started work (its first action, or "start work").
- ``resolved``: the problem is fixed; the outcome is recorded and residents are told.
- ``closed``: resolved and no longer watched.
- ``duplicate``: the same problem as another hotspot (``merged_into_id``).
- ``not_actionable``: nothing an agency can do (out of the city, a private dispute...).

Reopening is a transition, not a state: a resolved or closed hotspot goes back to
``in_progress`` with its lead, when staff reopen it or new concerns arrive after resolution.
"""

from __future__ import annotations

from community.models import ConcernStatus as C
from community.models import HotspotStatus as H

HOTSPOT_TRANSITIONS: dict[H, frozenset[H]] = {
    H.NEW: frozenset({H.TRIAGED, H.ASSIGNED, H.DUPLICATE, H.NOT_ACTIONABLE}),
    H.TRIAGED: frozenset({H.ASSIGNED, H.DUPLICATE, H.NOT_ACTIONABLE}),
    H.ASSIGNED: frozenset({H.IN_PROGRESS, H.RESOLVED, H.DUPLICATE, H.NOT_ACTIONABLE}),
    H.IN_PROGRESS: frozenset({H.RESOLVED, H.DUPLICATE}),
    H.RESOLVED: frozenset({H.CLOSED, H.IN_PROGRESS}),  # back to work = reopen
    H.CLOSED: frozenset({H.IN_PROGRESS}),  # reopen, by staff
    H.DUPLICATE: frozenset(),
    H.NOT_ACTIONABLE: frozenset({H.TRIAGED}),  # a prosecutor may reconsider
}

CONCERN_TRANSITIONS: dict[C, frozenset[C]] = {
    C.NEW: frozenset({C.OPEN, C.NEEDS_LOCATION, C.DUPLICATE, C.NOT_ACTIONABLE}),
    C.NEEDS_LOCATION: frozenset({C.OPEN, C.DUPLICATE, C.NOT_ACTIONABLE}),
    C.OPEN: frozenset({C.RESOLVED, C.DUPLICATE, C.NOT_ACTIONABLE}),
    C.RESOLVED: frozenset({C.OPEN, C.CLOSED}),
    C.CLOSED: frozenset({C.OPEN}),  # its hotspot was reopened
    C.DUPLICATE: frozenset(),
    C.NOT_ACTIONABLE: frozenset({C.OPEN}),
}

# FixMyStreet-style groups: which hotspots are still being worked.
HOTSPOT_ACTIVE = frozenset({H.NEW, H.TRIAGED, H.ASSIGNED, H.IN_PROGRESS})
HOTSPOT_MATCHABLE = HOTSPOT_ACTIVE | {H.RESOLVED}  # reclusters may still add concerns to these
HOTSPOT_DONE = frozenset({H.RESOLVED, H.CLOSED, H.DUPLICATE, H.NOT_ACTIONABLE})
HOTSPOT_OWNED = frozenset({H.ASSIGNED, H.IN_PROGRESS})  # a lead is working it: service level runs
HOTSPOT_ASSIGNABLE = HOTSPOT_ACTIVE  # owners can be set or changed while it is active
CONCERN_CLUSTERABLE = frozenset({C.OPEN})
CONCERN_MAPPED = (C.OPEN, C.RESOLVED, C.CLOSED)  # on the maps and in the heat layer

# Transitions that need a reason from the person making them (the Event keeps it).
REASON_REQUIRED = frozenset({H.DUPLICATE, H.NOT_ACTIONABLE, H.CLOSED})

# What each change is called on buttons and in the timeline.
TRANSITION_NAMES: dict[tuple[H, H], str] = {
    (H.NEW, H.TRIAGED): "Triage",
    (H.NOT_ACTIONABLE, H.TRIAGED): "Reconsider",
    (H.ASSIGNED, H.IN_PROGRESS): "Start work",
    (H.RESOLVED, H.IN_PROGRESS): "Reopen",
    (H.CLOSED, H.IN_PROGRESS): "Reopen",
    (H.RESOLVED, H.CLOSED): "Close",
}


def can_transition(current: H | C, target: H | C) -> bool:
    """Whether the table allows moving from current to target."""
    table = HOTSPOT_TRANSITIONS if isinstance(current, H) else CONCERN_TRANSITIONS
    return target in table[current]


def is_reopen(current: H, target: H) -> bool:
    return current in (H.RESOLVED, H.CLOSED) and target == H.IN_PROGRESS


def transition_name(current: H, target: H) -> str:
    """A button label for a change ("Reopen", "Mark duplicate")."""
    return TRANSITION_NAMES.get((current, target)) or f"Mark {target.replace('_', ' ')}"
