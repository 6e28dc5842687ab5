"""Re-clustering synthetic cities: clusters recovered, identity kept, merges, splits, reopening."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import sqlalchemy as sa

from community.extensions import db
from community.hotspots.recluster import recluster
from community.models import (
    Assignment,
    AssignmentRole,
    Concern,
    Event,
    Hotspot,
    HotspotStatus,
    LocationKind,
    RepeatLocation,
    utcnow,
)
from community.workflow.service import assign, transition_hotspot
from tests.factories import agency
from tests.hotspots.synthetic import blob, concern_at

BLOBS = [(0, 0), (1500, 0), (0, 1500)]


def _city(seed: int = 1):
    rng = np.random.default_rng(seed)
    blobs = [blob(rng, centre, 12) for centre in BLOBS]
    # Noise: scattered far apart (> 600 m from each other and from the blobs).
    noise = [concern_at(e, n) for e, n in [(3000, 3000), (-2500, 800), (800, -2600), (3000, -900)]]
    db.session.commit()
    return rng, blobs, noise


def _members(hotspot_id: int) -> set[int]:
    return set(db.session.scalars(sa.select(Concern.id).filter_by(hotspot_id=hotspot_id)))


def test_known_clusters_are_recovered_and_noise_is_left_alone(app) -> None:
    _, blobs, noise = _city()
    result = recluster()
    assert result.clusters == 3 and len(result.created) == 3
    found = sorted(map(_members, result.created), key=min)
    assert found == sorted(({c.id for c in b} for b in blobs), key=min)
    assert all(db.session.get(Concern, c.id).hotspot_id is None for c in noise)


def test_identity_kept_when_ten_percent_new_points_arrive(app, users) -> None:
    rng, _, _ = _city()
    first = recluster()
    owned = db.session.get(Hotspot, first.created[0])
    assign(owned, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    db.session.commit()
    for centre in BLOBS:  # about 10% more concerns, in the same places
        blob(rng, centre, 2, days_ago=1)
    db.session.commit()
    second = recluster()
    assert second.created == [] and sorted(second.kept) == sorted(first.created)
    assert second.merged == [] and second.split == []
    assert all(db.session.get(Hotspot, h).concern_count == 14 for h in first.created)
    assert db.session.get(Hotspot, owned.id).lead.agency.code == "MPD-D3"
    again = recluster()
    assert again.moved == 0 and again.created == [] and again.refreshed == 0


def test_merge_is_recorded_and_the_survivor_keeps_every_assignment(app, users) -> None:
    rng = np.random.default_rng(3)
    blob(rng, (0, 0), 4, 3)
    blob(rng, (110, 0), 4, 3)  # two places 110 m apart
    db.session.commit()
    first = recluster()
    assert len(first.created) == 2
    west, east = sorted(first.created, key=lambda h: db.session.get(Hotspot, h).centroid_lon)
    assign(db.session.get(Hotspot, west), agency("MPD-D3"), AssignmentRole.LEAD, users["admin"])
    assign(db.session.get(Hotspot, east), agency("DNS"), AssignmentRole.LEAD, users["admin"])
    db.session.commit()
    blob(rng, (55, 0), 8, 3, days_ago=1)  # the house between them is the problem: one place
    db.session.commit()
    second = recluster()
    assert second.clusters == 1 and len(second.merged) == 1
    absorbed, survivor = second.merged[0]
    assert {absorbed, survivor} == {west, east}
    gone = db.session.get(Hotspot, absorbed)
    assert gone.status == HotspotStatus.DUPLICATE and gone.merged_into_id == survivor
    agencies = {
        (a.agency.code, a.role)
        for a in db.session.scalars(
            sa.select(Assignment).filter_by(hotspot_id=survivor, ended_at=None)
        )
    }
    assert {code for code, _ in agencies} == {"MPD-D3", "DNS"}
    assert sum(role == AssignmentRole.LEAD for _, role in agencies) == 1
    for hotspot_id in (absorbed, survivor):
        event = db.session.scalar(sa.select(Event).filter_by(hotspot_id=hotspot_id, kind="merged"))
        assert event.data == {"from": absorbed, "into": survivor}


def test_split_is_recorded_and_the_piece_keeps_the_owners(app, users) -> None:
    # A house with two neighbours' corners 70 m either side is one place; when the house's
    # reports age out of the window, the two corners (140 m apart) are separate problems.
    middle = [concern_at(0, 0, days_ago=80) for _ in range(6)]
    west = [concern_at(-70, 0, days_ago=5) for _ in range(3)]
    east = [concern_at(70, 0, days_ago=5) for _ in range(3)]
    db.session.commit()
    first = recluster()
    assert len(first.created) == 1
    whole = db.session.get(Hotspot, first.created[0])
    assign(whole, agency("MPD-D3"), AssignmentRole.LEAD, users["admin"])
    db.session.commit()
    later = recluster(now=utcnow() + timedelta(days=15))  # the middle is 95 days old now
    assert len(later.split) == 1 and later.kept == [whole.id]
    source, piece = later.split[0]
    assert source == whole.id
    pieces = {source: _members(source), piece: _members(piece)}
    assert {c.id for c in west} in pieces.values() or {c.id for c in east} in pieces.values()
    new = db.session.get(Hotspot, piece)
    assert new.split_from_id == whole.id
    assert new.lead.agency.code == "MPD-D3" and new.status == HotspotStatus.ASSIGNED
    kinds = db.session.scalars(sa.select(Event.kind).filter_by(hotspot_id=whole.id)).all()
    assert "split" in kinds
    assert {c.id for c in middle} <= _members(whole.id)  # old concerns stay with their hotspot


def _resolved_hotspot(users) -> Hotspot:
    rng = np.random.default_rng(5)
    blob(rng, (0, 0), 5, 20, days_ago=20)
    db.session.commit()
    hotspot = db.session.get(Hotspot, recluster().created[0])
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["admin"])
    transition_hotspot(hotspot, HotspotStatus.RESOLVED, users["admin"], "house boarded up")
    db.session.commit()
    return hotspot


def test_new_concerns_within_the_reopen_window_reopen_a_resolved_hotspot(app, users) -> None:
    hotspot = _resolved_hotspot(users)
    concern_at(10, 10, days_ago=0)
    concern_at(-10, 5, days_ago=0)
    db.session.commit()
    result = recluster()
    assert result.reopened == [hotspot.id] and result.created == []
    hotspot = db.session.get(Hotspot, hotspot.id)
    assert hotspot.status == HotspotStatus.IN_PROGRESS and hotspot.reopened_at is not None
    assert hotspot.lead.agency.code == "MPD-D3"  # the owner is still on it, and told:
    event = db.session.scalar(sa.select(Event).filter_by(hotspot_id=hotspot.id, kind="reopened"))
    assert len(event.data["concerns"]) == 2


def test_after_the_reopen_window_a_new_hotspot_is_linked_to_the_old(app, users) -> None:
    hotspot = _resolved_hotspot(users)
    later = utcnow() + timedelta(days=45)
    for e, n in [(10, 10), (-10, 5), (0, -15)]:
        concern_at(e, n, days_ago=-45)  # reported 45 days from now
    db.session.commit()
    result = recluster(now=later)
    assert result.reopened == [] and len(result.created) == 1
    new = db.session.get(Hotspot, result.created[0])
    assert new.parent_id == hotspot.id and new.status == HotspotStatus.NEW
    assert db.session.get(Hotspot, hotspot.id).status == HotspotStatus.RESOLVED


def test_category_groups_cluster_apart_when_configured(app) -> None:
    app.config["CLUSTER_BY_GROUP"] = True
    rng = np.random.default_rng(7)
    blob(rng, (0, 0), 5, 20, code="drug_activity")
    blob(rng, (0, 0), 5, 20, code="illegal_dumping")
    db.session.commit()
    result = recluster()
    groups = {db.session.get(Hotspot, h).category_group for h in result.created}
    assert groups == {"drugs_vice", "property"}
    app.config["CLUSTER_BY_GROUP"] = False  # the default: one corner, one problem
    blob(rng, (3000, 0), 3, 20, code="drug_activity")
    blob(rng, (3000, 0), 3, 20, code="nuisance_property")
    db.session.commit()
    (mixed,) = recluster().created
    counts = json.loads(db.session.get(Hotspot, mixed).category_counts)
    assert counts == {"drug_activity": 3, "nuisance_property": 3}


def test_repeat_addresses_three_in_thirty_days(app) -> None:
    for days in (2, 10, 25):
        concern_at(0, 0, days_ago=days, label="2417 N 35th St", kind=LocationKind.ADDRESS)
    for days in (2, 40, 80):  # three reports, but not within 30 days of each other
        concern_at(900, 0, days_ago=days, label="1530 W Center St", kind=LocationKind.ADDRESS)
    db.session.commit()
    result = recluster()
    (repeat,) = db.session.scalars(sa.select(RepeatLocation)).all()
    assert repeat.label == "2417 N 35th St" and repeat.concern_count == 3
    assert result.repeat_locations == 1
    hotspot = db.session.get(Hotspot, repeat.hotspot_id)
    assert "1 repeat address" in hotspot.priority_reasons


def test_priority_reasons_put_violence_first(app) -> None:
    rng = np.random.default_rng(9)
    blob(rng, (0, 0), 6, 20, code="shots_fired", days_ago=3)
    blob(rng, (2000, 0), 6, 20, code="illegal_dumping", days_ago=3)
    db.session.commit()
    result = recluster()
    hotspots = sorted(
        (db.session.get(Hotspot, h) for h in result.created), key=lambda h: -h.priority
    )
    assert hotspots[0].category_group == "violence"
    assert hotspots[0].priority_reasons == "violent category, 6 concerns in 30 days, rising"
    assert hotspots[0].priority > hotspots[1].priority
    assert hotspots[0].trend == "rising"


def test_a_concern_no_place_holds_stays_near_its_hotspot_and_leaves_when_far(app) -> None:
    house = [concern_at(0, 0, days_ago=80) for _ in range(4)]
    near = concern_at(30, 0, days_ago=5)
    far = concern_at(0, -300, days_ago=5)
    db.session.commit()
    first = recluster()
    (hotspot_id,) = first.created
    assert db.session.get(Concern, near.id).hotspot_id == hotspot_id
    db.session.get(Concern, far.id).hotspot_id = hotspot_id  # as an older, wider rule left it
    db.session.commit()
    second = recluster(now=utcnow() + timedelta(days=15))  # the house's reports aged out
    assert second.clusters == 0 and second.left == 1
    assert db.session.get(Concern, near.id).hotspot_id == hotspot_id  # 30 m: still the place
    assert db.session.get(Concern, far.id).hotspot_id is None  # 300 m: not this place
    assert all(db.session.get(Concern, c.id).hotspot_id == hotspot_id for c in house)
    note = db.session.scalar(
        sa.select(Event.reason).filter_by(hotspot_id=hotspot_id, concern_id=None, kind="clustered")
    )
    assert note == "1 concern farther than 80 m from this place left it"
