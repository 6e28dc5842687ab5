"""Problem places found among planted ones, hotspot widths and time: find_places vs raw DBSCAN.

Usage: PYTHONPATH=. python benchmarks/hotspot_places.py [--sizes 2000,20000,100000] [--seed 7]
           [--jitter-m 40] [--memory-size 1000000] [--repeat 1] [--why] [--csv-dir DIR]

For each size: `size` concerns from benchmarks/planted.py (120 problem places at real address
points, 4-25 reports each, 70% on the point and the rest 20-70 m away, a third under related
categories; the rest a WIBR-shaped background jittered by --jitter-m). Then, on the same
projected points:

  find_places  community.geo.problem_places.find_places with each concern's problem family:
               the full re-cluster the app runs.
  DBSCAN       raw scikit-learn DBSCAN(eps=150 m, min_samples=3, ball_tree): the old rule,
               timed as the baseline and scored the same way ("before").

Scores: a planted place is found when at least 80% of its reports are in one hotspot whose
90th-percentile radius (radius_p90) is at most 250 m; hotspots wider than 500 m (p90 radius);
hotspots; share of all concerns inside a hotspot; share of clustered concerns inside a hotspot
wider than 500 m; seconds (best of --repeat). --why lists the places missed. --csv-dir writes
planted-<size>.csv (id,lat,lon,reported_at,category: the input of `flask cluster-csv`) and
planted-<size>-truth.csv (id,place). Then find_places alone on --memory-size points (0 skips)
in a child process that only loads the points and runs it: peak memory (the child's own max
RSS, VmHWM; Linux's ru_maxrss would include the parent's) and time.

Targets: found >= 97% at 2,000, >= 95% at 20,000, >= 85% at 100,000; no hotspot wider than
500 m at any size; at 20,000 and 100,000 at most 60% of all concerns inside hotspots;
find_places at 100,000 within 2x of raw DBSCAN; 1,000,000 under 2048 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.planted import JITTER_M, Planted, planted, write_csv, write_truth  # noqa: E402

FOUND_SHARE = 0.8  # of a place's reports in one hotspot ...
FOUND_RADIUS_M = 250.0  # ... no wider than this (p90 radius)
WIDE_M = 500.0
TARGET_FOUND = {2_000: 0.97, 20_000: 0.95, 100_000: 0.85}
TARGET_INSIDE = {20_000: 0.60, 100_000: 0.60}
TARGET_RATIO = 2.0
TARGET_MEMORY_MB = 2048
METHODS = ("find_places", "DBSCAN")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jitter-m", type=float, default=JITTER_M)
    parser.add_argument("--memory-size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="time each method best of N")
    parser.add_argument("--why", action="store_true", help="list the places missed")
    parser.add_argument("--csv-dir", help="write planted-<size>.csv and its truth file here")
    parser.add_argument("--step", help=argparse.SUPPRESS)  # internal: the memory child
    parser.add_argument("--points", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "memory":
        _memory_step(args.points)
        return
    _warm_up()
    rows = [_measure(int(size), args) for size in args.sizes.split(",")]
    memory = _memory(args) if args.memory_size else None
    _verdicts(rows, memory)


def families(categories: Any) -> np.ndarray:
    """Each concern's problem family, from its category code."""
    from community.demo.reference import category_families

    table = category_families()
    return np.array([table[code] for code in np.asarray(categories).tolist()])


def run_find_places(data: Planted, family: np.ndarray) -> np.ndarray:
    """find_places on the planted points, with families: the full re-cluster."""
    from community.geo.problem_places import find_places

    return find_places(data.x, data.y, family)


def run_dbscan(data: Planted, family: np.ndarray | None = None) -> np.ndarray:
    """Raw scikit-learn DBSCAN (150 m, 3) on the same points, families ignored: the old rule."""
    from sklearn.cluster import DBSCAN

    points = np.column_stack([data.x, data.y])
    return DBSCAN(eps=150.0, min_samples=3, algorithm="ball_tree").fit_predict(points)


def _warm_up() -> None:
    """Imports and first-call set-up out of the timings: both methods once on a few points."""
    from sklearn.cluster import DBSCAN

    from community.geo.problem_places import find_places

    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 1000, 500), rng.uniform(0, 1000, 500)
    find_places(x, y, np.array(["a", "b"] * 250))
    DBSCAN(eps=150.0, min_samples=3, algorithm="ball_tree").fit_predict(np.column_stack([x, y]))


