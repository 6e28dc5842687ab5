"""Words for statuses, action kinds and outcomes, in the report's language."""

from __future__ import annotations

from community.reports.i18n import gettext


def N_(string: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for the catalogue; it is translated where it is shown."""
    return string


STATUSES = {
    "new": N_("New"),
    "triaged": N_("Reviewed"),
    "assigned": N_("Assigned"),
    "in_progress": N_("In progress"),
    "resolved": N_("Resolved"),
    "closed": N_("Closed"),
}

ACTION_KINDS = {
    "site_visit": N_("Site visit"),
    "directed_patrol": N_("Directed patrol"),
    "nuisance_letter": N_("Nuisance letter"),
    "owner_meeting": N_("Meeting with owner"),
    "code_inspection": N_("Code inspection"),
    "citation": N_("Citation"),
    "arrest": N_("Arrest"),
    "diversion_referral": N_("Diversion referral"),
    "service_referral": N_("Referral to services"),
    "cleanup": N_("Clean-up"),
    "board_up": N_("Board-up"),
    "community_meeting": N_("Community meeting"),
    "other": N_("Other action"),
}

OUTCOMES = {
    "done": N_("Done"),
    "no_access": N_("No access"),
    "violation_found": N_("Violation found"),
    "no_violation": N_("No violation found"),
    "referred": N_("Referred"),
    "follow_up_needed": N_("Follow-up needed"),
    "problem_stopped": N_("Problem stopped"),
    "improved": N_("Improved"),
    "property_secured": N_("Property secured"),
    "owner_compliant": N_("Owner complied"),
    "enforcement": N_("Enforcement"),
    "no_problem_found": N_("No problem found"),
}


def _label(table: dict[str, str], value: object) -> str:
    if value is None or value == "":
        return ""
    code = str(value)
    if code in table:
        return gettext(table[code])
    return code.replace("_", " ").capitalize()  # a value added later still reads as words


def status_label(status: object) -> str:
    return _label(STATUSES, status)


def action_kind_label(kind: object) -> str:
    return _label(ACTION_KINDS, kind)


def outcome_label(outcome: object) -> str:
    return _label(OUTCOMES, outcome)
