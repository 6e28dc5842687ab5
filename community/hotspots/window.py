"""The concerns a re-cluster considers, loaded as columns (numpy arrays), not ORM objects.

A million concerns as ORM objects would take gigabytes; as arrays they take tens of MB. Rows
are read in chunks so the Python tuples of one chunk are all that exist at once. Location
labels (text) are not loaded: the few that are needed are asked for by hotspot or by id.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

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
    family: np.ndarray  # problem family code (str): one problem at one place
    severity: np.ndarray
    reported_s: np.ndarray  # seconds since the epoch
    hotspot: np.ndarray  # hotspot id before this run, -1 for none
    open: np.ndarray  # bool: status OPEN (not resolved)
    is_address: np.ndarray  # bool: placed on an exact address point
    neighborhood: np.ndarray  # area id, -1 for none
    unclustered: np.ndarray  # bool: located since the last run (or joined on the fast path)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class CategoryFacts:
    code: str
    name_en: str
    group: str
    severity: int
    family: str = "nuisance"


def categories() -> dict[int, CategoryFacts]:
    """Every category's code, name, group, severity and family, by id."""
    return {
        row.id: CategoryFacts(row.code, row.name_en, str(row.group), row.severity, row.family)
        for row in db.session.execute(
            db.select(
                Category.id,
                Category.code,
                Category.name_en,
                Category.group,
                Category.severity,
                Category.family,
            )
        )
    }


def moment(seconds: float) -> datetime:
    """An aware UTC datetime from the epoch seconds the window carries."""
    return datetime.fromtimestamp(float(seconds), tz=UTC)


def batches(ids: list[int], size: int = 900) -> Iterator[list[int]]:
    """Ids in slices small enough for an IN (...) list on every database."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def location_labels(concern_ids: list[int]) -> dict[int, str]:
    """The geocoder's place label of each concern, by id."""
    labels: dict[int, str] = {}
    for ids in batches(concern_ids):
        rows = db.session.execute(
            db.select(Concern.id, Concern.location_label).where(Concern.id.in_(ids))
        )
        labels.update({concern_id: label or "" for concern_id, label in rows})
    return labels


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


class epoch_seconds(sa.sql.expression.FunctionElement):  # noqa: N801 - an SQL function
    """Seconds since 1970 of a UTC timestamp column, computed by the database (no parsing here)."""

    type = sa.Float()
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler, **kw) -> str:
    # SQLite stores UTC as ISO text; julianday() parses it, 2440587.5 is 1970-01-01.
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler, **kw) -> str:
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})::float8"


def load_window(since: datetime, reopen_since: datetime, facts: dict[int, CategoryFacts]) -> Window:
    """Located, recent concerns that are not part of a hotspot staff have finished with.

    Every column comes back as a number computed by the database, so rows go straight into
    one float array per chunk with no per-value Python conversion.
    """
    query = sa.select(
        Concern.id,
        Concern.lon,
        Concern.lat,
        Concern.category_id,
        epoch_seconds(Concern.reported_at),
        sa.func.coalesce(Concern.hotspot_id, -1),
        sa.case((Concern.status == ConcernStatus.OPEN.value, 1), else_=0),
        sa.case((Concern.location_kind == LocationKind.ADDRESS.value, 1), else_=0),
        sa.func.coalesce(Concern.neighborhood_id, -1),
        sa.case((Concern.clustered_at.is_(None), 1), else_=0),
    ).where(
        Concern.geocode_status == GeocodeStatus.LOCATED,
        Concern.status.in_(CLUSTERED_STATUSES),
        Concern.reported_at >= since,
        sa.or_(
            Concern.hotspot_id.is_(None),
            Concern.hotspot_id.in_(matchable_hotspots(reopen_since)),
        ),
    )
    result = db.session.connection().execute(query)
    # Every column is a plain number: read the driver's tuples straight into arrays, without
    # building a SQLAlchemy Row per concern (the one cost that grows with the city).
    chunks = []
    while rows := result.cursor.fetchmany(CHUNK):
        chunks.append(np.array(rows, dtype=float))
    result.close()
    table = np.concatenate(chunks) if chunks else np.zeros((0, 10))
    del chunks
    category = table[:, 3].astype(np.int64)
    size = max(facts, default=0) + 1
    severity = np.zeros(size, dtype=np.int8)
    group = np.full(size, "", dtype=object)
    family = np.full(size, "", dtype=object)
    for category_id, fact in facts.items():
        severity[category_id] = fact.severity
        group[category_id] = fact.group
        family[category_id] = fact.family
    return Window(
        ids=table[:, 0].astype(np.int64),
        lon=table[:, 1].copy(),
        lat=table[:, 2].copy(),
        category=category,
        group=group[category],
        family=family[category],
        severity=severity[category],
        reported_s=table[:, 4].copy(),
        hotspot=table[:, 5].astype(np.int64),
        open=table[:, 6] > 0,
        is_address=table[:, 7] > 0,
        neighborhood=table[:, 8].astype(np.int64),
        unclustered=table[:, 9] > 0,
    )
