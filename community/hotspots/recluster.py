"""Re-clustering located concerns into hotspots that keep their identity across runs.

One run: load the window's concerns as arrays (window.py), find the problem places per
problem family (geo/problem_places.py, with the settings of rule.py), decide which stored hotspot each cluster is (identity.py: Hungarian
matching on shared concerns, merges, splits), apply that (new hotspots, merged and split
ones with their owners carried over, resolved ones reopened), then refresh every hotspot's
derived facts (summary.py) and the repeat-location table (repeats.py).

Concurrency: runs are serialised (a PostgreSQL advisory lock, a process lock on SQLite).
Derived facts are written without touching a hotspot's version, so staff editing a hotspot
while a run refreshes it lose nothing; the few structural changes a run makes (merge, split,
reopen) go through the workflow with the version check, and a run that meets a hotspot staff
changed under it rolls back and starts again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.exc import StaleDataError

from community.extensions import db
from community.geo.citypkg import to_metres
from community.geo.problem_places import find_places
from community.hotspots import carry, identity, repeats, summary
from community.hotspots.lineage import Predecessors
from community.hotspots.rule import place_rule
from community.hotspots.window import (
    Window,
    batches,
    categories,
    load_window,
    matchable_hotspots,
)
from community.models import (
    Concern,
    Event,
    EventKind,
    GeocodeStatus,
    Hotspot,
    HotspotStatus,
    utcnow,
)
from community.places.city import current_city
from community.workflow import history
from community.workflow.service import transition_hotspot
from community.workflow.states import can_transition

log = logging.getLogger(__name__)

ATTEMPTS = 3
WRITE_BATCH = 20_000
STAGES = ("load", "cluster", "match", "apply", "repeats", "summarise", "finish")
Progress = Callable[[str], None]


@dataclass
class ReclusterResult:
    concerns: int = 0
    clusters: int = 0
    created: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    merged: list[tuple[int, int]] = field(default_factory=list)  # (absorbed, survivor)
    split: list[tuple[int, int]] = field(default_factory=list)  # (source, new piece)
    moved: int = 0  # concerns whose hotspot changed
    left: int = 0  # concerns now in no hotspot: too far from the place they were in
    refreshed: int = 0  # hotspot rows whose derived facts changed
    repeat_locations: int = 0


def recluster(now: datetime | None = None, progress: Progress | None = None) -> ReclusterResult:
    """Cluster the window's located concerns and update hotspots; safe to re-run."""
    now = now or utcnow()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with _one_run_at_a_time():
                result = _run(now, progress or (lambda stage: None))
                db.session.commit()
                return result
        except StaleDataError:
            db.session.rollback()
            if attempt == ATTEMPTS:
                raise
            log.info("a hotspot changed during recluster; starting again (%d)", attempt)
    raise AssertionError("unreachable")


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


def _run(now: datetime, progress: Progress) -> ReclusterResult:
    config = current_app.config
    since = now - timedelta(days=config["CLUSTER_WINDOW_DAYS"])
    reopen_since = now - timedelta(days=config["CLUSTER_REOPEN_DAYS"])
    started = utcnow()
    facts = categories()
    window = load_window(since, reopen_since, facts)
    progress("load")
    city = current_city()
    x, y = to_metres(city, window.lon, window.lat)
    labels = find_places(x, y, window.family, place_rule(config))
    progress("cluster")
    plan = identity.plan(window.hotspot, labels)
    progress("match")
    result = ReclusterResult(concerns=len(window), clusters=len(np.unique(labels[labels >= 0])))
    target = _apply(plan, window, labels, now, result)
    membership = _membership(window, labels, target, plan.merges)
    radius = config["CLUSTER_RADIUS_M"]
    centres = _leave_far_places(window, x, y, labels, membership, radius)
    result.moved = _move_concerns(window.ids, window.hotspot, membership)
    result.left = int(((membership < 0) & (window.hotspot >= 0)).sum())
    result.left += _older_leave_far_places(since, reopen_since, centres, radius)
    _reopen(plan, window, labels, now, config["CLUSTER_REOPEN_DAYS"], result)
    db.session.flush()
    progress("apply")
    per_hotspot = repeats.rebuild(
        window, membership, config["CLUSTER_REPEAT_COUNT"], config["CLUSTER_REPEAT_DAYS"], now
    )
    result.repeat_locations = sum(per_hotspot.values())
    progress("repeats")
    context = summary.Context(facts, city, now, since, per_hotspot)
    touched = _touched(window, membership, result.created)
    result.refreshed = summary.refresh(window, x, y, membership, context, touched)
    progress("summarise")
    _mark_clustered(started, now)
    progress("finish")
    return result


