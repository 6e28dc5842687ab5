"""Repeat locations: the same address reported N times in D days, rebuilt on every re-cluster."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import numpy as np

from community.extensions import db
from community.geo.clustering import repeat_keys
from community.hotspots.window import Window, location_labels, moment
from community.models import RepeatLocation


def rebuild(
    window: Window, membership: np.ndarray, min_count: int, days: float, now: datetime
) -> dict[int, int]:
    """Replace the repeat-location table; returns repeat addresses per hotspot id."""
    db.session.execute(db.delete(RepeatLocation))
    address = np.flatnonzero(window.is_address)
    if len(address) == 0:
        return {}
    # An exact address point: the same coordinates to about a centimetre.
    keys = np.round(window.lat[address], 7) * 1e8 + np.round(window.lon[address], 7)
    repeated = repeat_keys(keys, window.reported_s[address], min_count, days)
    if len(repeated) == 0:
        return {}
    chosen = address[np.isin(keys, repeated)]
    groups: dict[float, list[int]] = {}
    for key, index in zip(keys[np.isin(keys, repeated)].tolist(), chosen.tolist(), strict=True):
        groups.setdefault(key, []).append(index)
    labels = location_labels([int(window.ids[indexes[0]]) for indexes in groups.values()])
    per_hotspot: Counter = Counter()
    rows = []
    for indexes in groups.values():
        row = _row(window, membership, np.array(indexes), now)
        row["label"] = labels.get(int(window.ids[indexes[0]]), "")[:200]
        rows.append(row)
        if row["hotspot_id"] is not None:
            per_hotspot[row["hotspot_id"]] += 1
    db.session.execute(db.insert(RepeatLocation), rows)
    return dict(per_hotspot)


def _row(window: Window, membership: np.ndarray, indexes: np.ndarray, now: datetime) -> dict:
    first = indexes[0]
    hotspots = [h for h in membership[indexes].tolist() if h >= 0]
    hood = int(window.neighborhood[first])
    return {
        "lat": float(window.lat[first]),
        "lon": float(window.lon[first]),
        "concern_count": len(indexes),
        "first_reported_at": moment(window.reported_s[indexes].min()),
        "last_reported_at": moment(window.reported_s[indexes].max()),
        "category_id": Counter(window.category[indexes].tolist()).most_common(1)[0][0],
        "neighborhood_id": hood if hood >= 0 else None,
        "hotspot_id": Counter(hotspots).most_common(1)[0][0] if hotspots else None,
        "computed_at": now,
    }
