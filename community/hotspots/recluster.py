"""Re-clustering located concerns into hotspots, keeping each hotspot's identity.

Clusters are matched to stored hotspots by shared concerns (Jaccard overlap, greedy best
first, threshold 0.3), so owners, actions and history carry over between runs.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from flask import current_app

from community.extensions import db
from community.geo.citypkg import to_metres
from community.geo.clustering import centroid, cluster_points, hull_outline
from community.hotspots.priority import ConcernFacts, score
from community.models import (
    Concern,
    ConcernStatus,
    EventKind,
    GeocodeStatus,
    Hotspot,
    HotspotStatus,
    utcnow,
)
from community.places.city import current_city
from community.workflow import history
from community.workflow.service import transition_hotspot
from community.workflow.states import HOTSPOT_ACTIVE, HOTSPOT_MATCHABLE

MATCH_THRESHOLD = 0.3
CLUSTERED_STATUSES = (ConcernStatus.OPEN, ConcernStatus.RESOLVED)


@dataclass
class ReclusterResult:
    concerns: int = 0
    clusters: int = 0
    created: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)


def recluster(now: datetime | None = None) -> ReclusterResult:
    """Cluster the window's located concerns and update hotspots; safe to re-run."""
    now = now or utcnow()
    since = now - timedelta(days=current_app.config["CLUSTER_WINDOW_DAYS"])
    with _one_run_at_a_time():
        concerns = _clusterable(since)
        result = ReclusterResult(concerns=len(concerns))
        clusters = _clusters(concerns)
        result.clusters = len(clusters)
        before = {c.id: c.hotspot_id for c in concerns}
        matches = _match(clusters, _current_members(concerns))
        for index, members in enumerate(clusters):
            hotspot = matches.get(index) or _new_hotspot(members, now)
            (result.kept if index in matches else result.created).append(hotspot.id)
            if _attach(hotspot, members, now):
                result.reopened.append(hotspot.id)
            _refresh(hotspot, now, since)
        _settle_the_rest(before, {*result.kept, *result.created}, now, since)
        _mark_clustered([c.id for c in concerns], since, now)
        db.session.commit()
    return result


_LOCAL_LOCK = threading.Lock()
RECLUSTER_LOCK_ID = 7_340_001  # any constant: PostgreSQL advisory lock for "recluster"


@contextmanager
def _one_run_at_a_time() -> Iterator[None]:
    """Two reclusters at once would each create the same new hotspot: serialise them."""
    with _LOCAL_LOCK:
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(
                db.text("SELECT pg_advisory_xact_lock(:id)"), {"id": RECLUSTER_LOCK_ID}
            )
        yield


def _clusterable(since: datetime) -> list[Concern]:
    """Located, recent concerns that are not part of a hotspot staff have finished with."""
    finished = db.select(Hotspot.id).where(Hotspot.status.not_in(HOTSPOT_MATCHABLE))
    return db.session.scalars(
        db.select(Concern).where(
            Concern.geocode_status == GeocodeStatus.LOCATED,
            Concern.status.in_(CLUSTERED_STATUSES),
            Concern.reported_at >= since,
            db.or_(Concern.hotspot_id.is_(None), Concern.hotspot_id.not_in(finished)),
        )
    ).all()


def _settle_the_rest(
    before: dict[int, int | None], touched: set[int], now: datetime, since: datetime
) -> None:
    """Hotspots this run did not match: refreshed, or merged away when all their concerns left."""
    lost = {h for h in before.values() if h is not None} - touched
    active = set(
        db.session.scalars(db.select(Hotspot.id).where(Hotspot.status.in_(HOTSPOT_ACTIVE)))
    )
    for hotspot_id in sorted((lost | active) - touched):
        hotspot = db.session.get(Hotspot, hotspot_id)
        remaining = db.session.scalar(
            db.select(db.func.count(Concern.id)).filter_by(hotspot_id=hotspot_id)
        )
        if remaining:
            _refresh(hotspot, now, since)
            continue
        moved_to = Counter(
            db.session.get(Concern, concern_id).hotspot_id
            for concern_id, old in before.items()
            if old == hotspot_id
        ).most_common(1)
        target = moved_to[0][0] if moved_to else None
        if target is not None and hotspot.status in HOTSPOT_ACTIVE:
            hotspot.merged_into_id = target
            history.record(EventKind.MERGED, None, hotspot_id=hotspot_id, data={"into": target})
            history.record(EventKind.MERGED, None, hotspot_id=target, data={"absorbed": hotspot_id})
            transition_hotspot(hotspot, HotspotStatus.DUPLICATE, None, f"merged into #{target}")


def _clusters(concerns: list[Concern]) -> list[list[Concern]]:
    if not concerns:
        return []
    city = current_city()
    x, y = to_metres(city, np.array([c.lon for c in concerns]), np.array([c.lat for c in concerns]))
    labels = cluster_points(
        x,
        y,
        eps_m=current_app.config["CLUSTER_EPS_M"],
        min_samples=current_app.config["CLUSTER_MIN_SAMPLES"],
    )
    groups: dict[int, list[Concern]] = {}
    for concern, label in zip(concerns, labels, strict=True):
        if label >= 0:
            groups.setdefault(int(label), []).append(concern)
    return list(groups.values())


