"""Before-and-after evaluations at city scale: 2,000 responses over 100,000 concerns.

Usage: PYTHONPATH=. python benchmarks/evaluation.py [--concerns 100000] [--responses 2000]
                                                    [--requests 5]

Builds a temporary SQLite database migrated like production (the city's areas, the reference
categories and agencies) with --concerns located concerns over 200 days: 40% at problem
places (20 each, within 30 m of the place's centre, each with a 100 m square outline), the
rest spread over the city. Three places in four have a first action (60 to 10 days ago), one
in three of those also a resolution: --responses responses in all.

Measured, in one run:
  evaluate     community.evaluation.service.evaluate_since(): every response, place + ring +
               control counts, figures, verdicts (median time of 3 runs; peak Python memory
               of a fourth under tracemalloc, which would slow a timed run)
  plain count  one grouped SQL query counting each hotspot's own concerns in the same before
               and after windows (what a naive "before/after" would cost, no ring, no control)
  metrics page GET /metrics/?days=90 as a signed-in prosecutor (server time, evaluations
               included), median of --requests after one warm-up. Target: under 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EMAIL, PASSWORD = "bench.prosecutor@example.org", "bench-prosecutor-pass"
TARGET_PAGE_S = 1.0
BOX = (42.93, 43.17, -88.05, -87.90)  # Milwaukee, roughly: lat, lat, lon, lon
PLACE_SIZE = 20
DAYS = 200
M_PER_DEG = 111_195.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concerns", type=int, default=100_000)
    parser.add_argument("--responses", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("APP_ENV", "development")
    with tempfile.TemporaryDirectory(prefix="bench-evaluation-") as folder:
        app = _build(Path(folder) / "bench.sqlite", args)
        with app.app_context():
            evaluate = _measure_evaluate()
            plain = _measure_plain()
        page = _measure_page(app, args.requests)
    _report(args, evaluate, plain, page)


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
        UserFactory(email=EMAIL, role=Role.PROSECUTOR, password=PASSWORD)
        _fill(args, random.Random(17))
        concerns = db.session.scalar(db.text("SELECT count(*) FROM concern"))
        db.session.remove()
        print(
            f"-- database ready in {time.perf_counter() - started:.0f} s: {concerns:,} concerns",
            flush=True,
        )
    return app


def _square(lat: float, lon: float, half_m: float) -> str:
    import math

    dlat = half_m / M_PER_DEG
    dlon = dlat / math.cos(math.radians(lat))
    ring = [
        [lon - dlon, lat - dlat],
        [lon + dlon, lat - dlat],
        [lon + dlon, lat + dlat],
        [lon - dlon, lat + dlat],
        [lon - dlon, lat - dlat],
    ]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _fill(args: argparse.Namespace, rng: random.Random) -> None:
    """Hotspots with first actions (and some resolutions), their concerns, the background."""
    import math

    import sqlalchemy as sa

    from community.extensions import db
    from community.models import (
        Action,
        ActionKind,
        Agency,
        Category,
        Concern,
        ConcernSource,
        ConcernStatus,
        Event,
        EventKind,
        GeocodeStatus,
        Hotspot,
        HotspotStatus,
        LocationKind,
        utcnow,
    )

    now = utcnow()
    categories = db.session.execute(sa.select(Category.id, Category.family)).all()
    agencies = db.session.scalars(sa.select(Agency.id)).all()
    kinds = list(ActionKind)
    # responses = acted + resolved = acted * (1 + 1/3)
    acted = round(args.responses * 3 / 4)
    places = min(round(acted * 4 / 3), int(args.concerns * 0.4) // PLACE_SIZE)
    hotspot_rows, centres = [], []
    for i in range(places):
        lat, lon = rng.uniform(*BOX[:2]), rng.uniform(*BOX[2:])
        category_id, family = rng.choice(categories)
        centres.append((lat, lon, category_id))
        hotspot_rows.append(
            {
                "label": f"bench place {i}",
                "status": HotspotStatus.IN_PROGRESS,
                "category_id": category_id,
                "family": family,
                "centroid_lat": lat,
                "centroid_lon": lon,
                "outline": _square(lat, lon, 50),
                "concern_count": PLACE_SIZE,
                "created_at": now - timedelta(days=DAYS),
                "updated_at": now,
                "version": 1,
            }
        )
    db.session.execute(sa.insert(Hotspot), hotspot_rows)
    ids = db.session.scalars(sa.select(Hotspot.id).order_by(Hotspot.id)).all()
    concern_rows = []

    def concern(lat: float, lon: float, category_id: int, hotspot_id: int | None) -> None:
        at = now - timedelta(days=rng.uniform(0, DAYS))
        n = len(concern_rows)
        concern_rows.append(
            {
                "case_number": f"B{n:09d}",
                "text": "bench",
                "category_id": category_id,
                "source": ConcernSource.WEB,
                "status": ConcernStatus.OPEN,
                "language": "en",
                "reported_at": at,
                "geocode_status": GeocodeStatus.LOCATED,
                "location_kind": LocationKind.ADDRESS,
                "lat": lat,
                "lon": lon,
                "hotspot_id": hotspot_id,
                "created_at": at,
                "updated_at": at,
            }
        )

    for hotspot_id, (lat, lon, category_id) in zip(ids, centres, strict=True):
        for _ in range(PLACE_SIZE):
            d, a = rng.uniform(0, 30), rng.uniform(0, 2 * math.pi)
            concern(
                lat + d * math.sin(a) / M_PER_DEG,
                lon + d * math.cos(a) / (M_PER_DEG * math.cos(math.radians(lat))),
                category_id,
                hotspot_id,
            )
    while len(concern_rows) < args.concerns:
        concern(rng.uniform(*BOX[:2]), rng.uniform(*BOX[2:]), rng.choice(categories)[0], None)
    for start in range(0, len(concern_rows), 5000):
        db.session.execute(sa.insert(Concern), concern_rows[start : start + 5000])
    actions, events, resolved = [], [], 0
    for hotspot_id in ids[:acted]:
        at = now - timedelta(days=rng.uniform(10, 60))
        agency_id = rng.choice(agencies)
        actions.append(
            {
                "hotspot_id": hotspot_id,
                "agency_id": agency_id,
                "kind": rng.choice(kinds),
                "occurred_at": at,
                "created_at": at,
            }
        )
        if resolved < args.responses - acted:
            resolved += 1
            end = at + timedelta(days=rng.uniform(3, 9))
            db.session.execute(
                sa.update(Hotspot)
                .where(Hotspot.id == hotspot_id)
                .values(status=HotspotStatus.RESOLVED, resolved_at=end)
            )
            events.append(
                {
                    "created_at": end,
                    "kind": EventKind.STATUS_CHANGED,
                    "actor": "bench",
                    "hotspot_id": hotspot_id,
                    "from_status": "in_progress",
                    "to_status": "resolved",
                    "data": {"lead": "bench agency", "outcome": "problem_stopped"},
                }
            )
    db.session.execute(sa.insert(Action), actions)
    if events:
        db.session.execute(sa.insert(Event), events)
    db.session.commit()


def _measure_evaluate() -> dict:
    from community.evaluation.service import evaluate_since

    evaluate_since()  # warm: imports, scipy
    times = []
    for _ in range(3):
        started = time.perf_counter()
        found = evaluate_since()
        times.append(time.perf_counter() - started)
    # Memory in a run of its own: tracemalloc slows every allocation several times over.
    tracemalloc.start()
    evaluate_since()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "seconds": statistics.median(times),
        "peak_mb": peak / 1e6,
        "responses": len(found),
        "found": found,
    }


def _measure_plain() -> dict:
    """The same windows counted by hotspot membership in one grouped query."""
    import sqlalchemy as sa

    from community.evaluation.service import evaluate_since
    from community.extensions import db
    from community.models import Concern
    from community.models.base import UTCDateTime

    spans = [
        (i, e.response.hotspot_id, e.window.start, e.window.at, e.window.end)
        for i, e in enumerate(evaluate_since())
    ]
    table = sa.Table(
        "bench_windows",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("hotspot_id", sa.Integer),
        sa.Column("start", UTCDateTime),
        sa.Column("at", UTCDateTime),
        sa.Column("end", UTCDateTime),
        prefixes=["TEMPORARY"],
    )
    connection = db.session.connection()
    table.create(connection)
    connection.execute(
        sa.insert(table),
        [dict(zip(("id", "hotspot_id", "start", "at", "end"), s, strict=True)) for s in spans],
    )
    c = Concern.__table__.c
    query = (
        sa.select(
            table.c.id,
            sa.func.sum(sa.case((c.reported_at < table.c.at, 1), else_=0)),
            sa.func.sum(sa.case((c.reported_at >= table.c.at, 1), else_=0)),
        )
        .join(Concern.__table__, c.hotspot_id == table.c.hotspot_id)
        .where(c.reported_at >= table.c.start, c.reported_at < table.c.end)
        .group_by(table.c.id)
    )
    times = []
    for _ in range(3):
        started = time.perf_counter()
        rows = connection.execute(query).all()
        times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    tracemalloc.start()
    connection.execute(query).all()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    db.session.rollback()
    return {"seconds": seconds, "peak_mb": peak / 1e6, "rows": len(rows)}


def _measure_page(app, requests: int) -> dict:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    signed = client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    if signed.status_code != 302:
        raise SystemExit(f"sign-in failed: {signed.status_code}")
    started = time.perf_counter()
    client.get("/metrics/?days=90")  # the first view counts the evaluations; later ones reuse them
    first = time.perf_counter() - started
    times, html = [], ""
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/metrics/?days=90")
        times.append(time.perf_counter() - started)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
    found = re.search(r"(\d+) responses: (\d+) fell", html)
    return {"first": first, "median": statistics.median(times), "max": max(times), "summary": found}


def _report(args, evaluate: dict, plain: dict, page: dict) -> None:
    from collections import Counter

    verdicts = Counter(e.figures.verdict for e in evaluate["found"])
    print(f"\n{args.concerns:,} concerns, {evaluate['responses']:,} responses evaluated")
    print(f"  verdicts: {dict(verdicts)}")
    print("  what                      time      peak memory")
    print(
        f"  evaluate (place/ring/city) {evaluate['seconds'] * 1000:7.0f} ms  "
        f"{evaluate['peak_mb']:7.1f} MB"
    )
    print(
        f"  plain count (own concerns) {plain['seconds'] * 1000:7.0f} ms  "
        f"{plain['peak_mb']:7.1f} MB  ({plain['rows']:,} rows)"
    )
    verdict = "OK" if page["median"] < TARGET_PAGE_S else "OVER TARGET"
    print(
        f"  metrics page /metrics/?days=90: median {page['median'] * 1000:.0f} ms, "
        f"max {page['max'] * 1000:.0f} ms over {args.requests} requests "
        f"(target < {TARGET_PAGE_S:.0f} s: {verdict}); the first view, which counts the "
        f"evaluations (kept until the data change): {page['first'] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