def _touched(window: Window, membership: np.ndarray, created: list[int]) -> set[int]:
    """Hotspots whose members changed: by this run, or on the fast path since the last."""
    moved = membership != window.hotspot
    changed = np.concatenate(
        [membership[moved], window.hotspot[moved], membership[window.unclustered]]
    )
    return {int(h) for h in np.unique(changed) if h >= 0} | set(created)


def _membership(
    window: Window, labels: np.ndarray, target: dict[int, int], merges: dict[int, int]
) -> np.ndarray:
    """Hotspot id per concern: its cluster's hotspot; for noise, the hotspot it had (or, when
    that one was merged away, the survivor)."""
    sticky = window.hotspot.copy()
    for absorbed, label in merges.items():
        sticky[sticky == absorbed] = target[label]
    return np.where(labels >= 0, _lookup(target, labels), sticky)


def _leave_far_places(
    window: Window,
    x: np.ndarray,
    y: np.ndarray,
    labels: np.ndarray,
    membership: np.ndarray,
    radius_m: float,
) -> None:
    """A concern in no place this run stays in its hotspot only within radius_m of the
    hotspot's centre; farther ones leave it (membership -1). A hotspot is a place: a blob
    made by an older rule keeps its core, and residents far from it are not told of it.
    Returns the centre (metres) of every hotspot that is a place this run."""
    centres = _place_centres(x, y, labels, membership)
    stayed = np.flatnonzero((labels < 0) & (membership >= 0))
    if len(stayed) == 0:
        return centres
    membership[stayed[_far(x[stayed], y[stayed], membership[stayed], centres, radius_m)]] = -1
    return centres


def _far(
    x: np.ndarray,
    y: np.ndarray,
    hotspot: np.ndarray,
    centres: dict[int, tuple[float, float]],
    radius_m: float,
) -> np.ndarray:
    """Which concerns are farther than radius_m from their hotspot's centre (this run's
    place, else the stored centroid)."""
    missing = [int(h) for h in np.unique(hotspot) if int(h) not in centres]
    known = centres | _stored_centres(missing)
    far_away = (np.inf, np.inf)  # a hotspot that no longer exists holds nobody
    cx, cy = np.array([known.get(h, far_away) for h in hotspot.tolist()]).reshape(-1, 2).T
    return np.hypot(x - cx, y - cy) > radius_m


def _older_leave_far_places(
    since: datetime,
    reopen_since: datetime,
    centres: dict[int, tuple[float, float]],
    radius_m: float,
) -> int:
    """Concerns older than the window leave a hotspot still at work when they are far from
    its place (a blob of the old rule held them); returns how many left."""
    rows = db.session.execute(
        sa.select(Concern.id, Concern.hotspot_id, Concern.lon, Concern.lat).where(
            Concern.reported_at < since,
            Concern.lat.is_not(None),
            Concern.hotspot_id.in_(matchable_hotspots(reopen_since)),
        )
    ).all()
    if not rows:
        return 0
    ids, hotspot, lon, lat = (np.array(column) for column in zip(*rows, strict=True))
    hotspot = hotspot.astype(np.int64)
    x, y = to_metres(current_city(), lon.astype(float), lat.astype(float))
    far = _far(x, y, hotspot, centres, radius_m)
    _move_concerns(ids[far].astype(np.int64), hotspot[far], np.full(int(far.sum()), -1))
    return int(far.sum())


def _place_centres(
    x: np.ndarray, y: np.ndarray, labels: np.ndarray, membership: np.ndarray
) -> dict[int, tuple[float, float]]:
    """Centre (metres) of each hotspot that is a place this run: its members' mean."""
    core = (labels >= 0) & (membership >= 0)
    if not core.any():
        return {}
    ids, inverse = np.unique(membership[core], return_inverse=True)
    counts = np.bincount(inverse)
    sx = np.bincount(inverse, weights=x[core]) / counts
    sy = np.bincount(inverse, weights=y[core]) / counts
    return {int(h): (float(a), float(b)) for h, a, b in zip(ids, sx, sy, strict=True)}


