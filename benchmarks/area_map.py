"""Map files (`flask map`): size and build time for a neighbourhood and the whole city.

Usage: PYTHONPATH=. python benchmarks/area_map.py [--concerns 20000] [--database URL]
                                                   [--area "SHERMAN PARK"] [--repeats 3]

Without --database, builds a temporary SQLite database migrated like production with the
city's areas and reference data and the demo's --concerns concerns (located by the real
geocoder, clustered, worked by agencies: what `flask demo --concerns N` makes; at 20,000 that
takes a minute or two). With --database, uses that one as it is (e.g. one made by `flask demo
--concerns 20000` on DATABASE_URL=sqlite:////tmp/x.sqlite).

Every map covers the demo's whole span (every concern in the database), so the city map is the
city at --concerns concerns. Rows, each in the same run:

  folium bare     folium.Map() rendered as it comes (OSM tiles, CDN links): the baseline
  folium no tiles folium.Map(tiles=None), the same without the tile layer
  neighbourhood   the area's map (its meeting report's hotspots), English and Spanish
  city            the whole city, without and with the heat layer (Gi*)
  flask map       the whole command in a new process (interpreter, imports, app, map, file):
                  what a person waits for; the build target is judged on "first" above

Build time: "first" is the first map of its kind in this process (the city's streets and
Leaflet read, folium imported), "warm" the median of --repeats more. With CHROMIUM_PATH set,
each file is also opened from disk in Chromium (offline) and timed until its load event, and
its hotspot markers and any request or console error are counted.

Targets (issue 22): a neighbourhood under 2 MB and 2 s; the city under 6 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MB = 1_000_000
TARGET_AREA_BYTES, TARGET_AREA_S = 2 * MB, 2.0
TARGET_CITY_BYTES = 6 * MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concerns", type=int, default=20_000)
    parser.add_argument("--database", help="an existing database URL (skips the demo build)")
    parser.add_argument("--area", default="SHERMAN PARK")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("APP_ENV", "development")
    with tempfile.TemporaryDirectory(prefix="bench-map-") as folder:
        url = args.database or _build(Path(folder) / "bench.sqlite", args.concerns)
        rows, files = _measure(url, args, Path(folder))
        rows.append(_command(url, args.area, Path(folder)))
        _print(rows, _chromium(files))


def _build(path: Path, concerns: int) -> str:
    from flask_migrate import upgrade

    from community import create_app
    from community.demo.reference import load_reference_data
    from community.demo.seed import seed_demo
    from community.extensions import db
    from community.places.areas import load_areas
    from community.places.city import current_city
    from community.privacy import PhoneVault

    url = f"sqlite:///{path}"
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        summary = seed_demo(current_city(), PhoneVault.from_config(app.config), concerns, 414)
        db.session.remove()
        db.engine.dispose()
    print(
        f"demo data: {summary['concerns']} concerns, {summary['hotspots']} hotspots "
        f"({time.perf_counter() - started:.0f} s)",
        file=sys.stderr,
    )
    return url


def _timed(build: Callable[[], object], repeats: int) -> tuple[object, float, float]:
    """The result, the first build's seconds, the median of `repeats` more."""
    started = time.perf_counter()
    result = build()
    first = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        build()
        times.append(time.perf_counter() - started)
    return result, first, statistics.median(times) if times else first


