"""Triage map at city scale: server time, bytes and time until the map is drawn in Chromium.

Usage: PYTHONPATH=. CHROMIUM_PATH=/usr/bin/chromium python benchmarks/triage_map.py
                                                  [--concerns 100000] [--hotspots 2000]

Builds a temporary SQLite database migrated like production with the city's areas and the
reference data, inserts --concerns located concerns over the last 90 days (placed where
Milwaukee's 2023 WIBR incidents were, as benchmarks/hotspots.py does), runs the re-cluster,
and tops the hotspots up to --hotspots (small outlines around random concerns) if the
re-cluster found fewer. The app is served by werkzeug (threaded) on 127.0.0.1.

  chromium   a prosecutor signs in; then --loads cold loads of /staff/triage/ (a new browser
             context each, so nothing is cached): the time from navigation start until
             triage.js sets window.triageReady (base layers, hotspots and concern cells drawn),
             and every request the page made, with its bytes as transferred (gzip where the
             server compresses).
  server     each same-origin request of the default view, timed again from Python (median
             of --repeats warm requests, gzip accepted), plus one zoomed-in view (zoom 16 at
             the top hotspot: single concerns) and the heat and repeat-address layers that
             are off until chosen (heat: its first, computing request and then warm).
  baseline   /healthz and the static leaflet.js, timed the same way in the same run.

Targets (issue 8): every request of the default view answered by the server under 1 s; under
5 MB transferred in all; the map drawn under 3 s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SERVER_S = 1.0
TARGET_BYTES = 5 * 1024 * 1024
TARGET_DRAWN_S = 3.0
EMAIL, PASSWORD = "bench.prosecutor@example.org", "bench-prosecutor-pass"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concerns", type=int, default=100_000)
    parser.add_argument("--hotspots", type=int, default=2_000)
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH")
    if not chromium or not Path(chromium).is_file():
        raise SystemExit("Set CHROMIUM_PATH to Debian's chromium, e.g. /usr/bin/chromium")
    os.environ.setdefault("APP_ENV", "development")
    with tempfile.TemporaryDirectory(prefix="bench-triage-") as folder:
        app = _build(Path(folder) / "bench.sqlite", args)
        server, base = _serve(app)
        try:
            browser_rows = _chromium(chromium, base, args.loads)
            # The session is bound to the browser (Flask-Login strong protection): the same
            # cookie and User-Agent make Python's requests the signed-in prosecutor's.
            cookie = {"Cookie": browser_rows["cookie"], "User-Agent": browser_rows["agent"]}
            _report(base, cookie, browser_rows, args)
        finally:
            server.shutdown()


def _build(path: Path, args: argparse.Namespace):
    from flask_migrate import upgrade

    from benchmarks.hotspots import _insert
    from community import create_app
    from community.demo.reference import load_reference_data
    from community.extensions import db
    from community.hotspots.recluster import recluster
    from community.models import Hotspot, Role
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
        print(f"-- inserting {args.concerns:,} located concerns ...", flush=True)
        _insert(args.concerns, seed=1, prefix="T")
        print("-- re-clustering ...", flush=True)
        recluster()
        found = db.session.scalar(db.select(db.func.count()).select_from(Hotspot))
        added = _top_up(args.hotspots - found)
        UserFactory(email=EMAIL, role=Role.PROSECUTOR, password=PASSWORD)
        db.session.remove()
        print(
            f"-- database ready in {time.perf_counter() - started:.0f} s: {args.concerns:,} "
            f"concerns, {found:,} hotspots from the re-cluster + {added:,} added",
            flush=True,
        )
    return app


def _top_up(missing: int) -> int:
    """Hotspots around random located concerns, with a 12-point outline of ~80 m."""
    from community.extensions import db
    from community.models import Category, Concern, Hotspot, utcnow

    if missing <= 0:
        return 0
    rng = random.Random(7)
    points = db.session.execute(db.select(Concern.lat, Concern.lon).limit(50_000)).all()
    category = db.session.scalar(db.select(Category).filter_by(code="drug_activity"))
    now = utcnow()
    rows = []
    for i in range(missing):
        lat, lon = rng.choice(points)
        ring = [
            [round(lon + 0.001 * np.cos(a), 7), round(lat + 0.0007 * np.sin(a), 7)]
            for a in np.linspace(0, 2 * np.pi, 12, endpoint=False)
        ]
        count = rng.randint(3, 40)
        rows.append(
            {
                "status": rng.choice(["new", "new", "triaged", "assigned", "in_progress"]),
                "label": f"Drug activity near benchmark place {i}",
                "category_id": category.id,
                "category_group": str(category.group),
                "category_counts": json.dumps({category.code: count}),
                "centroid_lat": lat,
                "centroid_lon": lon,
                "outline": json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]}),
                "concern_count": count,
                "first_reported_at": now - timedelta(days=80),
                "last_reported_at": now - timedelta(days=rng.randint(0, 20)),
                "recent_count": rng.randint(0, count),
                "previous_count": rng.randint(0, count),
                "priority": float(rng.randint(1, 120)),
                "priority_reasons": "benchmark",
                "version": 1,
            }
        )
    db.session.execute(db.insert(Hotspot), rows)
    db.session.commit()
    return missing


def _serve(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _chromium(executable: str, base: str, loads: int) -> dict:
    """Cold loads of the triage page: time until drawn, and every request with its size."""
    from playwright.sync_api import sync_playwright

    results = {"drawn_ms": [], "requests": None, "cookie": ""}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        state = _sign_in(browser, base)
        errors: list[str] = []
        seen: list = []
        for _ in range(loads):
            context = browser.new_context(
                base_url=base, viewport={"width": 1280, "height": 800}, storage_state=state
            )
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if urlsplit(route.request.url).hostname == "127.0.0.1"
                    else route.abort()
                ),
            )
            page = context.new_page()
            seen.clear()
            page.on("requestfinished", lambda request: seen.append(request))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto("/staff/triage/")
            page.wait_for_function("window.triageReady === true", timeout=60_000)
            results["drawn_ms"].append(page.evaluate("window.triageReadyMs"))
            if errors:
                raise SystemExit(f"console errors on the triage page: {errors}")
            page.wait_for_load_state("networkidle")
            results["requests"] = [
                (r.url, r.sizes()["responseBodySize"], r.timing["responseEnd"]) for r in seen
            ]
            results["agent"] = page.evaluate("navigator.userAgent")
            context.close()
        results["cookie"] = "; ".join(f"{c['name']}={c['value']}" for c in state["cookies"])
        browser.close()
    return results


def _sign_in(browser, base: str) -> dict:
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")
    state = context.storage_state()
    context.close()
    return state


def _time(url: str, cookie: dict, repeats: int) -> tuple[float, int, int]:
    """Median seconds to the last byte (warm), bytes as sent (gzip accepted) and unzipped."""
    times, size, raw = [], 0, 0
    for _ in range(repeats + 1):
        request = urllib.request.Request(url, headers={**cookie, "Accept-Encoding": "gzip"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            if "/login" in response.url:
                raise SystemExit(f"{url}: not signed in (redirected to the login page)")
            body = response.read()
            zipped = response.headers.get("Content-Encoding") == "gzip"
        times.append(time.perf_counter() - started)
        size, raw = len(body), len(gzip.decompress(body) if zipped else body)
    return statistics.median(times[1:] or times), size, raw


def _zoomed_url(base: str, cookie: dict) -> str:
    page = urllib.request.Request(f"{base}/staff/triage/", headers=cookie)
    with urllib.request.urlopen(page) as response:
        html = response.read().decode()
    marker = html.index('data-lat="')
    lat = float(html[marker + 10 : html.index('"', marker + 10)])
    marker = html.index('data-lon="')
    lon = float(html[marker + 10 : html.index('"', marker + 10)])
    bbox = f"{lon - 0.0069:.5f},{lat - 0.0036:.5f},{lon + 0.0069:.5f},{lat + 0.0036:.5f}"
    return f"{base}/staff/triage/concerns.geojson?bbox={bbox}&zoom=16"


def _report(base: str, cookie: dict, browser_rows: dict, args: argparse.Namespace) -> None:
    requests = browser_rows["requests"]
    print(f"\n-- default view of /staff/triage/ at 1280x800, {len(requests)} requests")
    print(f"{'request':<62} {'server ms':>9} {'sent kB':>8} {'raw kB':>8}")
    slowest, total_sent = 0.0, 0
    for url, sent_in_browser, _end in requests:
        seconds, sent, raw = _time(url, cookie, args.repeats)
        slowest = max(slowest, seconds)
        sent_in_browser = sent_in_browser or sent  # Chromium reports 0 when it cannot tell
        total_sent += sent_in_browser
        path = url.replace(base, "")
        shown = path if len(path) <= 62 else path[:59] + "..."
        print(f"{shown:<62} {seconds * 1000:9.1f} {sent_in_browser / 1024:8.1f} {raw / 1024:8.1f}")
    zoomed = _zoomed_url(base, cookie)
    z_seconds, z_sent, z_raw = _time(zoomed, cookie, args.repeats)
    print(
        f"{'zoom 16 at the top hotspot: concerns.geojson':<62} {z_seconds * 1000:9.1f} "
        f"{z_sent / 1024:8.1f} {z_raw / 1024:8.1f}"
    )
    query = urlsplit(next(u for u, _b, _e in requests if "/concerns.geojson" in u)).query
    for layer in ("heat", "repeats"):
        # Switched on by choice. The first heat request computes Gi* (then kept until a
        # concern changes): timed on its own, then warm.
        url = f"{base}/staff/triage/{layer}.geojson?{query}"
        cold_s, _sent, _raw = _time(url, cookie, 0)
        warm_s, sent, raw = _time(url, cookie, args.repeats)
        label = f"{layer} layer (switched on): first / then"
        print(
            f"{label:<52} {cold_s * 1000:6.0f}/{warm_s * 1000:.0f} {sent / 1024:8.1f} "
            f"{raw / 1024:8.1f}"
        )
    health_s, health_b, _ = _time(f"{base}/healthz", cookie, args.repeats)
    leaflet_s, leaflet_b, _ = _time(
        f"{base}/static/vendor/leaflet/leaflet.js", cookie, args.repeats
    )
    page_s = _time(f"{base}/staff/triage/", cookie, args.repeats)[0]
    drawn = browser_rows["drawn_ms"]
    print("\n-- baseline, same run")
    print(f"/healthz: {health_s * 1000:.1f} ms, {health_b} B")
    print(f"leaflet.js (static): {leaflet_s * 1000:.1f} ms, {leaflet_b / 1024:.1f} kB")
    print("\n-- figures against targets")
    print(
        f"slowest request of the default view: {slowest * 1000:.0f} ms "
        f"(target < {TARGET_SERVER_S * 1000:.0f} ms: {_ok(slowest < TARGET_SERVER_S)}); "
        f"{slowest / health_s:.0f}x /healthz; the page itself {page_s * 1000:.0f} ms"
    )
    print(
        f"transferred for the default view: {total_sent / 1024 / 1024:.2f} MB "
        f"(target < 5 MB: {_ok(total_sent < TARGET_BYTES)}); "
        f"{total_sent / leaflet_b:.1f}x leaflet.js"
    )
    print(
        f"drawn in Chromium (cold, {len(drawn)} loads): median {statistics.median(drawn) / 1000:.2f} s, "
        f"max {max(drawn) / 1000:.2f} s (target < {TARGET_DRAWN_S:.0f} s: "
        f"{_ok(max(drawn) / 1000 < TARGET_DRAWN_S)})"
    )


def _ok(passed: bool) -> str:
    return "met" if passed else "MISSED"


if __name__ == "__main__":
    main()
