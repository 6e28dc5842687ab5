"""The staff hotspot page pages its concerns and its history, whatever the hotspot's size.

Concerns newest first, 25 a page (?concerns_page=N); history newest first, 30 lines a page
(?history_page=N), runs of concerns joining shown as one line. Page numbers out of range or
not numbers open the nearest page, never an error. The page makes the same number of SQL
queries for 8 concerns as for 150.

The hotspots are built directly (rows as the re-cluster writes them: concerns with a
hotspot_id, one system "clustered" event per concern sharing the run's time), so these tests
do not depend on the clustering rule.
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from community.demo.reference import load_reference_data
from community.extensions import db
from community.models import (
    Area,
    AreaKind,
    AssignmentRole,
    Category,
    Concern,
    Event,
    EventKind,
    Hotspot,
    Photo,
    Resident,
    Role,
    utcnow,
)
from community.staff.paging import Paged, page_number
from community.workflow.service import assign
from tests.conftest import make_app, sign_in
from tests.factories import UserFactory, agency, make_staff
from tests.helpers import CORNER, placed_concerns

PASSWORDS = {
    "admin": ("admin@example.org", "admin-pass"),
    "prosecutor": ("prosecutor@example.org", "prosecutor-pass"),
    "viewer": ("viewer@example.org", "viewer-pass"),
    "agency_staff": ("d3@example.org", "agency_staff-pass"),
    "other_agency": ("dns@example.org", "dns-staff-pass"),
}


# Building hotspots ---------------------------------------------------------------------


def build_hotspot(concerns: int, *, notes: int = 0, late_joins: int = 0, residents=False) -> int:
    """A hotspot of `concerns` concerns (reported a minute apart, the newest first by index),
    all joined in one re-cluster run, then `notes` staff notes, then `late_joins` more
    concerns joined one at a time (as the fast path does), each with its event."""
    category = db.session.scalar(db.select(Category).filter_by(code="drug_activity"))
    hotspot = Hotspot(
        label="Drug activity near 3500 W Center St",
        category_id=category.id,
        category_group=str(category.group),
        centroid_lat=CORNER[0],
        centroid_lon=CORNER[1],
        concern_count=concerns + late_joins,
        priority=10.0,
    )
    db.session.add(hotspot)
    db.session.commit()
    made = placed_concerns(concerns + late_joins, hotspot_id=hotspot.id, days_ago=10)
    if residents:
        for i, concern in enumerate(made):
            resident = Resident(
                phone_encrypted=b"x", phone_hash=f"{hotspot.id:04d}{i:060d}", phone_last4="0187"
            )
            db.session.add(resident)
            db.session.flush()
            concern.resident_id = resident.id
    start = utcnow() - timedelta(days=9)
    for concern in made[late_joins:]:  # the older ones: placed_concerns makes newest first
        db.session.add(_joined(concern, hotspot.id, start))
    for i in range(notes):
        db.session.add(
            Event(
                kind=EventKind.NOTE,
                actor="prosecutor@example.org",
                hotspot_id=hotspot.id,
                reason=f"note number {i}",
                created_at=start + timedelta(hours=1 + i),
            )
        )
    for i, concern in enumerate(reversed(made[:late_joins])):
        db.session.add(_joined(concern, hotspot.id, start + timedelta(days=2, minutes=i)))
    db.session.commit()
    return hotspot.id


def _joined(concern: Concern, hotspot_id: int, at) -> Event:
    return Event(
        kind=EventKind.CLUSTERED,
        actor="system",
        concern_id=concern.id,
        hotspot_id=hotspot_id,
        created_at=at,
    )


def newest_first_case_numbers(hotspot_id: int) -> list[str]:
    return db.session.scalars(
        db.select(Concern.case_number)
        .filter_by(hotspot_id=hotspot_id)
        .order_by(Concern.reported_at.desc(), Concern.id.desc())
    ).all()


@pytest.fixture
def big(app, users) -> int:
    """60 concerns (50 in one run, 10 joining later) and 40 notes between them."""
    return build_hotspot(50, notes=40, late_joins=10)


@pytest.fixture
def dns_staff(app):
    return UserFactory(
        email="dns@example.org",
        role=Role.AGENCY_STAFF,
        password="dns-staff-pass",
        agency_id=agency("DNS").id,
    )


# Reading the page ----------------------------------------------------------------------


class Parts(HTMLParser):
    """What the tests read of the page: concern rows, history lines, pagers, ids."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.case_numbers: list[str] = []
        self.history: list[str] = []
        self.pagers: dict[str, list[dict]] = {}
        self.ids: list[str] = []
        self._in_concerns = self._cell = 0
        self._nav: str | None = None
        self._link: dict | None = None
        self._line: list[str] | None = None
        self._text: list[str] = []
        self._in_timeline = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "table" and a.get("data-testid") == "concerns":
            self._in_concerns = 1
        elif tag == "tr" and self._in_concerns:
            self._cell = 0
        elif tag == "td" and self._in_concerns:
            self._cell += 1
            self._text = []
        elif tag == "nav" and a.get("class") == "pager":
            self._nav = a["aria-label"]
            self.pagers[self._nav] = []
        elif tag == "a" and self._nav:
            self._link = {**a, "text": ""}
        elif tag == "ol" and a.get("data-testid") == "timeline":
            self._in_timeline = True
        elif tag == "li" and self._line is None and self._in_timeline:
            self._line = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._in_concerns:
            self._in_concerns = 0
        elif tag == "td" and self._in_concerns and self._cell == 1:
            self.case_numbers.append("".join(self._text).strip())
        elif tag == "nav":
            self._nav = None
        elif tag == "a" and self._link is not None:
            self.pagers[self._nav].append(self._link)
            self._link = None
        elif tag == "li" and self._line is not None:
            self.history.append(" ".join("".join(self._line).split()))
            self._line = None
        elif tag == "ol":
            self._in_timeline = False

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        if self._link is not None:
            self._link["text"] += data
        if self._line is not None:
            self._line.append(data)


