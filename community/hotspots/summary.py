"""Each hotspot's derived facts (shape, counts, categories, trend, priority), all at once.

Derived columns are written with plain UPDATE statements that leave the hotspot's version
alone: a re-cluster refreshing a hotspot's outline must not make a prosecutor's open
assignment form stale. Only rows whose values changed are written.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa

from community.extensions import db
from community.geo.citypkg import CityPackage, to_lonlat
from community.geo.clustering import hull_outlines
from community.hotspots.priority import VIOLENT_GROUP, reasons, score_labels
from community.hotspots.window import CategoryFacts, Window
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


def refresh(
    window: Window,
    x: np.ndarray,
    y: np.ndarray,
    membership: np.ndarray,
    facts: dict[int, CategoryFacts],
    city: CityPackage,
    now: datetime,
    since: datetime,
    repeats: dict[int, int],
    touched: set[int],
) -> int:
    """Recompute every hotspot with concerns in the window; returns how many rows changed.

    Scores, trends and shapes are recomputed for all (they change as concerns age); the
    all-time totals and the place label only for hotspots whose members changed (touched).
    """
    members = membership >= 0
    if not members.any():
        return 0
    hotspot_ids, dense = np.unique(membership[members], return_inverse=True)
    values = _derived(window, x, y, members, dense, hotspot_ids, facts, city, now, repeats)
    stored = _stored(hotspot_ids)
    changed_ids = np.array(sorted(touched & set(values) | (set(values) - set(stored))))
    totals = _totals(window, members, dense, hotspot_ids, changed_ids, since)
    places = _places(window, x, y, members, dense, hotspot_ids, changed_ids)
    for hotspot_id, row in values.items():
        if hotspot_id in totals:
            count, first, last = totals[hotspot_id]
            place = places.get(hotspot_id)
            label = _label(facts[row["category_id"]].name_en, place)
        else:
            count, first, last, label = stored[hotspot_id]
            if not label.startswith(facts[row["category_id"]].name_en):
                # The leading category changed: keep the place, rename the problem.
                place = label.split(" near ", 1)[1] if " near " in label else None
                label = _label(facts[row["category_id"]].name_en, place)
        row.update(concern_count=count, first_reported_at=first, last_reported_at=last, label=label)
    changed = _changed(values)
    if changed:
        table = Hotspot.__table__
        db.session.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("hotspot_id"))
            .values({name: sa.bindparam(name) for name in DERIVED}),
            [{"hotspot_id": hotspot_id, **values[hotspot_id]} for hotspot_id in changed],
        )
    return len(changed)


def _derived(
    window: Window,
    x: np.ndarray,
    y: np.ndarray,
    members: np.ndarray,
    dense: np.ndarray,
    hotspot_ids: np.ndarray,
    facts: dict[int, CategoryFacts],
    city: CityPackage,
    now: datetime,
    repeats: dict[int, int],
) -> dict[int, dict]:
    n = len(hotspot_ids)
    count = np.bincount(dense, minlength=n)
    cx = np.bincount(dense, x[members], minlength=n) / count
    cy = np.bincount(dense, y[members], minlength=n) / count
    lon, lat = to_lonlat(city, cx, cy)
    outlines = hull_outlines(x[members], y[members], dense, OUTLINE_BUFFER_M, city)
    violent = window.group[members] == VIOLENT_GROUP
    scores = score_labels(
        dense, window.severity[members], window.reported_s[members], violent, now.timestamp()
    )
    categories = _counts_by(dense, window.category[members], n)
    hoods = _counts_by(dense, window.neighborhood[members], n)
    values: dict[int, dict] = {}
    for i, hotspot_id in enumerate(hotspot_ids.tolist()):
        top = categories[i].most_common(1)[0][0]
        hood = next((h for h, _ in hoods[i].most_common() if h >= 0), None)
        fact = facts[top]
        values[hotspot_id] = {
            "category_id": top,
            "category_group": fact.group,
            "category_counts": json.dumps(
                {facts[c].code: k for c, k in sorted(categories[i].items())}, sort_keys=True
            ),
            "centroid_lat": round(float(lat[i]), 7),
            "centroid_lon": round(float(lon[i]), 7),
            "outline": json.dumps(outlines[i]),
            "recent_count": int(scores.recent[i]),
            "previous_count": int(scores.previous[i]),
            "priority": float(scores.value[i]),
            "priority_reasons": reasons(scores, i, repeats.get(hotspot_id, 0)),
            "neighborhood_id": hood,
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


def _places(
    window: Window,
    x: np.ndarray,
    y: np.ndarray,
    members: np.ndarray,
    dense: np.ndarray,
    hotspot_ids: np.ndarray,
    wanted: np.ndarray,
) -> dict[int, str]:
    """Each wanted hotspot's place: the label of its member nearest its centre.

    Found with array arithmetic (one sort), then one query for just those labels.
    """
    if len(wanted) == 0:
        return {}
    n = len(hotspot_ids)
    count = np.bincount(dense, minlength=n)
    cx = np.bincount(dense, x[members], minlength=n) / count
    cy = np.bincount(dense, y[members], minlength=n) / count
    distance = np.hypot(x[members] - cx[dense], y[members] - cy[dense])
    order = np.lexsort((distance, dense))
    first = order[np.r_[0, np.flatnonzero(np.diff(dense[order])) + 1]]
    nearest = dict(zip(dense[first].tolist(), window.ids[members][first].tolist(), strict=True))
    wanted_ids = set(wanted.tolist())
    concern_for = {h: nearest[i] for i, h in enumerate(hotspot_ids.tolist()) if h in wanted_ids}
    labels: dict[int, str] = {}
    ids = list(concern_for.values())
    for start in range(0, len(ids), 900):
        rows = db.session.execute(
            db.select(Concern.id, Concern.location_label).where(
                Concern.id.in_(ids[start : start + 900])
            )
        )
        labels.update({concern_id: label for concern_id, label in rows})
    return {h: labels[c] for h, c in concern_for.items() if labels.get(c)}


def _totals(
    window: Window,
    members: np.ndarray,
    dense: np.ndarray,
    hotspot_ids: np.ndarray,
    wanted: np.ndarray,
    since: datetime,
) -> dict[int, tuple[int, datetime, datetime]]:
    """All-time member count and first/last report of the wanted hotspots.

    The window's members come from the arrays; members older than the window (few, and
    found through the hotspot_id index) are added with one grouped query.
    """
    n = len(hotspot_ids)
    reported = window.reported_s[members]
    count = np.bincount(dense, minlength=n)
    first = np.full(n, np.inf)
    last = np.full(n, -np.inf)
    np.minimum.at(first, dense, reported)
    np.maximum.at(last, dense, reported)
    index = {h: i for i, h in enumerate(hotspot_ids.tolist())}
    totals = {
        h: [int(count[index[h]]), _moment(first[index[h]]), _moment(last[index[h]])]
        for h in wanted.tolist()
    }
    ids = wanted.tolist()
    for start in range(0, len(ids), 900):
        older = db.session.execute(
            db.select(
                Concern.hotspot_id, sa.func.count(Concern.id), sa.func.min(Concern.reported_at)
            )
            .where(Concern.hotspot_id.in_(ids[start : start + 900]), Concern.reported_at < since)
            .group_by(Concern.hotspot_id)
        )
        for hotspot_id, extra, earliest in older:
            totals[hotspot_id][0] += extra
            totals[hotspot_id][1] = min(totals[hotspot_id][1], earliest)
    return {h: (row[0], row[1], row[2]) for h, row in totals.items()}


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(float(seconds), tz=UTC)


def _stored(hotspot_ids: np.ndarray) -> dict[int, tuple[int, datetime, datetime, str]]:
    """What is stored now: count, first and last report, and label, by hotspot id."""
    stored = {}
    ids = hotspot_ids.tolist()
    for start in range(0, len(ids), 900):
        rows = db.session.execute(
            db.select(
                Hotspot.id,
                Hotspot.concern_count,
                Hotspot.first_reported_at,
                Hotspot.last_reported_at,
                Hotspot.label,
            ).where(Hotspot.id.in_(ids[start : start + 900]))
        )
        stored.update({row[0]: tuple(row[1:]) for row in rows})
    return stored


def _changed(values: dict[int, dict]) -> list[int]:
    """Hotspots whose stored derived values differ from the new ones."""
    table = Hotspot.__table__
    changed = []
    ids = list(values)
    for start in range(0, len(ids), 900):
        rows = db.session.execute(
            sa.select(table.c.id, *(table.c[name] for name in DERIVED)).where(
                table.c.id.in_(ids[start : start + 900])
            )
        )
        for row in rows:
            new = values[row[0]]
            if any(_differs(row[i + 1], new[name]) for i, name in enumerate(DERIVED)):
                changed.append(row[0])
    return changed


def _differs(old: object, new: object) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) > 1e-9
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.timestamp() != new.timestamp()
    return old != new
