"""What an export covers: an area, a period, a category and a status, checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from community.extensions import db
from community.filters import city_midnight
from community.models import Area, AreaKind, Category, ConcernStatus, HotspotStatus
from community.params import day

# Group names accepted besides single statuses.
CONCERN_GROUPS = {
    "open": frozenset({ConcernStatus.NEW, ConcernStatus.NEEDS_LOCATION, ConcernStatus.OPEN}),
    "closed": frozenset(
        {
            ConcernStatus.RESOLVED,
            ConcernStatus.CLOSED,
            ConcernStatus.DUPLICATE,
            ConcernStatus.NOT_ACTIONABLE,
        }
    ),
}
HOTSPOT_GROUPS = {
    "active": frozenset(
        {
            HotspotStatus.NEW,
            HotspotStatus.TRIAGED,
            HotspotStatus.ASSIGNED,
            HotspotStatus.IN_PROGRESS,
        }
    ),
    "done": frozenset(
        {
            HotspotStatus.RESOLVED,
            HotspotStatus.CLOSED,
            HotspotStatus.DUPLICATE,
            HotspotStatus.NOT_ACTIONABLE,
        }
    ),
}


# Area layers a concern records (business districts are not stored on concerns).
AREA_KINDS = frozenset(
    {AreaKind.NEIGHBORHOOD, AreaKind.ALDERMANIC_DISTRICT, AreaKind.WARD, AreaKind.POLICE_DISTRICT}
)


class ExportFilterError(ValueError):
    """A filter that makes no sense; the message says how to fix it."""


@dataclass(frozen=True)
class ExportFilter:
    """The rows an export covers (None: no restriction)."""

    area: Area | None = None
    start: datetime | None = None  # inclusive, UTC-aware
    end: datetime | None = None  # exclusive, UTC-aware
    category_id: int | None = None
    status: str | None = None  # a status value or a group name
    agency_id: int | None = None  # agency staff: only hotspots their agency is on

    def concern_statuses(self) -> frozenset[ConcernStatus] | None:
        if not self.status:
            return None
        return CONCERN_GROUPS.get(self.status) or frozenset({ConcernStatus(self.status)})

    def hotspot_statuses(self) -> frozenset[HotspotStatus] | None:
        if not self.status:
            return None
        if self.status in HOTSPOT_GROUPS:
            return HOTSPOT_GROUPS[self.status]
        if self.status == "open":
            return HOTSPOT_GROUPS["active"]
        if self.status == "closed":
            return HOTSPOT_GROUPS["done"]
        return frozenset({HotspotStatus(self.status)})


def _day(args: Mapping[str, str], name: str) -> date | None:
    return day(args.get(name), name, error=ExportFilterError)


def _small_number(raw: str) -> bool:
    # str.isdigit() accepts "²" and int() then fails; 20 digits overflow the database's integer.
    return raw.isascii() and raw.isdigit() and len(raw) <= 9


def parse_filter(args: Mapping[str, str], kind: str = "concerns") -> ExportFilter:
    """The filter from query parameters area, start, end, category, status."""
    area = None
    raw_area = (args.get("area") or "").strip()
    if raw_area:
        if not _small_number(raw_area):
            raise ExportFilterError("area: an area's number from the list of areas.")
        area = db.session.get(Area, int(raw_area))
        if area is None or area.kind not in AREA_KINDS:
            raise ExportFilterError("Choose an area from the list.")
    start, end = _day(args, "start"), _day(args, "end")
    if start and end and end < start:
        raise ExportFilterError("The end date is before the start date.")
    category_id = None
    code = (args.get("category") or "").strip()
    if code:
        category_id = db.session.scalar(db.select(Category.id).filter_by(code=code))
        if category_id is None:
            raise ExportFilterError(f"Unknown category {code[:40]!r}.")
    status = (args.get("status") or "").strip() or None
    allowed = (
        set(CONCERN_GROUPS) | {s.value for s in ConcernStatus}
        if kind == "concerns"
        else set(HOTSPOT_GROUPS) | {"open", "closed"} | {s.value for s in HotspotStatus}
    )
    if status and status not in allowed:
        raise ExportFilterError(f"Unknown status {status[:40]!r}.")
    return ExportFilter(
        area=area,
        start=city_midnight(start) if start else None,
        end=city_midnight(end + timedelta(days=1)) if end else None,
        category_id=category_id,
        status=status,
    )
