"""Each hotspot's derived facts (shape, counts, categories, trend, priority), all at once.

Derived columns are written with plain UPDATE statements that leave the hotspot's version
alone: a re-cluster refreshing a hotspot's outline must not make a prosecutor's open
assignment form stale. Only rows whose values changed are written.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import numpy as np
import sqlalchemy as sa

from community.extensions import db
from community.geo.citypkg import CityPackage, to_lonlat
from community.geo.clustering import hull_outlines
from community.hotspots.priority import VIOLENT_GROUP, reasons, score_labels
from community.hotspots.window import CategoryFacts, Window, batches, location_labels, moment
from community.models import Concern, Hotspot

OUTLINE_BUFFER_M = 40.0
DERIVED = (
    "label",
    "category_id",
    "category_group",
    "category_counts",
    "centroid_lat",
    "centroid_lon",
    "outline",
    "concern_count",
    "first_reported_at",
    "last_reported_at",
    "recent_count",
    "previous_count",
    "priority",
    "priority_reasons",
    "neighborhood_id",
)


@dataclass
class Members:
    """The window's concerns that belong to a hotspot, numbered by hotspot (dense 0..n-1)."""

    window: Window
    where: np.ndarray  # bool per window entry: in a hotspot
    x: np.ndarray  # projected metres of the members
    y: np.ndarray
    dense: np.ndarray  # per member: index into hotspot_ids
    hotspot_ids: np.ndarray  # sorted ids

    @classmethod
    def of(cls, window: Window, x: np.ndarray, y: np.ndarray, membership: np.ndarray) -> Members:
        where = membership >= 0
        hotspot_ids, dense = np.unique(membership[where], return_inverse=True)
        return cls(window, where, x[where], y[where], dense, hotspot_ids)

    @cached_property
    def count(self) -> np.ndarray:
        return np.bincount(self.dense, minlength=len(self.hotspot_ids))

    @cached_property
    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean position of each hotspot's members, in metres."""
        n = len(self.hotspot_ids)
        return (
            np.bincount(self.dense, self.x, minlength=n) / self.count,
            np.bincount(self.dense, self.y, minlength=n) / self.count,
        )

    def column(self, values: np.ndarray) -> np.ndarray:
        """A window column, members only."""
        return values[self.where]


def refresh(
    window: Window,
    x: np.ndarray,
    y: np.ndarray,
    membership: np.ndarray,
    context: Context,
    touched: set[int],
) -> int:
    """Recompute every hotspot with concerns in the window; returns how many rows changed.

    Scores, trends and shapes are recomputed for all (they change as concerns age); the
    all-time totals and the place label only for hotspots whose members changed (touched).
    """
    if not (membership >= 0).any():
        return 0
    members = Members.of(window, x, y, membership)
    values = _derived(members, context)
    stored = _stored(members.hotspot_ids)
    changed_ids = np.array(sorted(touched & set(values) | (set(values) - set(stored))))
    totals = _totals(members, changed_ids, context.since)
    places = _places(members, changed_ids)
    for hotspot_id, row in values.items():
        name = context.facts[row["category_id"]].name_en
        if hotspot_id in totals:
            count, first, last = totals[hotspot_id]
            label = _label(name, places.get(hotspot_id))
        else:
            old = stored[hotspot_id]
            count, first, last = (
                old["concern_count"],
                old["first_reported_at"],
                old["last_reported_at"],
            )
            label = old["label"]
            if not label.startswith(name):
                # The leading category changed: keep the place, rename the problem.
                label = _label(name, label.split(" near ", 1)[1] if " near " in label else None)
        row.update(concern_count=count, first_reported_at=first, last_reported_at=last, label=label)
    changed = [h for h, row in values.items() if _differs_from(stored.get(h), row)]
    if changed:
        table = Hotspot.__table__
        db.session.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("hotspot_id"))
            .values({name: sa.bindparam(name) for name in DERIVED}),
            [{"hotspot_id": hotspot_id, **values[hotspot_id]} for hotspot_id in changed],
        )
    return len(changed)


@dataclass(frozen=True)
class Context:
    """What a refresh needs besides the concerns."""

    facts: dict[int, CategoryFacts]
    city: CityPackage
    now: datetime
    since: datetime  # start of the window
    repeats: dict[int, int]  # repeat addresses per hotspot id


