"""Allowed status transitions for hotspots and concerns, and the sets they group into."""

from __future__ import annotations

from community.models import ConcernStatus as C
from community.models import HotspotStatus as H

HOTSPOT_TRANSITIONS: dict[H, frozenset[H]] = {
    H.NEW: frozenset({H.TRIAGED, H.ASSIGNED, H.DUPLICATE, H.NOT_ACTIONABLE}),
    H.TRIAGED: frozenset({H.ASSIGNED, H.DUPLICATE, H.NOT_ACTIONABLE}),
    H.ASSIGNED: frozenset({H.IN_PROGRESS, H.RESOLVED, H.DUPLICATE, H.NOT_ACTIONABLE}),
    H.IN_PROGRESS: frozenset({H.RESOLVED, H.DUPLICATE}),
    H.RESOLVED: frozenset({H.CLOSED, H.IN_PROGRESS}),  # back to work = reopen
    H.CLOSED: frozenset(),  # new concerns there start a new hotspot linked by parent_id
    H.DUPLICATE: frozenset(),
    H.NOT_ACTIONABLE: frozenset({H.TRIAGED}),  # a prosecutor may reconsider
}

CONCERN_TRANSITIONS: dict[C, frozenset[C]] = {
    C.NEW: frozenset({C.OPEN, C.NEEDS_LOCATION, C.DUPLICATE, C.NOT_ACTIONABLE}),
    C.NEEDS_LOCATION: frozenset({C.OPEN, C.DUPLICATE, C.NOT_ACTIONABLE}),
    C.OPEN: frozenset({C.RESOLVED, C.DUPLICATE, C.NOT_ACTIONABLE}),
    C.RESOLVED: frozenset({C.OPEN, C.CLOSED}),
    C.CLOSED: frozenset(),
    C.DUPLICATE: frozenset(),
    C.NOT_ACTIONABLE: frozenset({C.OPEN}),
}

# FixMyStreet-style groups: which hotspots are still being worked.
HOTSPOT_ACTIVE = frozenset({H.NEW, H.TRIAGED, H.ASSIGNED, H.IN_PROGRESS})
HOTSPOT_MATCHABLE = HOTSPOT_ACTIVE | {H.RESOLVED}  # reclusters may still add concerns to these
HOTSPOT_DONE = frozenset({H.RESOLVED, H.CLOSED, H.DUPLICATE, H.NOT_ACTIONABLE})
CONCERN_CLUSTERABLE = frozenset({C.OPEN})


def can_transition(current: H | C, target: H | C) -> bool:
    """Whether the table allows moving from current to target."""
    table = HOTSPOT_TRANSITIONS if isinstance(current, H) else CONCERN_TRANSITIONS
    return target in table[current]