def get(client, url: str) -> tuple[str, Parts]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.get_data(as_text=True)
    return html, Parts(html)


def link(parts: Parts, pager: str, rel: str) -> str | None:
    return next((a["href"] for a in parts.pagers.get(pager, []) if a.get("rel") == rel), None)


def current(parts: Parts, pager: str) -> str:
    (marked,) = [a for a in parts.pagers[pager] if a.get("aria-current") == "page"]
    return " ".join(marked["text"].split())


CONCERNS, HISTORY = "Pages of concerns", "Pages of history"


# Concerns ------------------------------------------------------------------------------


def test_the_first_page_shows_the_newest_25_concerns_and_links_on(client, big) -> None:
    sign_in(client, *PASSWORDS["prosecutor"])
    html, parts = get(client, f"/staff/hotspots/{big}")
    assert parts.case_numbers == newest_first_case_numbers(big)[:25]
    assert "Concerns 1–25 of 60" in html
    assert "Page 1 of 3" in html
    assert current(parts, CONCERNS) == "Page 1"
    assert link(parts, CONCERNS, "prev") is None
    assert link(parts, CONCERNS, "next") == f"/staff/hotspots/{big}?concerns_page=2#concerns"
    assert '<h2 id="concerns">' in html and '<h2 id="history">' in html
    assert len(parts.ids) == len(set(parts.ids)), "duplicate ids"


def test_following_the_links_shows_every_concern_once(client, big) -> None:
    sign_in(client, *PASSWORDS["prosecutor"])
    seen, url, pages = [], f"/staff/hotspots/{big}", 0
    while url:
        html, parts = get(client, url)
        pages += 1
        seen.extend(parts.case_numbers)
        assert current(parts, CONCERNS) == f"Page {pages}"
        url = link(parts, CONCERNS, "next")
    assert pages == 3
    assert seen == newest_first_case_numbers(big)
    assert "Concerns 51–60 of 60" in html and "Page 3 of 3" in html
    back = link(parts, CONCERNS, "prev")
    assert back == f"/staff/hotspots/{big}?concerns_page=2#concerns"
    assert get(client, back)[1].case_numbers == seen[25:50]


def test_page_links_keep_the_other_lists_page(client, big) -> None:
    sign_in(client, *PASSWORDS["prosecutor"])
    _, parts = get(client, f"/staff/hotspots/{big}?history_page=2&concerns_page=2&lang=en")
    query = parse_qs(urlsplit(link(parts, CONCERNS, "next")).query)
    assert query == {"history_page": ["2"], "concerns_page": ["3"], "lang": ["en"]}
    query = parse_qs(urlsplit(link(parts, HISTORY, "prev")).query)
    assert query == {"concerns_page": ["2"], "history_page": ["1"], "lang": ["en"]}
    assert urlsplit(link(parts, HISTORY, "prev")).fragment == "history"


def test_query_arguments_never_change_where_a_link_goes(client, big) -> None:
    sign_in(client, *PASSWORDS["prosecutor"])
    _, parts = get(client, f"/staff/hotspots/{big}?hotspot_id=1&_external=1&_anchor=x")
    target = urlsplit(link(parts, CONCERNS, "next"))
    assert target.netloc == "" and target.path == f"/staff/hotspots/{big}"
    assert target.fragment == "concerns"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("", 1),
        ("2.5", 1),
        ("²", 1),
        ("%00", 1),
        ("3", 3),
        ("4", 3),
        ("99999", 3),
        ("9" * 40, 3),
        ("9" * 5000, 3),  # more digits than int() accepts from a string
    ],
)
def test_a_page_number_out_of_range_opens_the_nearest_page(client, big, raw, shown) -> None:
    sign_in(client, *PASSWORDS["prosecutor"])
    for name in ("concerns_page", "history_page"):
        _, parts = get(client, f"/staff/hotspots/{big}?{name}={raw}")
        pager = CONCERNS if name == "concerns_page" else HISTORY
        pages = 3 if name == "concerns_page" else 2
        assert current(parts, pager) == f"Page {min(shown, pages)}"


