"""Each hotspot's derived facts (shape, counts, categories, trend, priority), all at once.

Derived columns are written with plain UPDATE statements that leave the hotspot's version
alone: a re-cluster refreshing a hotspot's outline must not make a prosecutor's open
assignment form stale. Only rows whose values changed are written.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

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
    repeats: dict[int, int],
) -> int:
    """Recompute every hotspot with concerns in the window; returns how many rows changed."""
    members = membership >= 0
    if not members.any():
        return 0
    hotspot_ids, dense = np.unique(membership[members], return_inverse=True)
    values = _derived(window, x, y, members, dense, hotspot_ids, facts, city, now, repeats)
    totals = _totals(hotspot_ids)
    for hotspot_id, row in values.items():
        count, first, last = totals.get(hotspot_id, (0, None, None))
        row.update(concern_count=count, first_reported_at=first, last_reported_at=last)
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
    places = _counts_by(dense, window.label_code[members], n)
    values: dict[int, dict] = {}
    for i, hotspot_id in enumerate(hotspot_ids.tolist()):
        top = categories[i].most_common(1)[0][0]
        hood = next((h for h, _ in hoods[i].most_common() if h >= 0), None)
        place = next((p for p, _ in places[i].most_common() if p >= 0), None)
        fact = facts[top]
        values[hotspot_id] = {
            "label": _label(fact.name_en, None if place is None else window.labels[place]),
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
    pairs, counts = np.unique(np.column_stack([dense, values]), axis=0, return_counts=True)
    for (label, value), k in zip(pairs.tolist(), counts.tolist(), strict=True):
        counters[label][value] = k
    return counters


def _totals(hotspot_ids: np.ndarray) -> dict[int, tuple[int, datetime, datetime]]:
    """All-time member count and first/last report (members older than the window count too)."""
    totals: dict[int, tuple[int, datetime, datetime]] = {}
    ids = hotspot_ids.tolist()
    for start in range(0, len(ids), 900):
        rows = db.session.execute(
            db.select(
                Concern.hotspot_id,
                sa.func.count(Concern.id),
                sa.func.min(Concern.reported_at),
                sa.func.max(Concern.reported_at),
            )
            .where(Concern.hotspot_id.in_(ids[start : start + 900]))
            .group_by(Concern.hotspot_id)
        )
        totals.update({row[0]: (row[1], row[2], row[3]) for row in rows})
    return totals


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
