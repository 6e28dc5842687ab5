"""Hotspots from clusters of concerns, keeping their identity, owners and history across runs."""

from __future__ import annotations

import json

import sqlalchemy as sa

from community.extensions import db
from community.hotspots.recluster import recluster
from community.models import AssignmentRole, Concern, Event, Hotspot, HotspotStatus
from community.workflow.service import assign, resolve
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


def test_new_concerns_reopen_a_resolved_hotspot(app, users) -> None:
    placed_concerns(4)
    hotspot = db.session.get(Hotspot, recluster().created[0])
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    resolve(hotspot, users["prosecutor"], "house boarded up")
    db.session.commit()
    assert all(c.status == "resolved" for c in hotspot.concerns)
    placed_concerns(2, days_ago=0)
    result = recluster()
    assert result.reopened == [hotspot.id]
    assert db.session.get(Hotspot, hotspot.id).status == HotspotStatus.IN_PROGRESS
    reasons = db.session.scalars(sa.select(Event.reason).filter_by(hotspot_id=hotspot.id)).all()
    assert "2 new concerns after resolution" in reasons


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


def test_two_hotspots_that_grow_together_merge(app) -> None:
    west = placed_concerns(3, around=(43.0676, -87.9597))
    east = placed_concerns(3, around=(43.0676, -87.9563))  # ~280 m apart: two hotspots
    first = recluster()
    assert len(first.created) == 2
    placed_concerns(3, around=(43.0676, -87.9580))  # the gap fills in: one problem
    second = recluster()
    assert second.clusters == 1
    survivor = second.kept[0]
    assert {c.hotspot_id for c in [*west, *east]} == {survivor}
    (gone,) = set(first.created) - {survivor}
    absorbed = db.session.get(Hotspot, gone)
    assert absorbed.status == HotspotStatus.DUPLICATE and absorbed.merged_into_id == survivor
    assert db.session.get(Hotspot, survivor).concern_count == 9
    kinds = db.session.scalars(sa.select(Event.kind).filter_by(hotspot_id=survivor)).all()
    assert "merged" in kinds


def test_priority_counts_only_the_window(app) -> None:
    placed_concerns(3, days_ago=5)
    placed_concerns(3, days_ago=200)  # outside the 90-day window
    hotspot = db.session.get(Hotspot, recluster().created[0])
    assert hotspot.concern_count == 3
    assert "3 concerns in 30 days" in hotspot.priority_reasons
