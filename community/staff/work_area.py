"""The hotspot page's one action area: what this person may do now, the usual step first.

The page shows the usual step's form open and every other step one click away (a <details>
element: no JavaScript needed). The usual step follows the work: a hotspot with no lead is
waiting for an owner (the routing suggestion, else an assignment); one being worked is waiting
for its agencies to log what they did.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from community.models import Hotspot, HotspotStatus, User
from community.workflow import permissions as may
from community.workflow.states import HOTSPOT_ACTIVE

WORKED = frozenset({HotspotStatus.ASSIGNED, HotspotStatus.IN_PROGRESS})
TITLES = {
    "suggestion": _l("Suggested owners"),
    "assign": _l("Assign an agency"),
    "action": _l("Log an action"),
    "handoff": _l("Hand off the lead"),
    "due": _l("Due date"),
    "resolve": _l("Resolve"),
    "status": _l("Change status"),
}


@dataclass(frozen=True)
class Step:
    """One form of the action area."""

    form: str  # its key among the page's forms
    title: str


def steps(user: User, hotspot: Hotspot, forms: dict[str, FlaskForm], suggested: bool) -> list[Step]:
    """The forms this user may use on this hotspot now, the usual one first."""
    names = [name for name, allowed in _allowed(user, hotspot, forms, suggested) if allowed]
    usual = _usual(hotspot, names)
    ordered = [usual, *(n for n in names if n != usual)] if usual else names
    return [Step(name, str(TITLES[name])) for name in ordered]


def opened(forms: dict[str, FlaskForm]) -> str | None:
    """The form that was sent and refused: it stays open so its errors are seen."""
    return next((name for name, form in forms.items() if form.errors), None)


def _allowed(
    user: User, hotspot: Hotspot, forms: dict[str, FlaskForm], suggested: bool
) -> list[tuple[str, bool]]:
    triager = may.can_assign(user)
    active = hotspot.status in HOTSPOT_ACTIVE
    worked = hotspot.status in WORKED
    lead = hotspot.lead is not None
    return [
        ("suggestion", suggested and triager),
        ("assign", triager and active),
        (
            "action",
            worked
            and bool(forms["action"].agency_id.choices)
            and (triager or may.agency_role(user, hotspot) is not None),
        ),
        ("handoff", lead and active and may.can_hand_off(user, hotspot)),
        ("due", triager and lead and active),
        ("resolve", worked and may.can_transition(user, hotspot, HotspotStatus.RESOLVED)),
        ("status", bool(forms["status"].status.choices)),
    ]


def _usual(hotspot: Hotspot, names: list[str]) -> str | None:
    # No lead yet: the hotspot waits for an owner; otherwise for its agencies' work.
    preferred = ("suggestion", "assign") if hotspot.lead is None else ("action", "resolve")
    return next((name for name in preferred if name in names), names[0] if names else None)