def _stored_centres(hotspot_ids: list[int]) -> dict[int, tuple[float, float]]:
    """Stored centroids (metres) of hotspots, by id."""
    rows = []
    for ids in batches(hotspot_ids):
        rows += db.session.execute(
            sa.select(Hotspot.id, Hotspot.centroid_lon, Hotspot.centroid_lat).where(
                Hotspot.id.in_(ids)
            )
        ).all()
    if not rows:
        return {}
    ids, lon, lat = (np.array(column, dtype=float) for column in zip(*rows, strict=True))
    x, y = to_metres(current_city(), lon, lat)
    return {int(h): (float(a), float(b)) for h, a, b in zip(ids, x, y, strict=True)}


def _lookup(target: dict[int, int], labels: np.ndarray) -> np.ndarray:
    """Hotspot id per concern from its cluster label (-1 for noise)."""
    if not target:
        return np.full(len(labels), -1, dtype=np.int64)
    table = np.full(max(target) + 1, -1, dtype=np.int64)
    table[list(target)] = list(target.values())
    return np.where(labels >= 0, table[np.clip(labels, 0, None)], -1)


def _apply(
    plan: identity.Plan,
    window: Window,
    labels: np.ndarray,
    now: datetime,
    result: ReclusterResult,
) -> dict[int, int]:
    """Create, split and merge hotspots as planned; returns cluster label -> hotspot id."""
    target = dict(plan.keep)
    result.kept = sorted(plan.keep.values())
    members = _members(labels)
    predecessors = Predecessors.load()
    for label in plan.new:
        hotspot = _new_hotspot(window, members[label], now, predecessors)
        target[label] = hotspot.id
        result.created.append(hotspot.id)
    for label, source_id in plan.splits.items():
        source = db.session.get(Hotspot, source_id)
        piece = _new_hotspot(window, members[label], now, predecessors, split_from=source)
        carry.copy_owners(source, piece)
        target[label] = piece.id
        result.created.append(piece.id)
        result.split.append((source_id, piece.id))
    for absorbed_id, label in sorted(plan.merges.items()):
        _merge(db.session.get(Hotspot, absorbed_id), db.session.get(Hotspot, target[label]))
        result.merged.append((absorbed_id, target[label]))
    return target


def _members(labels: np.ndarray) -> dict[int, np.ndarray]:
    """Window positions of each cluster's members, by label (one sort, not one scan each)."""
    if len(labels) == 0:
        return {}
    order = np.argsort(labels, kind="stable")
    unique, starts = np.unique(labels[order], return_index=True)
    pieces = np.split(order, starts[1:])
    return {int(label): piece for label, piece in zip(unique, pieces, strict=True) if label >= 0}


def _new_hotspot(
    window: Window,
    where: np.ndarray,
    now: datetime,
    predecessors: Predecessors,
    split_from: Hotspot | None = None,
) -> Hotspot:
    """A hotspot for the concerns at window positions ``where``, with its creation recorded."""
    lat, lon = float(window.lat[where].mean()), float(window.lon[where].mean())
    family = str(window.family[where[0]])
    hotspot = Hotspot(
        label="",
        centroid_lat=lat,
        centroid_lon=lon,
        family=family,
        created_at=now,
        split_from_id=split_from.id if split_from else None,
        parent_id=predecessors.of(lat, lon, family, current_app.config["CLUSTER_RADIUS_M"]),
    )
    db.session.add(hotspot)
    db.session.flush()
    concern_ids = window.ids[where].tolist()
    if split_from is None:
        history.record(
            EventKind.CREATED, None, hotspot_id=hotspot.id, data={"concerns": concern_ids}
        )
    else:
        data = {"from": split_from.id, "into": hotspot.id, "concerns": concern_ids}
        reason = f"{len(concern_ids)} concerns are a problem place of their own: #{hotspot.id}"
        history.record(EventKind.SPLIT, None, hotspot_id=split_from.id, data=data, reason=reason)
        reason = f"split from #{split_from.id}; its owners, actions and history are there"
        history.record(EventKind.SPLIT, None, hotspot_id=hotspot.id, data=data, reason=reason)
    return hotspot


