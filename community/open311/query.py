"""GET requests: the specification's filters, its 90-day window, and page/page_size paging."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app

from community.extensions import db
from community.filters import city_zone
from community.models import Category, Concern, ConcernStatus, utcnow
from community.open311.errors import Open311Error
from community.open311.serialize import OPEN_STATUSES, as_requests, load_options

MAX_SPAN = timedelta(days=90)
MAX_IDS = 1000
PUBLIC_STATUSES = ("open", "closed")
CLOSED_STATUSES = frozenset(set(ConcernStatus) - OPEN_STATUSES - {ConcernStatus.DUPLICATE})


@dataclass(frozen=True)
class RequestQuery:
    """What GET requests asked for, checked."""

    ids: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = 1000


def parse_datetime(name: str, value: str) -> datetime:
    """A W3C datetime (2010-01-01T00:00:00Z, with an offset, or a date); no offset = city time."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise Open311Error(
            400, f"{name} must be a W3C datetime such as 2010-01-01T00:00:00Z, got {value!r}."
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=city_zone())
    return parsed


def _list(args: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in args.get(name, "").split(",") if p.strip()))


def _positive(args: Mapping[str, str], name: str, default: int, limit: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        number = int(raw)
    except ValueError:
        raise Open311Error(400, f"{name} must be a whole number, got {raw!r}.") from None
    if number < 1 or number > limit:
        raise Open311Error(400, f"{name} must be between 1 and {limit}.")
    return number


def _window(args: Mapping[str, str], now: datetime) -> tuple[datetime, datetime]:
    try:
        return _bounded_window(args, now)
    except OverflowError:
        # 9999-12-01 plus 90 days, or year 1 at +14:00 in UTC, falls off the calendar.
        raise Open311Error(
            400, "start_date and end_date must be dates between the years 1 and 9999."
        ) from None


def _bounded_window(args: Mapping[str, str], now: datetime) -> tuple[datetime, datetime]:
    start = parse_datetime("start_date", args["start_date"]) if args.get("start_date") else None
    end = parse_datetime("end_date", args["end_date"]) if args.get("end_date") else None
    if start is None and end is None:
        end = now
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        raise Open311Error(400, "end_date is before start_date.")
    if end - start > MAX_SPAN:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days.")
    return start.astimezone(UTC), end.astimezone(UTC)


def parse_query(args: Mapping[str, str], now: datetime | None = None) -> RequestQuery:
    """The query a client's parameters describe; Open311Error 400 when they make no sense."""
    max_size = current_app.config["OPEN311_PAGE_SIZE"]
    page = _positive(args, "page", 1, 1_000_000)
    page_size = _positive(args, "page_size", max_size, max_size)
    ids = _list(args, "service_request_id")
    if len(ids) > MAX_IDS:
        raise Open311Error(400, f"Ask for at most {MAX_IDS} service_request_id at once.")
    if ids:  # the specification: ids override every other filter
        return RequestQuery(ids=ids, page=page, page_size=page_size)
    statuses = _list(args, "status")
    unknown = [s for s in statuses if s not in PUBLIC_STATUSES]
    if unknown:
        raise Open311Error(400, f"status must be open or closed, got {unknown[0]!r}.")
    start, end = _window(args, now or utcnow())
    return RequestQuery(
        codes=_list(args, "service_code"),
        start=start,
        end=end,
        statuses=statuses,
        page=page,
        page_size=page_size,
    )


def _statuses(public: tuple[str, ...]) -> set[ConcernStatus]:
    wanted: set[ConcernStatus] = set()
    if "open" in public:
        wanted |= OPEN_STATUSES
    if "closed" in public:
        wanted |= CLOSED_STATUSES
    return wanted


def find_requests(query: RequestQuery) -> list[dict[str, Any]]:
    """One page of matching requests, newest first."""
    select = db.select(Concern).where(Concern.status != ConcernStatus.DUPLICATE)
    if query.ids:
        select = select.where(Concern.case_number.in_(query.ids))
    else:
        select = select.where(Concern.reported_at >= query.start, Concern.reported_at <= query.end)
        if query.codes:
            select = select.join(Category).where(Category.code.in_(query.codes))
        if query.statuses:
            select = select.where(Concern.status.in_(_statuses(query.statuses)))
    select = (
        select.order_by(Concern.reported_at.desc(), Concern.id.desc())
        .offset((query.page - 1) * query.page_size)
        .limit(query.page_size)
        .options(*load_options())
    )
    return as_requests(db.session.scalars(select).all())


def find_request(service_request_id: str) -> list[dict[str, Any]]:
    """GET requests/{id}: a one-element list; Open311Error 404 when there is no such request."""
    concern = db.session.scalar(
        db.select(Concern)
        .filter_by(case_number=service_request_id.strip().upper())
        .options(*load_options())
    )
    if concern is None:
        raise Open311Error(404, f"service_request_id {service_request_id!r} was not found.")
    return as_requests([concern])
