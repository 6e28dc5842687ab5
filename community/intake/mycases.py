"""The cases this browser reported: only there does a resident see their own words again."""

from __future__ import annotations

from flask import session

SESSION_KEY = "my_cases"
KEEP = 20  # the latest few; the session cookie stays small


def remember_case(case_number: str) -> None:
    """Note that this browser made the case."""
    cases = [c for c in session.get(SESSION_KEY, []) if c != case_number]
    session[SESSION_KEY] = [*cases, case_number][-KEEP:]


def is_my_case(case_number: str) -> bool:
    """Whether this browser reported the case."""
    return case_number in session.get(SESSION_KEY, [])
