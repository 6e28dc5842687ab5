"""Hotspots from clusters of concerns, keeping their identity, owners and history across runs."""

from __future__ import annotations

import json

import sqlalchemy as sa

from community.extensions import db
from community.hotspots.recluster import recluster
from community.models import AssignmentRole, Concern, Hotspot, HotspotStatus
from community.workflow.service import assign
from tests.factories import agency
from tests.helpers import ELSEWHERE, placed_concerns


def test_nearby_concerns_become_one_hotspot_and_strays_do_not(app) -> None:
    cluster = placed_concerns(5)
    placed_concerns(2, around=ELSEWHERE)  # below min_samples=3: noise
    result = recluster()
    assert result.clusters == 1 and len(result.created) == 1
    hotspot = db.session.get(Hotspot, result.created[0])
    assert hotspot.concern_count == 5
    assert {c.id for c in hotspot.concerns} == {c.id for c in cluster}
    assert hotspot.label == "Drug activity near 3500 W Center St"
    assert hotspot.status == HotspotStatus.NEW
    assert "5 concerns in 30 days" in hotspot.priority_reasons
    assert json.loads(hotspot.outline)["type"] == "Polygon"
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Concern.id)).where(Concern.clustered_at.is_(None))
        )
        == 0
    )


def test_a_hotspot_keeps_its_id_and_owner_when_concerns_arrive(app, users) -> None:
    placed_concerns(4)
    first = recluster().created[0]
    hotspot = db.session.get(Hotspot, first)
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    db.session.commit()
    placed_concerns(3, days_ago=1)
    result = recluster()
    assert result.created == [] and result.kept == [first]
    hotspot = db.session.get(Hotspot, first)
    assert hotspot.concern_count == 7
    assert hotspot.lead.agency.code == "MPD-D3"
    assert recluster().kept == [first]  # re-running changes nothing


def test_recluster_of_nothing_is_harmless(app) -> None:
    result = recluster()
    assert result.concerns == 0 and result.created == []


def test_a_hotspot_staff_dismissed_does_not_come_back(app, users) -> None:
    from community.workflow.service import transition_hotspot

    placed_concerns(4)
    hotspot = db.session.get(Hotspot, recluster().created[0])
    transition_hotspot(hotspot, HotspotStatus.NOT_ACTIONABLE, users["prosecutor"], "private lot")
    db.session.commit()
    result = recluster()
    assert result.created == [] and result.clusters == 0
    assert db.session.scalar(sa.select(sa.func.count(Hotspot.id))) == 1


def test_priority_counts_only_the_window(app) -> None:
    placed_concerns(3, days_ago=5)
    placed_concerns(3, days_ago=200)  # outside the 90-day window
    hotspot = db.session.get(Hotspot, recluster().created[0])
    assert hotspot.concern_count == 3
    assert "3 concerns in 30 days" in hotspot.priority_reasons
