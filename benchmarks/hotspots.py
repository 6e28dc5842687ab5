"""Re-cluster time and peak memory at 10k, 100k and 1M concerns, beside raw scikit-learn DBSCAN.

Usage: PYTHONPATH=. python benchmarks/hotspots.py [--sizes 10000,100000,1000000]
                                                  [--joins 500] [--raw-memory-limit-gb 4]

For each size, in a temporary SQLite database migrated like production, with Milwaukee's
reference categories: N located concerns over the last 90 days, placed where Milwaukee's
2023 WIBR incidents were. As the geocoder places them: 70% exactly on an incident's
(address or intersection) point, so reports about one place share coordinates, and 30%
moved by a 60 m normal jitter (block-level and map-tap positions). Then, each in its own
process so peak memory (max RSS) is the step's own:

  raw        scikit-learn DBSCAN(eps=150 m, min_samples=3) on the same projected
             coordinates, nothing else: the baseline. Run under an address-space limit
             (--raw-memory-limit-gb): at a million points it runs out of memory, which is
             why the app snaps large inputs to a grid.
  first      `recluster()` on the fresh database: every hotspot is new.
  rerun      10% new concerns arrive, then `recluster()` again: identity matching of every
             cluster to its hotspot, summaries, repeat addresses, writes. The figure the
             targets are about.
  join       the fast path: --joins newly located concerns each joined to their nearest
             hotspot (`join_nearest`), p50/p95 per concern.

Targets (issue 6): rerun at 100k within 1.5x of raw DBSCAN at 100k; 1M completes under
2 GB; join p95 under 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
JITTER_M = 60.0
JITTERED_SHARE = 0.3
TARGET_RATIO = 1.5
TARGET_MEMORY_MB = 2048
TARGET_JOIN_P95_MS = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--joins", type=int, default=500)
    parser.add_argument("--raw-memory-limit-gb", type=float, default=4.0)
    parser.add_argument("--step", help=argparse.SUPPRESS)  # internal: run one step
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        _step(args)
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows.append(_measure(size, args))
    _report(rows)


def _measure(size: int, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-hotspots-") as folder:
        database = str(Path(folder) / "bench.sqlite")
        print(f"-- {size:,} concerns: building the database ...", flush=True)
        _child("build", database, size, args)
        row = {"size": size}
        for step in ("raw", "first", "rerun", "join"):
            print(f"   {step} ...", flush=True)
            row[step] = _child(step, database, size, args)
        return row


def _child(step: str, database: str, size: int, args: argparse.Namespace) -> dict:
    command = [
        sys.executable,
        __file__,
        "--step",
        step,
        "--database",
        database,
        "--size",
        str(size),
        "--joins",
        str(args.joins),
        "--raw-memory-limit-gb",
        str(args.raw_memory_limit_gb),
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT), APP_ENV="development")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"error": tail[0][:160]}
    return json.loads(lines[-1])


def _step(args: argparse.Namespace) -> None:
    if args.step == "raw":
        result = _raw(args)
    else:
        from community import create_app

        app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{args.database}")
        with app.app_context():
            result = {
                "build": _build,
                "first": _recluster,
                "rerun": _rerun,
                "join": _joins,
            }[args.step](args)
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result), flush=True)


def _points(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Milwaukee-like locations: real 2023 incident points, 30% of them jittered."""
    import pandas as pd

    from community.geo.citypkg import load_city, to_lonlat, to_metres

    city = load_city(ROOT / "maps" / "milwaukee")
    incidents = pd.read_csv(city.file("wibr_crime_2023_jan_sep.csv.gz"), usecols=["lat", "lon"])
    incidents = incidents.dropna()
    x0, y0 = to_metres(city, incidents.lon.to_numpy(), incidents.lat.to_numpy())
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(x0), count)
    jittered = rng.random(count) < JITTERED_SHARE
    x = x0[pick] + np.where(jittered, rng.normal(0, JITTER_M, count), 0.0)
    y = y0[pick] + np.where(jittered, rng.normal(0, JITTER_M, count), 0.0)
    return to_lonlat(city, x, y)


def _build(args: argparse.Namespace) -> dict:
    from flask_migrate import upgrade

    from community.demo.reference import load_reference_data

    started = time.perf_counter()
    upgrade()
    load_reference_data()
    _insert(args.size, seed=1, prefix="B")
    return {"seconds": round(time.perf_counter() - started, 1)}


def _insert(count: int, seed: int, prefix: str, days: float = 90, hours_ago: float = 0) -> list:
    """Insert located, open concerns in batches; returns their case numbers."""
    from community.extensions import db
    from community.models import Category, Concern, utcnow

    categories = list(db.session.scalars(db.select(Category.id)))
    lon, lat = _points(count, seed)
    rng = random.Random(seed)
    now = utcnow() - timedelta(hours=hours_ago)
    cases = []
    for start in range(0, count, 20_000):
        rows = []
        for i in range(start, min(count, start + 20_000)):
            address = i % 10 == 0  # a tenth on address points (repeat-address signal)
            reported = now - timedelta(seconds=rng.uniform(0, days * 86400))
            case = f"{prefix}{i:07d}"
            cases.append(case)
            rows.append(
                {
                    "case_number": case,
                    "text": "benchmark concern",
                    "category_id": rng.choice(categories),
                    "source": "web",
                    "status": "open",
                    "language": "en",
                    "reported_at": reported,
                    "geocode_status": "located",
                    "location_kind": "address" if address else "block",
                    "location_label": f"{rng.randint(1, 99) * 100} block {i % 997}",
                    "lat": float(lat[i]),
                    "lon": float(lon[i]),
                    "located_at": reported,
                }
            )
        db.session.execute(db.insert(Concern), rows)
        db.session.commit()
    return cases