def _current_members(concerns: list[Concern]) -> dict[int, set[int]]:
    members: dict[int, set[int]] = {}
    for concern in concerns:
        if concern.hotspot_id is not None:
            members.setdefault(concern.hotspot_id, set()).add(concern.id)
    return members


def _match(clusters: list[list[Concern]], members: dict[int, set[int]]) -> dict[int, Hotspot]:
    """Greedy best-overlap matching of clusters to matchable hotspots."""
    if not members:
        return {}
    hotspots = {
        h.id: h
        for h in db.session.scalars(
            db.select(Hotspot).where(Hotspot.id.in_(members), Hotspot.status.in_(HOTSPOT_MATCHABLE))
        )
    }
    pairs = []
    for index, cluster in enumerate(clusters):
        ids = {c.id for c in cluster}
        for hotspot_id, hotspot_ids in members.items():
            if hotspot_id in hotspots:
                overlap = len(ids & hotspot_ids) / len(ids | hotspot_ids)
                if overlap >= MATCH_THRESHOLD:
                    pairs.append((overlap, index, hotspot_id))
    matched: dict[int, Hotspot] = {}
    used: set[int] = set()
    for _, index, hotspot_id in sorted(pairs, reverse=True):
        if index not in matched and hotspot_id not in used:
            matched[index] = hotspots[hotspot_id]
            used.add(hotspot_id)
    return matched


def _new_hotspot(members: list[Concern], now: datetime) -> Hotspot:
    lon, lat = centroid([c.lon for c in members], [c.lat for c in members])
    hotspot = Hotspot(label="", centroid_lat=lat, centroid_lon=lon, created_at=now)
    db.session.add(hotspot)
    db.session.flush()
    history.record(
        EventKind.CREATED,
        None,
        hotspot_id=hotspot.id,
        data={"concerns": [c.id for c in members]},
    )
    return hotspot


def _attach(hotspot: Hotspot, members: list[Concern], now: datetime) -> bool:
    """Point members at the hotspot; reopen a resolved one that gets new concerns."""
    newcomers = [c for c in members if c.hotspot_id != hotspot.id]
    for concern in newcomers:
        concern.hotspot_id = hotspot.id
        history.record(EventKind.CLUSTERED, None, concern_id=concern.id, hotspot_id=hotspot.id)
    fresh = [c for c in newcomers if c.status == ConcernStatus.OPEN]
    if hotspot.status == HotspotStatus.RESOLVED and fresh:
        transition_hotspot(
            hotspot, HotspotStatus.IN_PROGRESS, None, f"{len(fresh)} new concerns after resolution"
        )
        return True
    return False


def _refresh(hotspot: Hotspot, now: datetime, since: datetime) -> None:
    """Recompute the hotspot's shape, counts, label and priority from its concerns."""
    members = db.session.scalars(db.select(Concern).filter_by(hotspot_id=hotspot.id)).all()
    if not members:
        return
    lons, lats = [c.lon for c in members], [c.lat for c in members]
    hotspot.centroid_lon, hotspot.centroid_lat = centroid(lons, lats)
    hotspot.outline = json.dumps(hull_outline(lons, lats, 40.0, current_city()))
    hotspot.concern_count = len(members)
    hotspot.first_reported_at = min(c.reported_at for c in members)
    hotspot.last_reported_at = max(c.reported_at for c in members)
    top_category = Counter(c.category_id for c in members).most_common(1)[0][0]
    hotspot.category_id = top_category
    hotspot.neighborhood_id = Counter(c.neighborhood_id for c in members).most_common(1)[0][0]
    place = Counter(c.location_label for c in members if c.location_label).most_common(1)
    category = next(c.category for c in members if c.category_id == top_category)
    hotspot.label = f"{category.name_en} near {place[0][0]}" if place else category.name_en
    recent = [c for c in members if c.reported_at >= since]  # the window, not all history
    facts = [
        ConcernFacts(c.reported_at, c.category.severity, str(c.category.group)) for c in recent
    ]
    hotspot.priority, hotspot.priority_reasons = score(facts, now)


def _mark_clustered(ids: list[int], since: datetime, now: datetime) -> None:
    """Mark what this run considered, and what no run needs to consider, as clustered.

    Concerns located while this run was working keep clustered_at NULL: the next run owes them.
    """
    for start in range(0, len(ids), 500):
        db.session.execute(
            db.update(Concern)
            .where(Concern.id.in_(ids[start : start + 500]), Concern.clustered_at.is_(None))
            .values(clustered_at=now)
        )
    db.session.execute(
        db.update(Concern)
        .where(
            Concern.geocode_status == GeocodeStatus.LOCATED,
            Concern.clustered_at.is_(None),
            Concern.reported_at < since,
        )
        .values(clustered_at=now)
    )