def test_a_small_hotspot_has_no_pager(client, users) -> None:
    hotspot_id = build_hotspot(4)
    neighborhood = db.session.scalar(
        db.select(Area).filter_by(kind=AreaKind.NEIGHBORHOOD).order_by(Area.id).limit(1)
    )
    db.session.get(Hotspot, hotspot_id).neighborhood_id = neighborhood.id
    db.session.commit()
    sign_in(client, *PASSWORDS["viewer"])
    html, parts = get(client, f"/staff/hotspots/{hotspot_id}")
    assert f" · {neighborhood.name.title()}" in html
    assert len(parts.case_numbers) == 4
    assert "Concerns 1–4 of 4" in html
    assert parts.pagers == {}
    assert 'aria-label="Pages of' not in html


def test_an_empty_hotspot_says_so(client, users) -> None:
    hotspot_id = build_hotspot(0)
    sign_in(client, *PASSWORDS["viewer"])
    html, parts = get(client, f"/staff/hotspots/{hotspot_id}?concerns_page=5")
    assert parts.case_numbers == [] and "No concerns in this hotspot now." in html


def test_photos_only_of_the_concerns_shown(client, big) -> None:
    newest, oldest = (
        db.session.scalar(db.select(Concern).filter_by(case_number=n))
        for n in (newest_first_case_numbers(big)[0], newest_first_case_numbers(big)[-1])
    )
    for concern, name in ((newest, "a" * 32), (oldest, "b" * 32)):
        db.session.add(
            Photo(
                concern_id=concern.id,
                file=f"web-{name}.jpg",
                content_type="image/jpeg",
                width=4,
                height=3,
                size_bytes=10,
            )
        )
    db.session.commit()
    sign_in(client, *PASSWORDS["viewer"])
    first, _ = get(client, f"/staff/hotspots/{big}")
    last, _ = get(client, f"/staff/hotspots/{big}?concerns_page=3")
    assert f"web-{'a' * 32}.jpg" in first and f"web-{'b' * 32}.jpg" not in first
    assert f"web-{'b' * 32}.jpg" in last and f"web-{'a' * 32}.jpg" not in last


def test_masked_phones_for_workers_only(client, users) -> None:
    hotspot_id = build_hotspot(30, residents=True)
    sign_in(client, *PASSWORDS["prosecutor"])
    assert get(client, f"/staff/hotspots/{hotspot_id}")[0].count("***-***-0187") == 25
    client.post("/logout")
    sign_in(client, *PASSWORDS["viewer"])
    assert "***-***-0187" not in get(client, f"/staff/hotspots/{hotspot_id}")[0]


# History -------------------------------------------------------------------------------


def test_history_is_paged_newest_first_with_runs_of_joins_as_one_line(client, big) -> None:
    sign_in(client, *PASSWORDS["prosecutor"])
    events_before = db.session.scalar(db.select(sa.func.count()).select_from(Event))
    html, first = get(client, f"/staff/hotspots/{big}")
    # Lines, newest first: the 10 late joins (one run), 40 notes, the 50 joins of the run.
    assert len(first.history) == 30
    assert "system: 10 concerns joined this hotspot (since" in first.history[0]
    assert [line.split(": ", 1)[1] for line in first.history[1:4]] == [
        "note (note number 39)",
        "note (note number 38)",
        "note (note number 37)",
    ]
    assert "Newest first: lines 1–30 of 42" in html
    assert "Page 1 of 2" in html and current(first, HISTORY) == "Page 1"
    assert 'reversed start="42"' in html  # numbered oldest = 1, as the history grew
    _, second = get(client, link(first, HISTORY, "next"))
    assert len(second.history) == 12
    assert second.history[-2].endswith("note (note number 0)")
    assert "system: 50 concerns joined this hotspot" in second.history[-1]
    assert "since" not in second.history[-1]  # one run, one time
    assert link(second, HISTORY, "next") is None
    assert current(second, HISTORY) == "Page 2"
    # Only the display is compact: every event is still there.
    assert db.session.scalar(db.select(sa.func.count()).select_from(Event)) == events_before
    assert (
        db.session.scalar(
            db.select(sa.func.count())
            .select_from(Event)
            .filter_by(hotspot_id=big, kind=EventKind.CLUSTERED)
        )
        == 60
    )


