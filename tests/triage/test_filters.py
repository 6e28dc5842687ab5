"""Triage filters: read from the query string, every bad value refused with a clear message."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from community.extensions import db
from community.models import Area, AreaKind, HotspotStatus
from community.triage.filters import (
    DEFAULT_DAYS,
    FilterError,
    parse_bbox,
    parse_filters,
    parse_zoom,
)

TODAY = date(2026, 6, 30)


def parse(**args: object) -> object:
    return parse_filters(MultiDict(args), today=TODAY)


def test_defaults_are_the_last_quarter_of_active_hotspots(app) -> None:
    filters = parse()
    assert filters.until == TODAY
    assert (filters.until - filters.since).days == DEFAULT_DAYS
    assert set(filters.statuses) == {"new", "triaged", "assigned", "in_progress"}
    assert filters.category_ids == () and filters.area is None and filters.min_priority is None


def test_filters_round_trip_through_the_query_string(app) -> None:
    area = db.session.scalar(db.select(Area).filter_by(kind=AreaKind.POLICE_DISTRICT))
    args = MultiDict(
        [
            ("since", "2026-01-01"),
            ("until", "2026-03-31"),
            ("category", "drug_activity"),
            ("category", "shots_fired"),
            ("status", "assigned,in_progress"),
            ("agency", "MPD-D3"),
            ("area", str(area.id)),
            ("priority", "12.5"),
        ]
    )
    filters = parse_filters(args, today=TODAY)
    assert filters.statuses == (HotspotStatus.ASSIGNED, HotspotStatus.IN_PROGRESS)
    assert len(filters.category_ids) == 2 and filters.area.id == area.id
    again = parse_filters(MultiDict(filters.query()), today=TODAY)
    assert again == filters


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"since": "31/01/2026"}, "since: '31/01/2026' is not a date; use YYYY-MM-DD"),
        ({"until": "2026-02-30"}, "until: '2026-02-30' is not a date"),
        ({"since": "2026-05-01", "until": "2026-04-01"}, "the start date is after the end date"),
        ({"since": "2010-01-01"}, "a date range of at most"),
        ({"category": "'; DROP TABLE concern;--"}, "category: unknown"),
        ({"status": "open<script>"}, "status: unknown 'open<script>'"),
        ({"agency": "NOPE"}, "agency: no agency with the code 'NOPE'"),
        ({"area": "abc"}, "area: an area's number"),
        ({"area": "999999"}, "area: no area number 999999"),
        ({"priority": "high"}, "priority: a minimum priority from 0"),
        ({"priority": "nan"}, "priority: a minimum priority from 0"),
        ({"priority": "-1"}, "priority: a minimum priority from 0"),
    ],
)
def test_bad_filters_say_what_is_wrong(app, args: dict, message: str) -> None:
    with pytest.raises(FilterError, match=None) as error:
        parse(**args)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "raw", ["1,2,3", "a,b,c,d", "-87,43,-88,44", "-88,91,-87,92", "inf,1,2,3", "1,2,3,4,5"]
)
def test_bad_bbox_is_refused(raw: str) -> None:
    with pytest.raises(FilterError, match="bbox"):
        parse_bbox(MultiDict({"bbox": raw}))


def test_bbox_and_zoom() -> None:
    box = parse_bbox(MultiDict({"bbox": "-88.07,42.92,-87.86,43.2"}))
    assert (box.west, box.south, box.east, box.north) == (-88.07, 42.92, -87.86, 43.2)
    assert parse_bbox(MultiDict()) is None
    assert parse_zoom(MultiDict({"zoom": "15"})) == 15
    for bad in ("-1", "23", "1.5", "x"):
        with pytest.raises(FilterError, match="zoom: a whole number from 0 to 22"):
            parse_zoom(MultiDict({"zoom": bad}))


def test_today_is_the_citys_date_not_utcs(app) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    now = datetime.now(UTC)
    zone = next(
        z
        for z in ("Pacific/Kiritimati", "Etc/GMT+12")  # one of them is on another date than UTC
        if now.astimezone(ZoneInfo(z)).date() != now.date()
    )
    app.config["CITY_TIMEZONE"] = zone
    assert parse_filters(MultiDict()).until == datetime.now(ZoneInfo(zone)).date()