def _raw(args: argparse.Namespace) -> dict:
    """Raw DBSCAN on the same coordinates as the app (read straight from the database)."""
    import sqlite3

    from sklearn.cluster import DBSCAN

    from community.geo.citypkg import load_city, to_metres

    with sqlite3.connect(args.database) as connection:
        coords = np.array(connection.execute("SELECT lon, lat FROM concern").fetchall())
    x, y = to_metres(load_city(ROOT / "maps" / "milwaukee"), coords[:, 0], coords[:, 1])
    points = np.column_stack([x, y])
    del coords
    limit = int(args.raw_memory_limit_gb * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    started = time.perf_counter()
    try:
        labels = DBSCAN(eps=150.0, min_samples=3, algorithm="ball_tree").fit_predict(points)
    except MemoryError:
        return {"error": f"MemoryError under a {args.raw_memory_limit_gb:g} GB limit"}
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "clusters": int(labels.max()) + 1,
    }


def _recluster(args: argparse.Namespace) -> dict:
    from community.hotspots.recluster import recluster

    started = time.perf_counter()
    result = recluster()
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "clusters": result.clusters,
        "created": len(result.created),
    }


def _rerun(args: argparse.Namespace) -> dict:
    from community.hotspots.recluster import recluster

    _insert(args.size // 10, seed=2, prefix="R", days=1)
    marks = [("start", time.perf_counter())]
    result = recluster(progress=lambda stage: marks.append((stage, time.perf_counter())))
    marks.append(("commit", time.perf_counter()))
    stages = {name: round(t - marks[i][1], 2) for i, (name, t) in enumerate(marks[1:])}
    return {
        "seconds": round(marks[-1][1] - marks[0][1], 2),
        # In memory: DBSCAN plus identity matching, no database reads or writes.
        "compute_seconds": round(stages["cluster"] + stages["match"], 2),
        "stages": stages,
        "clusters": result.clusters,
        "kept": len(result.kept),
        "created": len(result.created),
        "merged": len(result.merged),
        "split": len(result.split),
        "moved": result.moved,
        "repeat_locations": result.repeat_locations,
    }


def _joins(args: argparse.Namespace) -> dict:
    from community.extensions import db
    from community.hotspots.incremental import join_nearest
    from community.models import Concern

    cases = _insert(args.joins, seed=3, prefix="J", days=1)
    ids = list(db.session.scalars(db.select(Concern.id).where(Concern.case_number.in_(cases))))
    timings, joined = [], 0
    for concern_id in ids:
        started = time.perf_counter()
        joined += join_nearest(concern_id) is not None
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(float(np.percentile(timings, 50)), 2),
        "p95_ms": round(float(np.percentile(timings, 95)), 2),
        "joined": joined,
        "tried": len(ids),
    }


def _report(rows: list[dict]) -> None:
    print()
    print(
        "concerns   raw DBSCAN s (MB)    first run s (MB)    re-run s (MB)     ratio   join p50/p95 ms"
    )
    for row in rows:
        raw, first, rerun, join = row["raw"], row["first"], row["rerun"], row["join"]
        ratio = (
            f"{rerun['seconds'] / raw['seconds']:.2f}x"
            if "seconds" in raw and "seconds" in rerun and raw["seconds"] > 0
            else "n/a"
        )
        print(
            f"{row['size']:>9,}  {_cell(raw):<19}  {_cell(first):<18}  {_cell(rerun):<16}  "
            f"{ratio:>6}   {join.get('p50_ms', '?')}/{join.get('p95_ms', '?')}"
        )
    for row in rows:
        for step in ("raw", "first", "rerun", "join"):
            print(f"  {row['size']:,} {step}: {json.dumps(row[step])}")
    _verdicts(rows)


def _cell(step: dict) -> str:
    if "error" in step:
        return "FAILED"
    return f"{step['seconds']} ({step['max_rss_mb']})"


def _verdicts(rows: list[dict]) -> None:
    by_size = {row["size"]: row for row in rows}
    if 100_000 in by_size:
        raw, rerun = by_size[100_000]["raw"], by_size[100_000]["rerun"]
        if "seconds" in raw and "seconds" in rerun:
            for what, key in (
                ("clustering + matching", "compute_seconds"),
                ("end to end", "seconds"),
            ):
                ratio = rerun[key] / raw["seconds"]
                verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
                print(
                    f"100k re-run ({what}) vs raw DBSCAN: {ratio:.2f}x "
                    f"(target <= {TARGET_RATIO}x) {verdict}"
                )
    if 1_000_000 in by_size:
        rerun = by_size[1_000_000]["rerun"]
        if "max_rss_mb" in rerun:
            verdict = "PASS" if rerun["max_rss_mb"] < TARGET_MEMORY_MB else "MISS"
            print(f"1M re-run peak memory: {rerun['max_rss_mb']} MB (target < 2048 MB) {verdict}")
    joins = [row["join"]["p95_ms"] for row in rows if "p95_ms" in row["join"]]
    if joins:
        worst = max(joins)
        verdict = "PASS" if worst < TARGET_JOIN_P95_MS else "MISS"
        print(f"incremental join p95 (worst size): {worst} ms (target < 20 ms) {verdict}")


if __name__ == "__main__":
    main()
