"""`flask demo` at city scale: bulk, really geocoded, problem places, worked, repeatable.

The demo is run once for the module (3,000 concerns: a city's pattern at a test's cost);
each test reads its own copy of that database.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from community.extensions import db
from community.models import (
    Action,
    Assignment,
    Category,
    Concern,
    ConcernSource,
    ConcernStatus,
    Event,
    EventKind,
    GeocodeStatus,
    Hotspot,
    HotspotStatus,
    RepeatLocation,
    Resident,
)
from tests.conftest import fresh_app, make_app

COUNT = 3000
SEED = 11
PLACE_REACH_M = 100  # a problem place is at most 80 m from its centre; its centroid is near that


@pytest.fixture(scope="module")
def demo_database(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """The template database after `flask demo --concerns 3000`, and what the command said."""
    path = tmp_path_factory.mktemp("demo_scale") / "demo.sqlite"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        result = app.test_cli_runner().invoke(
            args=["demo", "--concerns", str(COUNT), "--seed", str(SEED)]
        )
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    return path, result.output


@pytest.fixture
def demo(demo_database: tuple, tmp_path: Path) -> Iterator[Flask]:
    yield from fresh_app(demo_database[0], tmp_path)


def _count(what) -> int:
    """Rows of a model, or of a select."""
    if isinstance(what, sa.Select):
        what = what.subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(what))


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111_320
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def test_the_command_creates_that_many_concerns_most_located(demo, demo_database) -> None:
    output = demo_database[1]
    assert _count(Concern) == COUNT
    located = _count(sa.select(Concern.id).where(Concern.geocode_status == GeocodeStatus.LOCATED))
    failed = _count(sa.select(Concern.id).where(Concern.geocode_status == GeocodeStatus.FAILED))
    assert located / COUNT > 0.95 and located + failed == COUNT
    assert f"demo: {COUNT} concerns, {located} located" in output
    hotspots = _count(Hotspot)
    assert f"{hotspots} hotspots" in output and hotspots >= 50
    # What the locate job would have done: open and in their areas, or waiting for staff.
    statuses = Counter(db.session.scalars(sa.select(Concern.status)))
    assert statuses[ConcernStatus.NEEDS_LOCATION] == failed
    assert statuses[ConcernStatus.OPEN] + statuses[ConcernStatus.RESOLVED] == located
    outside = _count(
        sa.select(Concern.id).where(
            Concern.geocode_status == GeocodeStatus.LOCATED, Concern.neighborhood_id.is_(None)
        )
    )
    assert outside < COUNT * 0.005  # WIBR has a few addresses just past the city limits


def test_every_concern_has_its_history_in_events(demo) -> None:
    kinds = Counter(
        db.session.execute(
            sa.select(Event.kind, sa.func.count())
            .where(Event.concern_id.is_not(None))
            .group_by(Event.kind)
        ).all()
    )
    kinds = {str(kind): n for (kind, n), _ in kinds.items()}
    located = _count(sa.select(Concern.id).where(Concern.lat.is_not(None)))
    assert kinds["created"] == COUNT
    assert kinds["located"] == located
    assert kinds["location_failed"] == COUNT - located
    # new -> open or needs_location for each, plus open -> resolved in resolved hotspots
    resolved = _count(sa.select(Concern.id).where(Concern.status == ConcernStatus.RESOLVED))
    assert kinds["status_changed"] == COUNT + resolved
    created = db.session.execute(
        sa.select(Event.created_at, Concern.reported_at)
        .join(Concern, Concern.id == Event.concern_id)
        .where(Event.kind == EventKind.CREATED)
        .limit(50)
    ).all()
    assert all(event_at == reported_at for event_at, reported_at in created)


def test_concerns_are_geocoded_from_their_own_words(demo) -> None:
    from community.places.locate import best_place

    rows = db.session.execute(
        sa.select(Concern.location_text, Concern.text, Concern.lat, Concern.lon)
        .where(Concern.lat.is_not(None))
        .order_by(Concern.id)
        .limit(300)
    ).all()
    for location_text, text, lat, lon in rows[::10]:
        place = best_place(location_text, text)
        assert (place.lat, place.lon) == pytest.approx((lat, lon)), text


def test_the_same_words_are_geocoded_once(demo_database) -> None:
    found = re.search(r"(\d+) distinct texts geocoded", demo_database[1])
    assert found
    app = make_app(f"sqlite:///{demo_database[0]}")
    with app.app_context():
        rows = db.session.execute(sa.select(Concern.location_text, Concern.text)).all()
        db.session.remove()
        db.engine.dispose()
    distinct = {words for row in rows for words in row if words}
    assert int(found.group(1)) == len(distinct) < 2 * COUNT
    # Chronic addresses: the same address typed again and again on the web form.
    typed = Counter(location for location, _ in rows if location)
    assert typed.most_common(1)[0][1] >= 5


def test_hotspots_are_places(demo) -> None:
    members = db.session.execute(
        sa.select(
            Hotspot.id, Hotspot.centroid_lat, Hotspot.centroid_lon, Concern.lat, Concern.lon
        ).join(Concern, Concern.hotspot_id == Hotspot.id)
    ).all()
    assert len(members) > COUNT * 0.3
    farthest = max(_metres(clat, clon, lat, lon) for _, clat, clon, lat, lon in members)
    assert farthest <= PLACE_REACH_M
    sizes = Counter(hotspot_id for hotspot_id, *_ in members)
    assert sizes.most_common(1)[0][1] >= 15  # chronic places: many reports at one spot
    assert _count(RepeatLocation) >= 20  # the same address reported 3+ times in 30 days


def test_related_categories_make_one_place(demo) -> None:
    families = dict(db.session.execute(sa.select(Category.code, Category.family)).all())
    mixed = 0
    for counts, family in db.session.execute(sa.select(Hotspot.category_counts, Hotspot.family)):
        codes = json.loads(counts)
        assert {families[code] for code in codes} == {family}
        mixed += len(codes) >= 3
    assert mixed >= 10  # e.g. a drug house: drug activity, nuisance property, loitering, shots


def test_categories_in_realistic_proportions(demo) -> None:
    from community.demo.scenario import CATEGORY_WEIGHTS

    counts = dict(
        db.session.execute(
            sa.select(Category.code, sa.func.count(Concern.id))
            .join(Concern, Concern.category_id == Category.id)
            .group_by(Category.code)
        ).all()
    )
    total = sum(CATEGORY_WEIGHTS.values())
    for code, weight in CATEGORY_WEIGHTS.items():
        assert counts[code] == pytest.approx(COUNT * weight / total, abs=COUNT * 0.01), code


def test_english_and_spanish(demo) -> None:
    languages = Counter(db.session.scalars(sa.select(Concern.language)))
    assert 0.05 < languages["es"] / COUNT < 0.25
    spanish = db.session.scalars(sa.select(Concern.text).where(Concern.language == "es")).all()
    assert all("{addr}" not in text for text in spanish)
    assert sum(any(w in t for w in (" de ", " en ", " la ")) for t in spanish) > len(spanish) * 0.9
    # A resident who texts in Spanish is answered in Spanish.
    texted = db.session.execute(
        sa.select(Concern.language, Resident.language).join(
            Resident, Resident.id == Concern.resident_id
        )
    ).all()
    assert texted and all(mine == theirs for mine, theirs in texted)


def test_reported_over_ninety_days_rising_and_falling(demo) -> None:
    now = datetime.now(UTC)
    first, last = db.session.execute(
        sa.select(sa.func.min(Concern.reported_at), sa.func.max(Concern.reported_at))
    ).one()
    first = first.replace(tzinfo=UTC) if first.tzinfo is None else first
    last = last.replace(tzinfo=UTC) if last.tzinfo is None else last
    assert now - timedelta(days=90) < first < now - timedelta(days=80)
    assert now - timedelta(days=2) < last <= now
    trends = Counter(
        "rising" if recent > previous else "falling" if recent < previous else "steady"
        for recent, previous in db.session.execute(
            sa.select(Hotspot.recent_count, Hotspot.previous_count)
        )
    )
    assert trends["rising"] >= 10 and trends["falling"] >= 10


def test_some_hotspots_are_worked_by_agencies(demo) -> None:
    statuses = Counter(db.session.scalars(sa.select(Hotspot.status)))
    assert statuses[HotspotStatus.NEW] > 0  # not everything: the prosecutors triage
    assert statuses[HotspotStatus.RESOLVED] >= 1
    assert statuses[HotspotStatus.IN_PROGRESS] >= 5
    assert _count(Assignment) >= 10 and _count(Action) >= 5
    # The best-ranked hotspots are the ones taken on.
    top = db.session.scalars(sa.select(Hotspot).order_by(Hotspot.priority.desc()).limit(5)).all()
    assert all(hotspot.status != HotspotStatus.NEW for hotspot in top)


def test_residents_phones_are_encrypted(demo) -> None:
    from flask import current_app

    from community.privacy import PhoneVault

    vault = PhoneVault.from_config(current_app.config)
    residents = db.session.scalars(sa.select(Resident)).all()
    assert len(residents) >= 60
    for resident in residents:
        phone = vault.decrypt(resident.phone_encrypted)
        assert re.fullmatch(r"\+1\d{3}5550[1]\d\d", phone), phone  # fictional 555-01xx only
        assert phone.encode() not in resident.phone_encrypted
        assert resident.phone_hash == vault.lookup_hash(phone)
        assert resident.phone_last4 == phone[-4:]
    texts = _count(sa.select(Concern.id).where(Concern.source == ConcernSource.SMS))
    assert texts == _count(sa.select(Concern.id).where(Concern.resident_id.is_not(None)))


def test_the_same_seed_gives_the_same_demo(sqlite_template: Path, tmp_path: Path) -> None:
    from flask import current_app

    from community.demo.seed import seed_concerns
    from community.places.city import current_city
    from community.privacy import PhoneVault

    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    runs = []
    for seed, folder in ((5, "a"), (5, "b"), (6, "c")):
        (tmp_path / folder).mkdir()
        for _ in fresh_app(sqlite_template, tmp_path / folder):
            vault = PhoneVault.from_config(current_app.config)
            ids = seed_concerns(current_city(), vault, 400, seed, now=now)
            assert len(ids) == 400
            runs.append(
                db.session.execute(
                    sa.select(
                        Concern.case_number,
                        Concern.text,
                        Concern.category_id,
                        Concern.reported_at,
                        Concern.resident_id,
                    ).order_by(Concern.id)
                ).all()
            )
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_demo_refuses_production_at_any_size(app) -> None:
    app.config["ENV_NAME"] = "production"
    result = app.test_cli_runner().invoke(args=["demo", "--concerns", "20000"])
    assert result.exit_code != 0 and "never loaded in production" in result.output
    assert _count(Concern) == 0


def test_demo_needs_at_least_one_concern(app) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "--concerns", "0"])
    assert result.exit_code != 0 and _count(Concern) == 0
