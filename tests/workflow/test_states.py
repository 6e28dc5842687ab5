"""The transition table, tested exhaustively: every allowed and every forbidden pair.

EXPECTED is written out here by hand (not read from states.py), so a change to the table must
be made in both places on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa

from community.extensions import db
from community.models import ConcernStatus, Event, Hotspot, HotspotStatus
from community.workflow.service import WorkflowError, transition_concern, transition_hotspot
from community.workflow.states import CONCERN_TRANSITIONS, HOTSPOT_TRANSITIONS
from tests.workflow.conftest import make_hotspot

H = HotspotStatus
C = ConcernStatus
EXPECTED_HOTSPOT = {
    H.NEW: {H.TRIAGED, H.ASSIGNED, H.DUPLICATE, H.NOT_ACTIONABLE},
    H.TRIAGED: {H.ASSIGNED, H.DUPLICATE, H.NOT_ACTIONABLE},
    H.ASSIGNED: {H.IN_PROGRESS, H.RESOLVED, H.DUPLICATE, H.NOT_ACTIONABLE},
    H.IN_PROGRESS: {H.RESOLVED, H.DUPLICATE},
    H.RESOLVED: {H.CLOSED, H.IN_PROGRESS},
    H.CLOSED: {H.IN_PROGRESS},
    H.DUPLICATE: set(),
    H.NOT_ACTIONABLE: {H.TRIAGED},
}
EXPECTED_CONCERN = {
    C.NEW: {C.OPEN, C.NEEDS_LOCATION, C.DUPLICATE, C.NOT_ACTIONABLE},
    C.NEEDS_LOCATION: {C.OPEN, C.DUPLICATE, C.NOT_ACTIONABLE},
    C.OPEN: {C.RESOLVED, C.DUPLICATE, C.NOT_ACTIONABLE},
    C.RESOLVED: {C.OPEN, C.CLOSED},
    C.CLOSED: {C.OPEN},
    C.DUPLICATE: set(),
    C.NOT_ACTIONABLE: {C.OPEN},
}
ROOT = Path(__file__).resolve().parents[2] / "community"


def test_the_tables_cover_every_state_and_match_the_documented_table() -> None:
    assert {k: set(v) for k, v in HOTSPOT_TRANSITIONS.items()} == EXPECTED_HOTSPOT
    assert {k: set(v) for k, v in CONCERN_TRANSITIONS.items()} == EXPECTED_CONCERN


def _status_events(hotspot_id: int) -> list[tuple[str, str]]:
    rows = db.session.scalars(
        sa.select(Event).filter_by(hotspot_id=hotspot_id, kind="status_changed").order_by(Event.id)
    )
    return [(e.from_status, e.to_status) for e in rows]


@pytest.mark.parametrize("current", list(H))
def test_every_hotspot_pair_is_allowed_or_refused(app, users, current) -> None:
    """From each state, try every target on the real service: allowed ones write an Event."""
    hotspot = make_hotspot()
    for target in H:
        # Put the hotspot in `current` without the service, as a fixture of this test only.
        db.session.execute(
            sa.update(Hotspot).where(Hotspot.id == hotspot.id).values(status=current)
        )
        db.session.commit()
        db.session.refresh(hotspot)
        before = _status_events(hotspot.id)
        if target == current:
            transition_hotspot(hotspot, target, users["prosecutor"], "same")
            db.session.commit()
            assert _status_events(hotspot.id) == before  # no change, no Event
        elif target in EXPECTED_HOTSPOT[current]:
            transition_hotspot(hotspot, target, users["prosecutor"], "test")
            db.session.commit()
            assert db.session.get(Hotspot, hotspot.id).status == target
            assert _status_events(hotspot.id) == [*before, (str(current), str(target))]
        else:
            with pytest.raises(WorkflowError, match="cannot become"):
                transition_hotspot(hotspot, target, users["prosecutor"], "test")
            db.session.rollback()
            assert db.session.get(Hotspot, hotspot.id).status == current
            assert _status_events(hotspot.id) == before


@pytest.mark.parametrize("current", list(C))
def test_every_concern_pair_is_allowed_or_refused(app, users, current) -> None:
    concern = make_hotspot().concerns[0]
    for target in C:
        concern.status = current  # test set-up only
        db.session.commit()
        if target == current:
            continue
        if target in EXPECTED_CONCERN[current]:
            transition_concern(concern, target, users["prosecutor"])
            db.session.commit()
            assert concern.status == target
        else:
            with pytest.raises(WorkflowError, match="cannot become"):
                transition_concern(concern, target, users["prosecutor"])
            db.session.rollback()
            assert concern.status == current


def _status_assignments(path: Path) -> list[int]:
    """Lines that assign `<something>.status = ...` or update a status column."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                name = ast.unparse(target.value).lower()
                if "hotspot" in name or "concern" in name or name in {"h", "c", "subject"}:
                    lines.append(node.lineno)
        # Bulk UPDATEs: db.update(Hotspot).values(status=...)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "values":
            for keyword in node.keywords:
                value = ast.unparse(keyword.value)
                if keyword.arg == "status" and ("Hotspot" in value or "Concern" in value):
                    lines.append(node.lineno)
    return lines


def test_only_the_workflow_changes_a_status() -> None:
    """Nothing outside community/workflow/ sets a hotspot's or a concern's status."""
    found = {
        str(path.relative_to(ROOT)): lines
        for path in ROOT.rglob("*.py")
        if "workflow" not in path.parts and (lines := _status_assignments(path))
    }
    assert found == {}, f"status set outside community/workflow/: {found}"