def _measure(size: int, args: argparse.Namespace) -> dict:
    print(f"-- {size:,} concerns (seed {args.seed}, jitter {args.jitter_m:g} m)", flush=True)
    data = planted(size, args.seed, jitter_m=args.jitter_m)
    if args.csv_dir:
        _write_files(data, Path(args.csv_dir), size)
    row: dict[str, Any] = {"size": size, "places": int(data.place.max()) + 1}
    family = families(data.category)  # as the app reads it from the category table
    for method, run in zip(METHODS, (run_find_places, run_dbscan), strict=True):
        seconds, labels = _timed(run, data, family, args.repeat)
        row[method] = score(data, labels) | {"seconds": seconds}
    _print_size(row)
    if args.why:
        for method in METHODS:
            _print_misses(method, row[method]["misses"])
    return row


def _write_files(data: Planted, folder: Path, size: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(data, folder / f"planted-{size}.csv")
    write_truth(data, folder / f"planted-{size}-truth.csv")
    print(f"   wrote {folder / f'planted-{size}.csv'} and its -truth.csv", flush=True)


def _timed(run: Any, data: Planted, family: np.ndarray, repeat: int) -> tuple[float, np.ndarray]:
    """Best wall time of `repeat` runs, and the labels of the last."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        labels = run(data, family)
        best = min(best, time.perf_counter() - started)
    return best, np.asarray(labels)


def score(data: Planted, labels: np.ndarray) -> dict:
    """Places found, wide hotspots and shares for one labelling of the planted concerns."""
    from community.geo.problem_places import radius_p90

    radius = radius_p90(data.x, data.y, labels)
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(0, int)
    wide = {label for label, r in radius.items() if r > WIDE_M}
    clustered = int((labels >= 0).sum())
    in_wide = int(sum(sizes[label] for label in wide))
    places = [_place(data, labels, radius, sizes, p) for p in range(int(data.place.max()) + 1)]
    return {
        "found": sum(place["found"] for place in places),
        "wide": len(wide),
        "hotspots": len(radius),
        "inside": clustered / len(labels),
        "in_wide": in_wide / clustered if clustered else 0.0,
        "widest_m": max(radius.values(), default=0.0),
        "misses": [place for place in places if not place["found"]],
    }


def _place(
    data: Planted, labels: np.ndarray, radius: dict[int, float], sizes: np.ndarray, place: int
) -> dict:
    """One planted place: is it found, and where did its reports land."""
    mine = labels[data.place == place]
    inside = mine[mine >= 0]
    if len(inside) == 0:
        best, landed = -1, 0
    else:
        values, counts = np.unique(inside, return_counts=True)
        best, landed = int(values[counts.argmax()]), int(counts.max())
    width = radius.get(best, float("nan"))
    return {
        "place": place,
        "reports": len(mine),
        "landed": landed,
        "hotspot_size": int(sizes[best]) if best >= 0 else 0,
        "radius_m": width,
        "found": best >= 0 and landed >= FOUND_SHARE * len(mine) and width <= FOUND_RADIUS_M,
    }


def _print_size(row: dict) -> None:
    print(
        f"   {'method':<12} {'found':>9} {'>500m':>6} {'hotspots':>9} {'inside':>7} "
        f"{'in >500m':>9} {'widest m':>9} {'seconds':>8}"
    )
    for method in METHODS:
        result = row[method]
        found = f"{result['found']}/{row['places']}"
        print(
            f"   {method:<12} {found:>9} {result['wide']:>6} {result['hotspots']:>9,} "
            f"{result['inside']:>7.1%} {result['in_wide']:>9.1%} {result['widest_m']:>9,.0f} "
            f"{result['seconds']:>8.3f}"
        )
    ratio = row["find_places"]["seconds"] / max(row["DBSCAN"]["seconds"], 1e-9)
    print(f"   find_places / DBSCAN time: {ratio:.2f}x", flush=True)


def _print_misses(method: str, misses: list[dict]) -> None:
    print(f"   {method} misses: {len(misses)}")
    if not misses:
        return
    print(f"     {'place':>5} {'reports':>7} {'in best':>7} {'best size':>9} {'best p90 m':>10}")
    for miss in misses:
        print(
            f"     {miss['place']:>5} {miss['reports']:>7} {miss['landed']:>7} "
            f"{miss['hotspot_size']:>9,} {miss['radius_m']:>10,.0f}"
        )


def _memory(args: argparse.Namespace) -> dict:
    """find_places on --memory-size points in a child process: its peak RSS and time."""
    size = args.memory_size
    print(f"-- memory: find_places on {size:,} concerns in a child process", flush=True)
    data = planted(size, args.seed, jitter_m=args.jitter_m)
    with tempfile.TemporaryDirectory(prefix="bench-places-") as folder:
        points = Path(folder) / "points.npz"
        np.savez(points, x=data.x, y=data.y, family=families(data.category))
        del data
        command = [sys.executable, __file__, "--step", "memory", "--points", str(points)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        print(done.stderr.strip() or done.stdout.strip() or "no output")
        return {"size": size, "error": f"child exited {done.returncode}"}
    result = json.loads(lines[-1]) | {"size": size}
    print(
        f"   {result['seconds']:.2f} s, peak {result['max_rss_mb']} MB "
        f"({result['before_mb']} MB before find_places; ru_maxrss {result['ru_maxrss_mb']} MB, "
        f"which includes the parent's), {result['hotspots']:,} hotspots",
        flush=True,
    )
    return result


def _memory_step(points: str) -> None:
    """The child: load the points, run find_places, print seconds and peak RSS as JSON."""
    from community.geo.problem_places import find_places

    arrays = np.load(points)
    x, y, family = arrays["x"], arrays["y"], arrays["family"]
    before = _max_rss_mb()
    started = time.perf_counter()
    labels = find_places(x, y, family)
    seconds = time.perf_counter() - started
    hotspots = len(np.unique(labels[labels >= 0]))
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "max_rss_mb": _max_rss_mb(),
                "before_mb": before,
                "ru_maxrss_mb": _ru_maxrss_mb(),
                "hotspots": hotspots,
            }
        )
    )


def _max_rss_mb() -> int:
    """This process's peak RSS. Linux's ru_maxrss carries the parent's high-water mark over
    fork and exec (the child reports at least the parent's peak), so where there is one read
    the peak of this program's own memory map, VmHWM; else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return _ru_maxrss_mb()


def _ru_maxrss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _verdicts(rows: list[dict], memory: dict | None) -> None:
    print("\nverdicts (find_places):")
    by_size = {row["size"]: row["find_places"] | {"places": row["places"]} for row in rows}
    for size, target in TARGET_FOUND.items():
        if size in by_size:
            share = by_size[size]["found"] / by_size[size]["places"]
            _verdict(f"found at {size:,}: {share:.1%}", f">= {target:.0%}", share >= target)
    widest = max((r["widest_m"] for r in by_size.values()), default=0.0)
    wide = sum(r["wide"] for r in by_size.values())
    _verdict(f"hotspots wider than 500 m: {wide} (widest {widest:,.0f} m)", "0", wide == 0)
    for size, target in TARGET_INSIDE.items():
        if size in by_size:
            share = by_size[size]["inside"]
            _verdict(
                f"inside hotspots at {size:,}: {share:.1%}", f"<= {target:.0%}", share <= target
            )
    if 100_000 in by_size:
        before = next(row["DBSCAN"] for row in rows if row["size"] == 100_000)
        ratio = by_size[100_000]["seconds"] / max(before["seconds"], 1e-9)
        _verdict(f"100k time vs raw DBSCAN: {ratio:.2f}x", f"<= {TARGET_RATIO:g}x", ratio <= 2)
    if memory and "max_rss_mb" in memory:
        mb = memory["max_rss_mb"]
        label = f"{memory['size']:,} peak memory: {mb} MB"
        _verdict(label, f"< {TARGET_MEMORY_MB} MB", mb < TARGET_MEMORY_MB)
    elif memory:
        _verdict(f"{memory['size']:,} peak memory: {memory['error']}", "completes", False)


def _verdict(measured: str, target: str, passed: bool) -> None:
    print(f"  {measured} (target {target}) {'PASS' if passed else 'MISS'}")


if __name__ == "__main__":
    main()
