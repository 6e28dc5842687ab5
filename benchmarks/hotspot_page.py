"""Staff hotspot page: server time for a hotspot of 500 concerns, beside one of 25.

Usage: PYTHONPATH=. python benchmarks/hotspot_page.py [--concerns 500] [--baseline 25]
                                                      [--requests 200] [--background 20000]

Builds a temporary SQLite database migrated like production, with the city's areas and the
reference data, and --background other concerns in 400 other hotspots (so the tables and
their indexes are not toy-sized). Then the hotspots measured, each built as the app builds
them: its concerns (texts of varied length, a resident's masked phone on half, a web photo
on one in ten, police district 3) and their history, one event per concern as the re-cluster
writes it: 60% joined in one re-cluster run, the rest one at a time between staff notes,
hand-offs and logged actions.

  500        --concerns concerns, assigned (MPD District 3 lead, DNS partner, actions
             logged): the working state of a big place.
  500 new    the same size, no lead yet: the page also computes the routing suggestion
             (which reads one area id per concern).
  25         --baseline concerns, assigned as the first: the baseline, same run.

For each, a prosecutor signed in with the Flask test client (CSRF on, as in production)
requests /staff/hotspots/<id> --requests times, after 10 warm-up requests: 60% the first
page, the rest random pages of concerns (?concerns_page=), of history (?history_page=) or
both. Server time is the time of client.get() (no network: the app's own work, templates
included). Printed: p50/p95/p99/max in ms, SQL queries per request, HTML size.

Target (issue: staff pages stay fast however big a place gets): p95 under 150 ms for the
hotspot of 500 concerns (both states).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 150.0
EMAIL, PASSWORD = "bench.prosecutor@example.org", "bench-prosecutor-pass"
WARMUP = 10
RESIDENT_WORDS = (
    "people selling drugs out of the house every night cars stop for two minutes and leave "
    "kids walk past on the way to school there was shooting last week nobody answers the door "
    "trash piled up in the back yard the porch light is always off music until 3 am"
)
WORDS = RESIDENT_WORDS.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concerns", type=int, default=500)
    parser.add_argument("--baseline", type=int, default=25)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--background", type=int, default=20_000)
    args = parser.parse_args()
    os.environ.setdefault("APP_ENV", "development")
    with tempfile.TemporaryDirectory(prefix="bench-hotspot-page-") as folder:
        app, hotspots = _build(Path(folder) / "bench.sqlite", args)
        # No app context held here: each request pushes its own and ends it, with a new
        # database session, as in production (an outer context would share one session,
        # and its identity map, across requests).
        with app.app_context():
            from community.extensions import db

            engine = db.engine
        client = app.test_client()
        _sign_in(client)
        rows = [
            (name, size, _measure(client, engine, hotspot_id, args.requests))
            for name, (hotspot_id, size) in hotspots.items()
        ]
    _report(rows, args)


def _build(path: Path, args: argparse.Namespace):
    from flask_migrate import upgrade

    from community import create_app
    from community.demo.reference import load_reference_data
    from community.extensions import db
    from community.models import Role
    from community.places.areas import load_areas
    from community.places.city import current_city
    from tests.factories import UserFactory

    app = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
        RATELIMIT_ENABLED=False,
        WTF_CSRF_ENABLED=True,
    )
    with app.app_context():
        started = time.perf_counter()
        upgrade()
        load_areas(current_city())
        load_reference_data()
        prosecutor = UserFactory(email=EMAIL, role=Role.PROSECUTOR, password=PASSWORD)
        rng = random.Random(3)
        _background(args.background, rng)
        hotspots = {
            f"{args.concerns} concerns": (
                _hotspot(args.concerns, rng, prosecutor, assigned=True),
                args.concerns,
            ),
            f"{args.concerns} concerns, new": (
                _hotspot(args.concerns, rng, prosecutor, assigned=False),
                args.concerns,
            ),
            f"{args.baseline} concerns (baseline)": (
                _hotspot(args.baseline, rng, prosecutor, assigned=True),
                args.baseline,
            ),
        }
        events = db.session.scalar(db.text("SELECT count(*) FROM event"))
        concerns = db.session.scalar(db.text("SELECT count(*) FROM concern"))
        db.session.remove()
        print(
            f"-- database ready in {time.perf_counter() - started:.0f} s: {concerns:,} concerns, "
            f"{events:,} events",
            flush=True,
        )
    return app, hotspots


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 60)))


def _concern_rows(count: int, rng: random.Random, hotspot_id: int, prefix: str) -> list[dict]:
    from community.extensions import db
    from community.models import Area, AreaKind, Category, utcnow

    category = db.session.scalar(db.select(Category.id).filter_by(code="drug_activity"))
    district = db.session.scalar(
        db.select(Area.id).filter_by(kind=AreaKind.POLICE_DISTRICT, code="3")
    )
    neighborhood = db.session.scalar(
        db.select(Area.id).filter_by(kind=AreaKind.NEIGHBORHOOD).limit(1)
    )
    now = utcnow()
    rows = []
    for i in range(count):
        reported = now - timedelta(days=80) + timedelta(minutes=i * 200 + rng.randint(0, 100))
        rows.append(
            {
                "case_number": f"{prefix}{i:06d}",
                "text": _text(rng),
                "category_id": category,
                "source": rng.choice(["sms", "web", "web", "open311"]),
                "status": "open",
                "language": "en",
                "reported_at": reported,
                "geocode_status": "located",
                "location_kind": "address",
                "location_label": f"{3500 + 2 * rng.randint(0, 20)} W Center St",
                "lat": 43.0676 + rng.uniform(-0.0004, 0.0004),
                "lon": -87.9584 + rng.uniform(-0.0004, 0.0004),
                "located_at": reported,
                "police_district_id": district,
                "neighborhood_id": neighborhood,
                "hotspot_id": hotspot_id,
                "clustered_at": reported,
            }
        )
    return rows


def _new_hotspot(count: int, label: str) -> int:
    from community.extensions import db
    from community.models import Category, Hotspot, utcnow

    category = db.session.scalar(db.select(Category).filter_by(code="drug_activity"))
    now = utcnow()
    hotspot = Hotspot(
        label=label,
        category_id=category.id,
        category_group=str(category.group),
        centroid_lat=43.0676,
        centroid_lon=-87.9584,
        concern_count=count,
        first_reported_at=now - timedelta(days=80),
        last_reported_at=now,
        recent_count=count // 3,
        previous_count=count // 4,
        priority=float(count),
        priority_reasons=f"{count} reports",
    )
    db.session.add(hotspot)
    db.session.commit()
    return hotspot.id


def _background(count: int, rng: random.Random) -> None:
    """Other places: `count` concerns in 400 hotspots, each concern with its events."""
    from community.extensions import db
    from community.models import Concern, Event

    per = max(1, count // 400)
    for n in range(0, count, per):
        hotspot_id = _new_hotspot(per, f"Background place {n // per}")
        rows = _concern_rows(per, rng, hotspot_id, f"B{n // per:04d}-")
        ids = db.session.scalars(db.insert(Concern).returning(Concern.id), rows).all()
        db.session.execute(
            db.insert(Event),
            [
                {"kind": "clustered", "actor": "system", "concern_id": i, "hotspot_id": hotspot_id}
                for i in ids
            ]
            + [{"kind": "created", "actor": "resident", "concern_id": i} for i in ids],
        )
    db.session.commit()


def _hotspot(count: int, rng: random.Random, prosecutor, *, assigned: bool) -> int:
    """A hotspot of `count` concerns with its history, as the app writes it."""
    from community.extensions import db
    from community.models import (
        ActionKind,
        Agency,
        AssignmentRole,
        Concern,
        Event,
        Hotspot,
        Photo,
        Resident,
        utcnow,
    )
    from community.workflow import service

    hotspot_id = _new_hotspot(count, f"Drug activity near 3500 W Center St ({count})")
    prefix = f"H{hotspot_id}-"
    ids = db.session.scalars(
        db.insert(Concern).returning(Concern.id), _concern_rows(count, rng, hotspot_id, prefix)
    ).all()
    for i, concern_id in enumerate(ids):
        if i % 2 == 0:
            resident = Resident(
                phone_encrypted=b"x", phone_hash=f"{concern_id:064d}", phone_last4=f"{i:04d}"
            )
            db.session.add(resident)
            db.session.flush()
            db.session.execute(
                db.update(Concern).where(Concern.id == concern_id).values(resident_id=resident.id)
            )
        if i % 10 == 0:
            db.session.add(
                Photo(
                    concern_id=concern_id,
                    file=f"web-{concern_id:032x}.jpg",
                    content_type="image/jpeg",
                    width=640,
                    height=480,
                    size_bytes=40_000,
                )
            )
    # History: each concern's own events, then the hotspot's: 60% joined in one re-cluster
    # run, the rest one at a time with staff events between them.
    start = utcnow() - timedelta(days=60)
    run = int(count * 0.6)
    events = [
        {"kind": "created", "actor": "resident", "concern_id": i, "created_at": start} for i in ids
    ] + [{"kind": "located", "actor": "system", "concern_id": i, "created_at": start} for i in ids]
    events += [
        {
            "kind": "clustered",
            "actor": "system",
            "concern_id": i,
            "hotspot_id": hotspot_id,
            "created_at": start,
        }
        for i in ids[:run]
    ]
    at = start
    for n, concern_id in enumerate(ids[run:]):
        at += timedelta(hours=rng.randint(1, 6))
        events.append(
            {
                "kind": "clustered",
                "actor": "system",
                "concern_id": concern_id,
                "hotspot_id": hotspot_id,
                "created_at": at,
            }
        )
        if n % 4 == 3:
            events.append(
                {
                    "kind": "note",
                    "actor": EMAIL,
                    "hotspot_id": hotspot_id,
                    "reason": _text(rng)[:200],
                    "created_at": at + timedelta(minutes=5),
                }
            )
    db.session.execute(db.insert(Event), events)
    db.session.commit()
    if assigned:
        hotspot = db.session.get(Hotspot, hotspot_id)
        d3 = db.session.scalar(db.select(Agency).filter_by(code="MPD-D3"))
        dns = db.session.scalar(db.select(Agency).filter_by(code="DNS"))
        service.assign(hotspot, d3, AssignmentRole.LEAD, prosecutor, "District 3 owns it")
        service.assign(hotspot, dns, AssignmentRole.PARTNER, prosecutor, "Code enforcement")
        for kind, agency in ((ActionKind.SITE_VISIT, d3), (ActionKind.SITE_VISIT, dns)):
            service.log_action(hotspot, agency, kind, prosecutor, "visited", "We visited.")
        db.session.commit()
    return hotspot_id


def _sign_in(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: {response.status_code}")


def _urls(hotspot_id: int, requests: int, seed: int) -> list[str]:
    """The first page mostly; the rest random pages of concerns, history or both."""
    rng = random.Random(seed)
    base = f"/staff/hotspots/{hotspot_id}"
    urls = []
    for _ in range(requests):
        pick = rng.random()
        concerns, history = rng.randint(1, 20), rng.randint(1, 10)
        if pick < 0.6:
            urls.append(base)
        elif pick < 0.8:
            urls.append(f"{base}?concerns_page={concerns}")
        elif pick < 0.9:
            urls.append(f"{base}?history_page={history}")
        else:
            urls.append(f"{base}?concerns_page={concerns}&history_page={history}")
    return urls


def _measure(client, engine, hotspot_id: int, requests: int) -> dict:
    import sqlalchemy as sa

    statements = [0]

    def count(*_args) -> None:
        statements[0] += 1

    for url in _urls(hotspot_id, WARMUP, seed=hotspot_id + 1000):
        client.get(url)
    times, queries, sizes = [], [], []
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        for url in _urls(hotspot_id, requests, seed=hotspot_id):
            statements[0] = 0
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
            queries.append(statements[0])
            sizes.append(len(response.data))
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "max": max(times),
        "queries": (min(queries), max(queries)),
        "kb": statistics.median(sizes) / 1024,
    }


def _report(rows: list, args: argparse.Namespace) -> None:
    print(f"\n-- GET /staff/hotspots/<id>, {args.requests} requests each, server time in ms")
    print(
        f"{'hotspot':<28} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'queries':>8} {'HTML kB':>8}"
    )
    for name, _size, r in rows:
        low, high = r["queries"]
        shown = f"{low}" if low == high else f"{low}-{high}"
        print(
            f"{name:<28} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} {r['max']:7.1f} "
            f"{shown:>8} {r['kb']:8.1f}"
        )
    big = [r for name, size, r in rows if size == args.concerns]
    worst = max(r["p95"] for r in big)
    baseline = next(r for name, size, r in rows if size == args.baseline)
    print("\n-- figures against targets")
    print(
        f"p95 for {args.concerns} concerns: {worst:.1f} ms (target < {TARGET_P95_MS:.0f} ms: "
        f"{'met' if worst < TARGET_P95_MS else 'MISSED'}); "
        f"{worst / baseline['p95']:.2f}x the {args.baseline}-concern baseline"
    )


if __name__ == "__main__":
    main()
