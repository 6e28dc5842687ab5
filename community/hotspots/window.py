"""The concerns a re-cluster considers, loaded as columns (numpy arrays), not ORM objects.

A million concerns as ORM objects would take gigabytes; as arrays they take tens of MB. Rows
are read in chunks so the Python tuples of one chunk are all that exist at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from community.extensions import db
from community.models import (
    Category,
    Concern,
    ConcernStatus,
    GeocodeStatus,
    Hotspot,
    HotspotStatus,
    LocationKind,
)
from community.workflow.states import HOTSPOT_ACTIVE

CLUSTERED_STATUSES = (ConcernStatus.OPEN, ConcernStatus.RESOLVED)
CHUNK = 50_000


@dataclass
class Window:
    """One entry per concern in the window."""

    ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    category: np.ndarray  # category id
    group: np.ndarray  # category group code (str)
    severity: np.ndarray
    reported_s: np.ndarray  # seconds since the epoch
    hotspot: np.ndarray  # hotspot id before this run, -1 for none
    open: np.ndarray  # bool: status OPEN (not resolved)
    is_address: np.ndarray  # bool: placed on an exact address point
    neighborhood: np.ndarray  # area id, -1 for none
    labels: pd.Index  # distinct location labels
    label_code: np.ndarray  # index into labels, -1 for none

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class CategoryFacts:
    code: str
    name_en: str
    group: str
    severity: int


def categories() -> dict[int, CategoryFacts]:
    """Every category's code, name, group and severity, by id."""
    return {
        row.id: CategoryFacts(row.code, row.name_en, str(row.group), row.severity)
        for row in db.session.execute(
            db.select(
                Category.id, Category.code, Category.name_en, Category.group, Category.severity
            )
        )
    }


def matchable_hotspots(reopen_since: datetime) -> db.Select:
    """Hotspots a run may still add concerns to: active ones, and ones resolved recently."""
    return db.select(Hotspot.id).where(
        db.or_(
            Hotspot.status.in_(HOTSPOT_ACTIVE),
            db.and_(
                Hotspot.status == HotspotStatus.RESOLVED,
                db.or_(Hotspot.resolved_at.is_(None), Hotspot.resolved_at >= reopen_since),
            ),
        )
    )


def load_window(since: datetime, reopen_since: datetime, facts: dict[int, CategoryFacts]) -> Window:
    """Located, recent concerns that are not part of a hotspot staff have finished with."""
    query = db.select(
        Concern.id,
        Concern.lon,
        Concern.lat,
        Concern.category_id,
        Concern.reported_at,
        Concern.hotspot_id,
        Concern.status,
        Concern.location_kind,
        Concern.neighborhood_id,
        Concern.location_label,
    ).where(
        Concern.geocode_status == GeocodeStatus.LOCATED,
        Concern.status.in_(CLUSTERED_STATUSES),
        Concern.reported_at >= since,
        db.or_(
            Concern.hotspot_id.is_(None),
            Concern.hotspot_id.in_(matchable_hotspots(reopen_since)),
        ),
    )
    columns: dict[str, list[np.ndarray]] = {name: [] for name in _NAMES}
    labels: list[str | None] = []
    result = db.session.execute(query.execution_options(yield_per=CHUNK))
    for rows in result.partitions():
        _append_chunk(columns, labels, rows)
    data = {name: _concat(parts, _DTYPES[name]) for name, parts in columns.items()}
    codes, uniques = pd.factorize(pd.Series(labels, dtype=object), use_na_sentinel=True)
    category = data["category"]
    size = max(facts, default=0) + 1
    severity = np.zeros(size, dtype=np.int8)
    group = np.full(size, "", dtype=object)
    for category_id, fact in facts.items():
        severity[category_id] = fact.severity
        group[category_id] = fact.group
    return Window(
        ids=data["ids"],
        lon=data["lon"],
        lat=data["lat"],
        category=category,
        group=group[category],
        severity=severity[category],
        reported_s=data["reported_s"],
        hotspot=data["hotspot"],
        open=data["open"],
        is_address=data["is_address"],
        neighborhood=data["neighborhood"],
        labels=pd.Index(uniques),
        label_code=codes.astype(np.int32),
    )


_NAMES = (
    "ids",
    "lon",
    "lat",
    "category",
    "reported_s",
    "hotspot",
    "open",
    "is_address",
    "neighborhood",
)
_DTYPES = {
    "ids": np.int64,
    "lon": float,
    "lat": float,
    "category": np.int64,
    "reported_s": float,
    "hotspot": np.int64,
    "open": bool,
    "is_address": bool,
    "neighborhood": np.int64,
}


def _append_chunk(columns: dict[str, list[np.ndarray]], labels: list, rows: list) -> None:
    (ids, lon, lat, category, reported, hotspot, status, kind, hood, label) = zip(
        *rows, strict=True
    )
    columns["ids"].append(np.array(ids, dtype=np.int64))
    columns["lon"].append(np.array(lon, dtype=float))
    columns["lat"].append(np.array(lat, dtype=float))
    columns["category"].append(np.array(category, dtype=np.int64))
    columns["reported_s"].append(np.array([r.timestamp() for r in reported], dtype=float))
    columns["hotspot"].append(np.array([-1 if h is None else h for h in hotspot], dtype=np.int64))
    columns["open"].append(np.array([s == ConcernStatus.OPEN for s in status], dtype=bool))
    columns["is_address"].append(np.array([k == LocationKind.ADDRESS for k in kind], dtype=bool))
    columns["neighborhood"].append(np.array([-1 if n is None else n for n in hood], dtype=np.int64))
    labels.extend(label)


def _concat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.array([], dtype=dtype)