def _merge(absorbed: Hotspot, survivor: Hotspot) -> None:
    """The absorbed hotspot becomes a duplicate of the survivor, which keeps its owners."""
    carry.move_owners(absorbed, survivor)
    data = {"from": absorbed.id, "into": survivor.id}
    history.record(EventKind.MERGED, None, hotspot_id=absorbed.id, data=data)
    history.record(EventKind.MERGED, None, hotspot_id=survivor.id, data=data)
    absorbed.merged_into_id = survivor.id
    if can_transition(absorbed.status, HotspotStatus.DUPLICATE):
        transition_hotspot(absorbed, HotspotStatus.DUPLICATE, None, f"merged into #{survivor.id}")


def _move_concerns(ids: np.ndarray, before: np.ndarray, membership: np.ndarray) -> int:
    """Point concerns at their new hotspots (-1: none) and record each move; returns how many
    moved. Plain executemany statements, in batches: no ORM bookkeeping, flat memory."""
    changed = np.flatnonzero(membership != before)
    concerns, events = Concern.__table__, Event.__table__
    move = (
        sa.update(concerns)
        .where(concerns.c.id == sa.bindparam("concern_id"))
        .values(hotspot_id=sa.bindparam("new_hotspot_id"))
    )
    now = utcnow()
    for start in range(0, len(changed), WRITE_BATCH):
        chunk = changed[start : start + WRITE_BATCH]
        concern_ids = ids[chunk].tolist()
        new = [h if h >= 0 else None for h in membership[chunk].tolist()]
        old = before[chunk].tolist()
        db.session.execute(
            move,
            [{"concern_id": i, "new_hotspot_id": h} for i, h in zip(concern_ids, new, strict=True)],
        )
        db.session.execute(
            events.insert(),
            [
                {
                    "kind": EventKind.CLUSTERED,
                    "actor": "system",
                    "concern_id": i,
                    "hotspot_id": h,
                    "data": None if h is not None else {"left": o},
                    "created_at": now,
                }
                for i, h, o in zip(concern_ids, new, old, strict=True)
            ],
        )
    _record_departures(before, membership)
    return len(changed)


def _record_departures(before: np.ndarray, membership: np.ndarray) -> None:
    """One line in each hotspot's history for the concerns that left it for no place."""
    left = (membership < 0) & (before >= 0)
    hotspots, counts = np.unique(before[left], return_counts=True)
    radius = current_app.config["CLUSTER_RADIUS_M"]
    for hotspot_id, count in zip(hotspots.tolist(), counts.tolist(), strict=True):
        history.record(
            EventKind.CLUSTERED,
            None,
            hotspot_id=hotspot_id,
            reason=f"{count} concern{'s' if count != 1 else ''} farther than {radius:g} m "
            "from this place left it",
            data={"left": count},
        )


def _reopen(
    plan: identity.Plan,
    window: Window,
    labels: np.ndarray,
    now: datetime,
    reopen_days: int,
    result: ReclusterResult,
) -> None:
    """A resolved hotspot that got new open concerns within the reopen window goes back to work."""
    resolved = set(
        db.session.scalars(
            db.select(Hotspot.id).where(
                Hotspot.id.in_(list(plan.keep.values())),
                Hotspot.status == HotspotStatus.RESOLVED,
            )
        )
    )
    for label, hotspot_id in plan.keep.items():
        if hotspot_id not in resolved:
            continue
        hotspot = db.session.get(Hotspot, hotspot_id)
        fresh = (labels == label) & (window.hotspot != hotspot_id) & window.open
        if not fresh.any():
            continue
        transition_hotspot(
            hotspot,
            HotspotStatus.IN_PROGRESS,
            None,
            f"{int(fresh.sum())} new concerns within {reopen_days} days of resolution",
        )
        hotspot.reopened_at = now
        history.record(
            EventKind.REOPENED,
            None,
            hotspot_id=hotspot.id,
            data={"concerns": window.ids[fresh].tolist()},
        )
        result.reopened.append(hotspot.id)


def _mark_clustered(started: datetime, now: datetime) -> None:
    """Mark what this run considered, and what no run needs to consider, as clustered.

    Concerns located after this run loaded its window keep clustered_at NULL: the next run
    owes them.
    """
    db.session.execute(
        db.update(Concern)
        .where(
            Concern.geocode_status == GeocodeStatus.LOCATED,
            Concern.clustered_at.is_(None),
            db.or_(Concern.located_at.is_(None), Concern.located_at <= started),
        )
        .values(clustered_at=now)
    )
