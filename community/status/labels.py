"""Statuses and actions in the words residents read, in their language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

HOTSPOT_STATUS = {
    "new": _l("Reported; waiting for review"),
    "triaged": _l("Reviewed by the community prosecutor"),
    "assigned": _l("Assigned to an agency"),
    "in_progress": _l("An agency is working on it"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
    "duplicate": _l("Merged with another problem"),
    "not_actionable": _l("Closed: no action possible"),
}

CONCERN_STATUS = {
    "new": _l("Received"),
    "needs_location": _l("Received; our staff are placing it on the map"),
    "open": _l("Open"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
    "duplicate": _l("Closed: the same report was sent twice"),
    "not_actionable": _l("Closed: no action possible"),
}

ACTION_KIND = {
    "site_visit": _l("Site visit"),
    "directed_patrol": _l("Directed patrol"),
    "nuisance_letter": _l("Nuisance abatement letter"),
    "owner_meeting": _l("Meeting with the property owner"),
    "code_inspection": _l("Building code inspection"),
    "citation": _l("Citation issued"),
    "arrest": _l("Arrest"),
    "diversion_referral": _l("Referral to a diversion program"),
    "service_referral": _l("Referral to services"),
    "cleanup": _l("Clean-up"),
    "board_up": _l("Building boarded up"),
    "community_meeting": _l("Community meeting"),
    "other": _l("Other action"),
}


def hotspot_status_label(status: str) -> str:
    """A hotspot's status as residents read it."""
    return str(HOTSPOT_STATUS.get(str(status), status))


def concern_status_label(status: str) -> str:
    """A concern's status as residents read it."""
    return str(CONCERN_STATUS.get(str(status), status))


def action_label(kind: str) -> str:
    """What kind of action an agency took, as residents read it."""
    return str(ACTION_KIND.get(str(kind), ACTION_KIND["other"]))
