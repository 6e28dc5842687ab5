"""A re-cluster running while staff assign an agency to a hotspot loses neither (PostgreSQL)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from community.demo.reference import load_reference_data
from community.extensions import db
from community.hotspots.recluster import ReclusterResult, recluster
from community.models import Assignment, AssignmentRole, Concern, Hotspot, HotspotStatus
from community.workflow.service import assign
from tests.conftest import make_app
from tests.factories import agency, make_staff
from tests.hotspots.synthetic import blob, concern_at

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(postgres_database: str) -> Flask:
    app = make_app(postgres_database)
    with app.app_context():
        upgrade()
        load_reference_data()
        make_staff()
        db.session.commit()
    return app


class PausedRecluster(threading.Thread):
    """A re-cluster in its own thread and session that stops after clustering until released."""

    def __init__(self, app: Flask) -> None:
        super().__init__(daemon=True)
        self.app = app
        self.paused = threading.Event()
        self.release = threading.Event()
        self.result: ReclusterResult | None = None
        self.error: BaseException | None = None
        self.runs = 0

    def run(self) -> None:
        def progress(stage: str) -> None:
            if stage == "load":
                self.runs += 1
            if stage == "cluster" and self.runs == 1:
                self.paused.set()
                assert self.release.wait(30)

        try:
            with self.app.app_context():
                self.result = recluster(progress=progress)
        except BaseException as exc:  # reported by the test
            self.error = exc

    def finish(self) -> ReclusterResult:
        self.release.set()
        self.join(60)
        assert self.error is None, repr(self.error)
        assert self.result is not None
        return self.result


def _staff_assign(app: Flask, hotspot_id: int, code: str) -> int:
    """What the assign form does, in its own session, committed while the re-cluster waits."""
    with app.app_context():
        from community.models import User

        prosecutor = db.session.scalar(sa.select(User).filter_by(email="prosecutor@example.org"))
        hotspot = db.session.get(Hotspot, hotspot_id)
        assign(hotspot, agency(code), AssignmentRole.LEAD, prosecutor)
        db.session.commit()
        return hotspot.version


def test_assignment_during_a_refresh_keeps_both(pg_app: Flask) -> None:
    with pg_app.app_context():
        blob(np.random.default_rng(1), (0, 0), 5, 20)
        db.session.commit()
        hotspot_id = recluster().created[0]
        for e in (30, -30, 10):
            concern_at(e, 15, days_ago=0)
        db.session.commit()
    run = PausedRecluster(pg_app)
    run.start()
    assert run.paused.wait(30)
    version = _staff_assign(pg_app, hotspot_id, "MPD-D3")
    result = run.finish()
    assert result.kept == [hotspot_id] and result.moved == 3
    with pg_app.app_context():
        hotspot = db.session.get(Hotspot, hotspot_id)
        assert hotspot.lead.agency.code == "MPD-D3"  # the staff change
        assert hotspot.status == HotspotStatus.ASSIGNED
        assert hotspot.concern_count == 8  # the re-cluster's change
        assert hotspot.version == version  # the refresh did not bump it: open forms stay valid


def test_assignment_to_a_hotspot_being_merged_moves_to_the_survivor(pg_app: Flask) -> None:
    with pg_app.app_context():
        rng = np.random.default_rng(2)
        blob(rng, (0, 0), 6, 3)
        blob(rng, (110, 0), 4, 3)  # two places 110 m apart
        db.session.commit()
        first = recluster()
        smaller = min(
            first.created,
            key=lambda h: db.session.scalar(
                sa.select(sa.func.count(Concern.id)).filter_by(hotspot_id=h)
            ),
        )
        blob(rng, (55, 0), 8, 3, days_ago=0)  # the house between them is the problem: one place
        db.session.commit()
    run = PausedRecluster(pg_app)
    run.start()
    assert run.paused.wait(30)
    _staff_assign(pg_app, smaller, "DNS")  # staff assign the one about to be absorbed
    result = run.finish()
    # The run reads hotspots and assignments after the pause (read committed), so it sees the
    # staff change; had it loaded them before, the version check would have made it retry.
    ((absorbed, survivor),) = result.merged
    assert absorbed == smaller
    with pg_app.app_context():
        leads = db.session.scalars(
            sa.select(Assignment).filter_by(ended_at=None, role=AssignmentRole.LEAD)
        ).all()
        assert [(a.hotspot_id, a.agency.code) for a in leads] == [(survivor, "DNS")]
        assert db.session.get(Hotspot, absorbed).status == HotspotStatus.DUPLICATE