def _derived(members: Members, context: Context) -> dict[int, dict]:
    window, dense, facts = members.window, members.dense, context.facts
    n = len(members.hotspot_ids)
    lon, lat = to_lonlat(context.city, *members.centres)
    outlines = hull_outlines(members.x, members.y, dense, OUTLINE_BUFFER_M, context.city)
    scores = score_labels(
        dense,
        members.column(window.severity),
        members.column(window.reported_s),
        members.column(window.group) == VIOLENT_GROUP,
        context.now.timestamp(),
    )
    categories = _counts_by(dense, members.column(window.category), n)
    hoods = _counts_by(dense, members.column(window.neighborhood), n)
    values: dict[int, dict] = {}
    for i, hotspot_id in enumerate(members.hotspot_ids.tolist()):
        top = categories[i].most_common(1)[0][0]
        values[hotspot_id] = {
            "category_id": top,
            "category_group": facts[top].group,
            "category_counts": json.dumps(
                {facts[c].code: k for c, k in sorted(categories[i].items())}, sort_keys=True
            ),
            "centroid_lat": round(float(lat[i]), 7),
            "centroid_lon": round(float(lon[i]), 7),
            "outline": json.dumps(outlines[i]),
            "recent_count": int(scores.recent[i]),
            "previous_count": int(scores.previous[i]),
            "priority": float(scores.value[i]),
            "priority_reasons": reasons(scores, i, context.repeats.get(hotspot_id, 0)),
            "neighborhood_id": next((h for h, _ in hoods[i].most_common() if h >= 0), None),
        }
    return values


def _label(category_name: str, place: str | None) -> str:
    return f"{category_name} near {place}"[:200] if place else category_name


def _counts_by(dense: np.ndarray, values: np.ndarray, n: int) -> list[Counter]:
    """For each dense label, a Counter of values (few distinct per hotspot)."""
    counters: list[Counter] = [Counter() for _ in range(n)]
    values = np.asarray(values, dtype=np.int64)
    low = int(values.min()) if len(values) else 0
    span = int(values.max()) - low + 1 if len(values) else 1
    # One int64 key per (label, value): a 1-D unique is many times faster than axis=0.
    keys, counts = np.unique(dense.astype(np.int64) * span + (values - low), return_counts=True)
    for key, k in zip(keys.tolist(), counts.tolist(), strict=True):
        label, value = divmod(key, span)
        counters[label][value + low] = k
    return counters


def _places(members: Members, wanted: np.ndarray) -> dict[int, str]:
    """Each wanted hotspot's place: the label of its member nearest its centre.

    Found with array arithmetic (one sort), then one query for just those labels.
    """
    if len(wanted) == 0:
        return {}
    cx, cy = members.centres
    dense = members.dense
    distance = np.hypot(members.x - cx[dense], members.y - cy[dense])
    order = np.lexsort((distance, dense))
    first = order[np.r_[0, np.flatnonzero(np.diff(dense[order])) + 1]]
    ids = members.column(members.window.ids)
    nearest = dict(zip(dense[first].tolist(), ids[first].tolist(), strict=True))
    wanted_ids = set(wanted.tolist())
    concern_for = {
        h: nearest[i] for i, h in enumerate(members.hotspot_ids.tolist()) if h in wanted_ids
    }
    labels = location_labels(list(concern_for.values()))
    return {h: labels[c] for h, c in concern_for.items() if labels.get(c)}


def _totals(
    members: Members, wanted: np.ndarray, since: datetime
) -> dict[int, tuple[int, datetime, datetime]]:
    """All-time member count and first/last report of the wanted hotspots.

    The window's members come from the arrays; members older than the window (few, and
    found through the hotspot_id index) are added with one grouped query.
    """
    n = len(members.hotspot_ids)
    reported = members.column(members.window.reported_s)
    first = np.full(n, np.inf)
    last = np.full(n, -np.inf)
    np.minimum.at(first, members.dense, reported)
    np.maximum.at(last, members.dense, reported)
    index = {h: i for i, h in enumerate(members.hotspot_ids.tolist())}
    totals = {
        h: [int(members.count[index[h]]), moment(first[index[h]]), moment(last[index[h]])]
        for h in wanted.tolist()
    }
    for ids in batches(wanted.tolist()):
        older = db.session.execute(
            db.select(
                Concern.hotspot_id, sa.func.count(Concern.id), sa.func.min(Concern.reported_at)
            )
            .where(Concern.hotspot_id.in_(ids), Concern.reported_at < since)
            .group_by(Concern.hotspot_id)
        )
        for hotspot_id, extra, earliest in older:
            totals[hotspot_id][0] += extra
            totals[hotspot_id][1] = min(totals[hotspot_id][1], earliest)
    return {h: (row[0], row[1], row[2]) for h, row in totals.items()}


def _stored(hotspot_ids: np.ndarray) -> dict[int, dict]:
    """The derived columns as stored now, by hotspot id (one read serves both uses)."""
    table = Hotspot.__table__
    stored = {}
    for ids in batches(hotspot_ids.tolist()):
        rows = db.session.execute(
            sa.select(table.c.id, *(table.c[name] for name in DERIVED)).where(table.c.id.in_(ids))
        )
        stored.update({row[0]: dict(zip(DERIVED, row[1:], strict=True)) for row in rows})
    return stored


def _differs_from(old: dict | None, new: dict) -> bool:
    """Whether a hotspot's new derived values differ from what is stored."""
    return old is None or any(_differs(old[name], new[name]) for name in DERIVED)


def _differs(old: object, new: object) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) > 1e-9
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.timestamp() != new.timestamp()
    return old != new
