"""The triage map's filters: read from a query string, checked, and written back to one.

Every filter lives in the URL so a view can be shared. A bad value is a FilterError with a
message that says which parameter and what is accepted; routes answer it with a 400.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from werkzeug.datastructures import MultiDict

from community.extensions import db
from community.filters import city_midnight, city_zone
from community.models import Agency, Area, Category, HotspotStatus
from community.params import day, whole_number
from community.workflow.states import HOTSPOT_ACTIVE

DEFAULT_DAYS = 90  # the default date range: the last quarter
MAX_DAYS = 5 * 366
MAX_PRIORITY = 100_000.0
MAX_ZOOM = 22
ACTIVE = "active"  # the status filter's default: every status still being worked


class FilterError(ValueError):
    """A filter parameter that cannot be used; the message names it and what it accepts."""


@dataclass(frozen=True)
class Bbox:
    """A viewport in lon/lat: west, south, east, north."""

    west: float
    south: float
    east: float
    north: float

    def padded(self, share: float) -> Bbox:
        """The box grown by a share of its size on every side (hotspots near the edge)."""
        dx, dy = (self.east - self.west) * share, (self.north - self.south) * share
        return Bbox(self.west - dx, self.south - dy, self.east + dx, self.north + dy)


@dataclass(frozen=True)
class TriageFilters:
    """What the prosecutor asked to see."""

    since: date
    until: date
    category_ids: tuple[int, ...] = ()
    category_codes: tuple[str, ...] = ()
    statuses: tuple[HotspotStatus, ...] = field(default_factory=lambda: tuple(HOTSPOT_ACTIVE))
    status_param: str = ACTIVE
    agency_id: int | None = None
    agency_code: str = ""
    area: Area | None = None
    min_priority: float | None = None

    @property
    def since_dt(self) -> datetime:
        """The city's midnight starting the first day (as exports and reports count days)."""
        return city_midnight(self.since)

    @property
    def until_dt(self) -> datetime:
        """The city's midnight ending the last day asked for (exclusive)."""
        return city_midnight(self.until + timedelta(days=1))

    def query(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs (what the page's links and the JS carry)."""
        pairs = [("since", self.since.isoformat()), ("until", self.until.isoformat())]
        pairs += [("category", code) for code in self.category_codes]
        pairs.append(("status", self.status_param))
        if self.agency_code:
            pairs.append(("agency", self.agency_code))
        if self.area is not None:
            pairs.append(("area", str(self.area.id)))
        if self.min_priority is not None:
            pairs.append(("priority", f"{self.min_priority:g}"))
        return pairs


def parse_filters(args: MultiDict, today: date | None = None) -> TriageFilters:
    """The filters in a query string; FilterError on the first bad value."""
    today = today or datetime.now(city_zone()).date()
    until = _date(args, "until") or today
    since = _date(args, "since") or until - timedelta(days=DEFAULT_DAYS)
    if since > until:
        raise FilterError("since: the start date is after the end date (until).")
    if (until - since).days > MAX_DAYS:
        raise FilterError(f"since/until: a date range of at most {MAX_DAYS} days, please.")
    codes = tuple(dict.fromkeys(c.strip() for c in args.getlist("category") if c.strip()))
    statuses, status_param = _statuses(args.get("status", ACTIVE).strip() or ACTIVE)
    agency_id, agency_code = _agency(args.get("agency", "").strip())
    return TriageFilters(
        since=since,
        until=until,
        category_ids=_category_ids(codes),
        category_codes=codes,
        statuses=statuses,
        status_param=status_param,
        agency_id=agency_id,
        agency_code=agency_code,
        area=_area(args.get("area", "").strip()),
        min_priority=_priority(args.get("priority", "").strip()),
    )


def parse_bbox(args: MultiDict) -> Bbox | None:
    """The viewport in `bbox=west,south,east,north` (lon/lat), or None when not given."""
    raw = args.get("bbox", "").strip()
    if not raw:
        return None
    parts = raw.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise FilterError(
            "bbox: four numbers west,south,east,north in degrees, e.g. "
            "bbox=-88.07,42.92,-87.86,43.20."
        ) from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise FilterError("bbox: the numbers must be finite.")
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise FilterError("bbox: west < east within -180..180 and south < north within -90..90.")
    return Bbox(west, south, east, north)


def parse_zoom(args: MultiDict, default: int = 12) -> int:
    """The map's zoom level (0..22)."""
    zoom = whole_number(args.get("zoom"), "zoom", 0, MAX_ZOOM, error=FilterError)
    return default if zoom is None else zoom


def _date(args: MultiDict, name: str) -> date | None:
    return day(args.get(name), name, error=FilterError)


def _category_ids(codes: tuple[str, ...]) -> tuple[int, ...]:
    if not codes:
        return ()
    known = dict(db.session.execute(db.select(Category.code, Category.id)).tuples().all())
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise FilterError(
            f"category: unknown {', '.join(repr(c[:40]) for c in unknown[:3])}; "
            f"known: {', '.join(sorted(known))}."
        )
    return tuple(known[c] for c in codes)


def _statuses(raw: str) -> tuple[tuple[HotspotStatus, ...], str]:
    if raw == ACTIVE:
        return tuple(sorted(HOTSPOT_ACTIVE)), ACTIVE
    if raw == "all":
        return tuple(HotspotStatus), "all"
    names = [s.strip() for s in raw.split(",") if s.strip()]
    valid = {str(s) for s in HotspotStatus}
    wrong = [n for n in names if n not in valid]
    if wrong or not names:
        raise FilterError(
            f"status: unknown {wrong[0][:40]!r}; use active, all, or one or more of "
            f"{', '.join(sorted(valid))} (comma-separated)."
            if wrong
            else "status: give a status."
        )
    return tuple(HotspotStatus(n) for n in dict.fromkeys(names)), ",".join(dict.fromkeys(names))


def _agency(raw: str) -> tuple[int | None, str]:
    if not raw:
        return None, ""
    found = db.session.scalar(db.select(Agency.id).filter_by(code=raw))
    if found is None:
        raise FilterError(f"agency: no agency with the code {raw[:40]!r}.")
    return found, raw


def _area(raw: str) -> Area | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise FilterError("area: an area's number from the list of areas.")
    area = db.session.get(Area, int(raw))
    if area is None:
        raise FilterError(f"area: no area number {raw}.")
    return area


def _priority(raw: str) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= MAX_PRIORITY:
        raise FilterError(f"priority: a minimum priority from 0 to {MAX_PRIORITY:g}.")
    return value