def test_a_lone_join_and_staff_events_keep_their_own_lines(client, users) -> None:
    hotspot_id = build_hotspot(3, notes=1, late_joins=1)
    hotspot = db.session.get(Hotspot, hotspot_id)
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"], "D3 owns it")
    db.session.commit()
    sign_in(client, *PASSWORDS["prosecutor"])
    _, parts = get(client, f"/staff/hotspots/{hotspot_id}")
    lines = [line.split(" — ", 1)[1] for line in parts.history]
    assert (
        "prosecutor@example.org: assigned Milwaukee Police District 3 (lead) (D3 owns it)"
        in lines[:-3]
    )
    assert lines[-3:] == [
        "system: clustered",
        "prosecutor@example.org: note (note number 0)",
        "system: 3 concerns joined this hotspot",
    ]
    assert parts.pagers == {}


# Who may see which page ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("prosecutor", 200),
        ("viewer", 200),
        ("agency_staff", 200),  # its agency leads the hotspot
        ("other_agency", 403),
    ],
)
def test_every_page_checks_the_role(client, users, big, dns_staff, role, status) -> None:
    hotspot = db.session.get(Hotspot, big)
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    db.session.commit()
    sign_in(client, *PASSWORDS[role])
    for query in ("", "?concerns_page=2", "?history_page=2", "?concerns_page=3&history_page=9"):
        assert client.get(f"/staff/hotspots/{big}{query}").status_code == status, query


def test_every_page_needs_sign_in(client, big) -> None:
    for query in ("?concerns_page=2", "?history_page=2"):
        response = client.get(f"/staff/hotspots/{big}{query}")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# Cost ----------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    db.session.remove()  # the request gets a new session, as in production: nothing cached
    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    return len(statements)


def test_the_page_makes_the_same_queries_for_8_concerns_as_for_150(client, users) -> None:
    small = build_hotspot(8, notes=2, late_joins=2, residents=True)
    large = build_hotspot(140, notes=60, late_joins=10, residents=True)
    for hotspot_id in (small, large):
        hotspot = db.session.get(Hotspot, hotspot_id)
        assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
        assign(hotspot, agency("DNS"), AssignmentRole.PARTNER, users["prosecutor"])
    db.session.commit()
    sign_in(client, *PASSWORDS["prosecutor"])
    for query in ("", "?concerns_page=2&history_page=2"):
        queries = {h: count_queries(client, f"/staff/hotspots/{h}{query}") for h in (small, large)}
        assert queries[small] == queries[large], queries
        assert queries[large] <= 25, queries


@pytest.mark.postgres
def test_pages_on_postgres(postgres_database: str) -> None:
    """The history's window functions and the pages' LIMIT/OFFSET on PostgreSQL."""
    app = make_app(postgres_database)
    with app.app_context():
        upgrade()
        load_reference_data()
        make_staff()
        hotspot_id = build_hotspot(50, notes=40, late_joins=10, residents=True)
        client = app.test_client()
        sign_in(client, *PASSWORDS["prosecutor"])
        html, first = get(client, f"/staff/hotspots/{hotspot_id}")
        assert first.case_numbers == newest_first_case_numbers(hotspot_id)[:25]
        assert "Concerns 1–25 of 60" in html and "Newest first: lines 1–30 of 42" in html
        assert "system: 10 concerns joined this hotspot (since" in first.history[0]
        assert first.history[1].endswith("note (note number 39)")
        _, last = get(client, f"/staff/hotspots/{hotspot_id}?concerns_page=9&history_page=x2")
        assert last.case_numbers == newest_first_case_numbers(hotspot_id)[50:]
        assert current(last, HISTORY) == "Page 1"
        _, second = get(client, link(first, HISTORY, "next"))
        assert "system: 50 concerns joined this hotspot" in second.history[-1]
        assert len(second.history) == 12
        db.session.remove()
        db.engine.dispose()


# Paging arithmetic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 1), ("", 1), ("1", 1), ("7", 7), ("8", 7), ("0", 1), ("x", 1), ("1" * 10, 7)],
)
def test_page_number(raw, expected) -> None:
    assert page_number(raw, 7) == expected


@pytest.mark.parametrize(
    ("number", "pages", "window"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 20, [1, 2, 3, None, 20]),
        (5, 20, [1, 2, 3, 4, 5, 6, 7, None, 20]),
        (10, 20, [1, None, 8, 9, 10, 11, 12, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
    ],
)
def test_page_window(number, pages, window) -> None:
    assert Paged([None], number, 10, pages * 10).window() == window


def test_page_counts() -> None:
    page = Paged(list(range(25)), 2, 25, 60)
    assert (page.pages, page.first, page.last, page.has_previous, page.has_next) == (
        3,
        26,
        50,
        True,
        True,
    )
    assert Paged([], 1, 25, 0).first == 0 and Paged([], 1, 25, 0).pages == 1