def _measure(url: str, args: argparse.Namespace, folder: Path) -> tuple[list[dict], list]:
    from community import create_app
    from community.extensions import db
    from community.models import Concern
    from community.reports.areamap import area_map, city_map
    from community.reports.requests import read_request

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    rows, files = [], []
    with app.app_context():
        first_day, concerns = db.session.execute(
            db.select(db.func.min(Concern.reported_at), db.func.count(Concern.id))
        ).one()
        since = first_day.date() if first_day else date.today()
        print(f"database: {concerns} concerns since {since}", file=sys.stderr)

        def folium_bare(tiles: bool) -> Callable[[], str]:
            def build() -> str:
                import folium

                kwargs = {} if tiles else {"tiles": None}
                return folium.Map(**kwargs).get_root().render()

            return build

        for name, build in (
            ("folium bare (tiles, CDN)", folium_bare(True)),
            ("folium bare, no tiles", folium_bare(False)),
        ):
            html, first, warm = _timed(build, args.repeats)
            rows.append(_row(name, len(html.encode()), first, warm, None, None))

        for language in ("en", "es"):
            wanted = read_request([args.area], since, None, language)

            def neighbourhood(wanted=wanted, language=language):
                return area_map(wanted.selection, wanted.period, language)

            made, first, warm = _timed(neighbourhood, args.repeats)
            name = f"neighbourhood {wanted.selection.label} ({language})"
            rows.append(_row(name, _size(made), first, warm, made, "area"))
            files.append((name, _save(folder, made)))

        for heat in (False, True):

            def city(heat=heat):
                return city_map(since, None, "en", heat=heat)

            made, first, warm = _timed(city, args.repeats)
            name = "city" + (" + heat" if heat else "")
            rows.append(_row(name, _size(made), first, warm, made, "city"))
            files.append((name, _save(folder, made)))
        db.session.remove()
    return rows, files


def _command(url: str, area: str, folder: Path) -> dict:
    out = folder / "command.html"
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py", "PYTHONPATH": str(ROOT)}
    flask = Path(sys.executable).with_name("flask")
    started = time.perf_counter()
    subprocess.run(
        [str(flask), "map", "--area", area, "--lang", "es", "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    took = time.perf_counter() - started
    # Interpreter, imports and the app's start included: information, not the build target.
    return _row("flask map --area (es), new process", out.stat().st_size, took, None, None, None)


def _size(made) -> int:
    return len(made.html.encode())


def _save(folder: Path, made) -> Path:
    path = folder / made.file_name
    path.write_text(made.html, encoding="utf-8")
    return path


def _row(name, size, first, warm, made, kind) -> dict:
    targets = []
    if kind == "area":
        targets.append(size < TARGET_AREA_BYTES and first < TARGET_AREA_S)
    elif kind == "city":
        targets.append(size < TARGET_CITY_BYTES)
    return {
        "name": name,
        "bytes": size,
        "first": first,
        "warm": warm,
        "hotspots": made.hotspots if made else None,
        "concerns": made.concerns if made else None,
        "ok": all(targets) if targets else None,
    }


def _chromium(files: list) -> dict[str, str]:
    """Each file opened from disk, offline: seconds to its load event, markers, requests."""
    chromium = os.environ.get("CHROMIUM_PATH")
    if not chromium or not Path(chromium).is_file():
        return {}
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for name, path in files:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
            page = context.new_page()
            asked, errors = [], []
            uri = path.as_uri()
            page.on("request", lambda r, u=uri, a=asked: a.append(r.url) if r.url != u else None)
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            started = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            took = time.perf_counter() - started
            marks = page.locator(".hotspot-mark").count()
            out[name] = (
                f"{took:.2f} s, {marks} markers, {len(asked)} requests, {len(errors)} errors"
            )
            context.close()
        browser.close()
    return out


def _bytes(size: int) -> str:
    return f"{size / MB:.2f} MB" if size >= 100_000 else f"{size / 1000:.1f} kB"


def _print(rows: list[dict], drawn: dict[str, str]) -> None:
    print(
        f"{'map':44} {'size':>10} {'first':>8} {'warm':>8} {'hotspots':>9} {'concerns':>9}  target"
    )
    for row in rows:
        warm = f"{row['warm']:.2f} s" if row["warm"] is not None else "-"
        target = {True: "ok", False: "MISSED", None: ""}[row["ok"]]
        print(
            f"{row['name']:44} {_bytes(row['bytes']):>10} {row['first']:6.2f} s {warm:>8} "
            f"{'' if row['hotspots'] is None else row['hotspots']:>9} "
            f"{'' if row['concerns'] is None else row['concerns']:>9}  {target}"
        )
    if drawn:
        print("\nopened from disk in Chromium (offline): load event, markers, requests, errors")
        for name, text in drawn.items():
            print(f"  {name:42} {text}")
    print(
        f"\ntargets: neighbourhood under {TARGET_AREA_BYTES / MB:.0f} MB and {TARGET_AREA_S:.0f} s "
        f"(first build); city under {TARGET_CITY_BYTES / MB:.0f} MB"
    )


if __name__ == "__main__":
    main()
