"""The demo has a past: agency work spread over its 90 days, with effects to evaluate."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from community.evaluation.service import evaluate_since
from community.extensions import db
from community.models import Action, Assignment, Event, EventKind, Hotspot
from community.models import utcnow as now_utc
from tests.conftest import fresh_app, make_app


@pytest.fixture(scope="module")
def demo_database(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo_history") / "demo.sqlite"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "--concerns", "2000"])
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def demo(demo_database: Path, tmp_path: Path) -> Iterator[Flask]:
    yield from fresh_app(demo_database, tmp_path)


def test_work_is_spread_over_the_ninety_days(demo):
    now = now_utc()
    acted = db.session.scalars(sa.select(Action.occurred_at)).all()
    assigned = db.session.scalars(sa.select(Assignment.created_at)).all()
    assert len({a.date() for a in acted}) > 10 and len({a.date() for a in assigned}) > 10
    assert min(acted) < now - timedelta(days=30) and max(acted) < now
    # Each first action comes after its lead took the place on, hours or days later.
    delays = [
        (first - lead).total_seconds() / 3600
        for first, lead in db.session.execute(
            sa.select(sa.func.min(Action.occurred_at), sa.func.min(Assignment.created_at))
            .join(Assignment, Assignment.hotspot_id == Action.hotspot_id)
            .group_by(Action.hotspot_id)
        )
    ]
    assert min(delays) >= 0 and sorted(delays)[len(delays) // 2] > 12


def test_history_is_written_with_its_own_times(demo):
    logged = db.session.execute(
        sa.select(Event.created_at, Event.data).where(Event.kind == EventKind.ACTION_LOGGED)
    ).all()
    assert logged and all(at.isoformat() == data["occurred_at"] for at, data in logged)
    resolved = db.session.execute(
        sa.select(Event.created_at, Hotspot.resolved_at)
        .join(Hotspot, Hotspot.id == Event.hotspot_id)
        .where(Event.kind == EventKind.STATUS_CHANGED, Event.to_status == "resolved")
    ).all()
    assert resolved and all(event == hotspot for event, hotspot in resolved)


def test_every_panel_has_something_to_show(demo):
    evaluations = evaluate_since()
    verdicts = Counter(e.figures.verdict for e in evaluations)
    rings = Counter(e.figures.ring_verdict for e in evaluations)
    assert verdicts["fell"] >= 3 and verdicts["no clear change"] >= 1
    assert rings["displacement"] >= 1
    moved = next(e for e in evaluations if e.figures.ring_verdict == "displacement")
    assert moved.figures.wdq < 0 and moved.counts.ring_after > moved.counts.ring_before
    assert {e.response.response for e in evaluations} == {"first_action", "resolution"}


def test_time_to_first_action_is_not_zero(demo):
    from community.metrics.service import build_metrics

    metrics = build_metrics(90)
    medians = [row.first_action.median_h for row in metrics.agencies if row.first_action.count]
    assert medians and all(m > 1 for m in medians)
