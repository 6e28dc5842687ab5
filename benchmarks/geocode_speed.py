"""Geocoder speed: cold load in a fresh process, then clean-address and free-text throughput.

Usage: PYTHONPATH=. python benchmarks/geocode_speed.py [--city maps/milwaukee] [--clean 2000]
       [--messages 1000] [--seed 42] [--cpu N]

1. Load: a fresh interpreter imports the geocoder, loads the city and geocodes one address
   (which builds the address index and whatever else the geocoder caches). Reported: time of
   load_city + that first geocode (judged against the target), import time, wall time of the
   whole child process, and the child's peak RSS. A second fresh process is run too; it is only
   "warm" if the geocoder keeps an on-disk cache (files written by the first run are listed).
   Neither run is truly cold for the disk: the OS page cache is not dropped.
2. Throughput on one core (this process is pinned to one CPU before numpy is imported):
   - clean addresses: MAI addresses formatted like "2847 N 35th St", sampled with the seed;
   - free-text messages built from resident-style templates with real MAI street names and
     school names (some name no place at all);
   - baseline: a trivial regex + dict lookup over the same clean addresses, the floor cost of
     Python string handling for this job.
   Each string is geocoded once (after a warm-up on other strings), so a text-keyed cache in
   the geocoder cannot inflate the figures. The heap is collected before each timed pass, so a
   full GC owed by this script's set-up (the MAI frame, the baseline's dict) does not show up
   as a ~50 ms latency spike; the number of full GC runs during timing is printed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_CLEAN_PER_S = 2000
TARGET_FREE_PER_S = 300
TARGET_LOAD_S = 3.0
TARGET_RSS_MIB = 300

TYPE_LABELS = {
    "ST": "St", "AV": "Ave", "BL": "Blvd", "DR": "Dr", "PL": "Pl", "CT": "Ct", "LA": "Ln",
    "TR": "Ter", "PK": "Pkwy", "CR": "Cir", "WA": "Way", "RD": "Rd",
}  # fmt: skip
TYPE_LONG = {
    "ST": "Street", "AV": "Avenue", "BL": "Boulevard", "DR": "Drive", "PL": "Place",
    "CT": "Court", "LA": "Lane", "TR": "Terrace", "PK": "Parkway", "CR": "Circle", "WA": "Way",
    "RD": "Road",
}  # fmt: skip
_ORDINAL_WORD = re.compile(r"[0-9]+(ST|ND|RD|TH)")

CHILD = """
import time
_start = time.perf_counter()
import json, resource, sys
from community.geo.citypkg import load_city
from community.geo.geocoder import geocode
imported = time.perf_counter()
city = load_city(sys.argv[1])
place = geocode(city, sys.argv[2])
done = time.perf_counter()
rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
free = geocode(city, sys.argv[3])
free_done = time.perf_counter()
print(json.dumps({
    "import_s": imported - _start,
    "load_s": done - imported,
    "free_s": free_done - done,
    "total_s": done - _start,
    "rss_kib": rss_first,
    "rss_free_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "place": f"{place.kind}: {place.label} ({place.lat}, {place.lon})",
    "free": f"{free.kind}: {free.label} ({free.lat}, {free.lon})",
}))
"""

# Free-text templates: (weight, template). Fields: addr (a casual address), street/cross (two
# streets that cross), a/b (short names of such a pair), n/street_es (a numbered street and a
# crossing street, for Spanish), school, hundred, days (only there to keep messages distinct).
TEMPLATES = (
    (3, "ppl selling drugs out the blue house {addr} every nite"),
    (2, "car broken into in front of {addr} last night"),
    (1, "Loud music at {addr} apt 2 every weekend, please help"),
    (3, "speeding on {street} near {cross}"),
    (2, "shots fired by {a} and {b}"),
    (1, "cars racing {a} & {b} all night!!"),
    (2, "dumping behind {school}"),
    (1, "kids fighting outside {school} after school every day"),
    (2, "venden drogas en la esquina de la {n} y {street_es}"),
    (1, "abandoned car on the {hundred} block of {street} for 3 weeks"),
    (1, "someone keeps dumping trash"),
    (1, "someone keeps dumping trash, {days} bags this week"),
    (1, "the streetlight is out again, called {days} times and nobody fixes it"),
)


def title_word(word: str) -> str:
    """Title-case a street name word the way residents write it: '35TH' -> '35th'."""
    if _ORDINAL_WORD.fullmatch(word):
        return word.lower()
    return word.title() if len(word) > 1 else word


def clean_address(row) -> str:
    """'2847 N 35th St' from an MAI row."""
    name = " ".join(title_word(w) for w in row.street.split())
    parts = [f"{row.hse_nbr}{row.hse_sfx}", row.dir, name, TYPE_LABELS.get(row.sttype, "")]
    return " ".join(p for p in parts if p)


def casual_street(rng: random.Random, direction: str, street: str, sttype: str) -> str:
    """A street as residents write it: 'N 35th St', '35th', 'center street', 'W Center'."""
    name = " ".join(title_word(w) for w in street.split())
    style = rng.randrange(5)
    if style == 0:
        return " ".join(p for p in (direction, name, TYPE_LABELS.get(sttype, "")) if p)
    if style == 1:
        return name
    if style == 2:
        return " ".join(p for p in (name, TYPE_LONG.get(sttype, "")) if p).lower()
    if style == 3:
        return " ".join(p for p in (direction, name) if p)
    return " ".join(p for p in (name, TYPE_LABELS.get(sttype, "")) if p)


def street_pairs(mai, rng: random.Random, count: int) -> list[tuple[tuple, tuple]]:
    """Pairs of crossing streets: a N/S-prefixed and an E/W-prefixed street with address points
    within ~100 m of each other (Milwaukee's prefix says which way a grid street runs)."""
    cell = 330.0  # feet (x_ft/y_ft are EPSG:32054 US survey feet)
    keys = list(
        zip(
            (mai["x_ft"] // cell).astype(int),
            (mai["y_ft"] // cell).astype(int),
            strict=True,
        )
    )
    streets = list(zip(mai["dir"], mai["street"], mai["sttype"], strict=True))
    by_cell: dict[tuple[int, int], set[tuple]] = {}
    for key, street in zip(keys, streets, strict=True):
        by_cell.setdefault(key, set()).add(street)
    crossings = []
    for group in by_cell.values():
        north_south = sorted(t for t in group if t[0] in ("N", "S"))
        east_west = sorted(t for t in group if t[0] in ("E", "W"))
        if north_south and east_west:
            crossings.append((north_south, east_west))
    pairs = []
    for _ in range(count):
        north_south, east_west = rng.choice(crossings)
        pair = (rng.choice(north_south), rng.choice(east_west))
        pairs.append(pair if rng.random() < 0.5 else pair[::-1])
    return pairs


def build_messages(mai, schools: list[str], rng: random.Random, count: int) -> list[str]:
    """About `count` distinct resident-style messages from TEMPLATES."""
    weights = [w for w, _ in TEMPLATES]
    pairs = street_pairs(mai, rng, count * 2)
    numbered = [p for p in pairs if p[0][1][:1].isdigit() or p[1][1][:1].isdigit()]
    rows = list(mai.sample(n=count * 2, random_state=rng.randrange(2**31)).itertuples())
    messages: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(messages) < count and attempts < count * 20:
        attempts += 1
        template = rng.choices([t for _, t in TEMPLATES], weights=weights)[0]
        row = rows[attempts % len(rows)]
        addr = clean_address(row)
        addr = rng.choice((addr, addr.lower(), addr.replace(f" {row.dir} ", " ")))
        first, second = rng.choice(pairs)
        num_pair = rng.choice(numbered)
        num, other = num_pair if num_pair[0][1][:1].isdigit() else num_pair[::-1]
        fields = {
            "addr": addr,
            "street": casual_street(rng, *first),
            "cross": casual_street(rng, *second),
            "a": title_word(first[1].split()[0])
            if rng.random() < 0.5
            else casual_street(rng, *first),
            "b": casual_street(rng, *second),
            "n": re.sub(r"[^0-9]", "", num[1]),
            "street_es": casual_street(rng, *other),
            "school": rng.choice(schools),
            "hundred": f"{row.hse_nbr // 100 * 100}",
            "days": rng.randrange(2, 40),
        }
        text = template.format(**fields)
        if text not in seen:
            seen.add(text)
            messages.append(text)
    return messages


def run_child(city: str, address: str, message: str) -> tuple[dict, float]:
    """Run the load measurement in a fresh interpreter; return its figures and wall seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, city, address, message],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"load subprocess failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def files_written_since(since: float, roots: list[Path]) -> list[Path]:
    """Files under roots modified after `since` (skipping .venv, .git and __pycache__)."""
    skip = {".venv", ".git", "__pycache__", "node_modules"}
    found = []
    for root in roots:
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in skip]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    if path.stat().st_mtime >= since:
                        found.append(path)
                except OSError:
                    continue
    return found


def timed(geocode, city, texts: list[str]) -> tuple[float, list[float], list, int]:
    """Geocode each text once; return total s, per-call s, the places and full GC runs.

    The heap is collected first so a full collection owed by set-up work does not land here.
    """
    gc.collect()
    full_before = gc.get_stats()[2]["collections"]
    clock = time.perf_counter
    latencies, places = [], []
    start = clock()
    for text in texts:
        t0 = clock()
        places.append(geocode(city, text))
        latencies.append(clock() - t0)
    total = clock() - start
    return total, latencies, places, gc.get_stats()[2]["collections"] - full_before


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--city", default=str(ROOT / "maps" / "milwaukee"), help="city package")
    parser.add_argument("--clean", type=int, default=2000, help="clean addresses to time")
    parser.add_argument("--messages", type=int, default=1000, help="free-text messages to time")
    parser.add_argument("--seed", type=int, default=42, help="sampling seed")
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: first)")
    args = parser.parse_args()
    run_start = time.perf_counter()

    # 1. Load, in fresh processes (before this process imports anything heavy).
    probe = "2847 N 35th St"
    free_probe = "shots fired by 35th and Center, kids ran toward Washington High"
    before = time.time() - 1  # mtime granularity
    cold, cold_wall = run_child(args.city, probe, free_probe)
    written = files_written_since(
        before,
        [Path(args.city), ROOT / "instance", Path.home() / ".cache"],
    )
    warm, warm_wall = run_child(args.city, probe, free_probe)

    # 2. One core from here on: pin before numpy/pandas start any thread pools.
    cpu = args.cpu if args.cpu is not None else min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"

    import pandas as pd

    from community.geo.citypkg import load_city
    from community.geo.geocoder import geocode

    city = load_city(args.city)
    mai = pd.read_csv(
        city.file(city.manifest["address_points"]["file"]), dtype=str, keep_default_na=False
    )
    mai = mai[(mai["lon"] != "") & (mai["lat"] != "") & (mai["street"] != "")].copy()
    mai["hse_nbr"] = mai["hse_nbr"].astype(int)
    for col in ("x_ft", "y_ft", "lon", "lat"):
        mai[col] = mai[col].astype(float)
    mai = mai.drop_duplicates(subset=["hse_nbr", "hse_sfx", "dir", "street", "sttype"])
    # Residents write "2847A", never the MAI's "2527ADJ" (adjacent-lot) suffix.
    writable = mai[mai["hse_sfx"].str.len() <= 1]
    sample = writable.sample(n=args.clean + 200, random_state=args.seed)
    clean = [clean_address(r) for r in sample.itertuples()]
    warmup, clean = clean[:200], clean[200:]

    schools_path = city.file(city.manifest["landmarks"][0]["file"])
    features = json.loads(schools_path.read_text(encoding="utf-8"))["features"]
    schools = sorted({f["properties"]["school_name"] for f in features})
    rng = random.Random(args.seed)
    messages = build_messages(mai, schools, rng, args.messages + 50)
    free_warmup, messages = messages[:50], messages[50:]

    # Baseline: regex + dict over the same clean addresses.
    pattern = re.compile(r"^(\d+)([A-Z]?) ([NSEW]) (.+?)(?: ([A-Z]+))?$")
    table = {
        (n, d, s): (lat, lon)
        for n, d, s, lat, lon in zip(
            mai["hse_nbr"], mai["dir"], mai["street"], mai["lat"], mai["lon"], strict=True
        )
    }

    def baseline(text: str):
        m = pattern.match(text.upper())
        return table.get((int(m.group(1)), m.group(3), m.group(4))) if m else None

    # Load the geocoder's caches (some may be built lazily by free-text strategies only) and
    # warm the interpreter, on strings that are not timed.
    for text in warmup:
        geocode(city, text)
        baseline(text)
    for text in free_warmup:
        geocode(city, text)

    clean_s, clean_lat, clean_places, clean_gc = timed(geocode, city, clean)
    free_s, free_lat, free_places, free_gc = timed(geocode, city, messages)
    start = time.perf_counter()
    base_hits = sum(baseline(text) is not None for text in clean)
    base_s = time.perf_counter() - start

    clean_rate = len(clean) / clean_s
    free_rate = len(messages) / free_s
    base_rate = len(clean) / base_s
    rss_mib = cold["rss_kib"] / 1024
    rss_mb = cold["rss_kib"] * 1024 / 1e6  # the target is in decimal MB (1 MiB = 1.049 MB)

    print(f"city package        {Path(args.city).resolve()}")
    print(f"python              {sys.version.split()[0]}; pinned to CPU {cpu}")
    print(f"\n=== load (fresh subprocess, one geocode of {probe!r})")
    print(f"  first answer      {cold['place']}")
    print(f"  imports           {cold['import_s']:.2f} s")
    print(
        f"  load_city + first geocode {cold['load_s']:.2f} s   target < {TARGET_LOAD_S:.0f} s  "
        f"{verdict(cold['load_s'] < TARGET_LOAD_S)}"
    )
    print(f"  in-process total  {cold['total_s']:.2f} s; process wall {cold_wall:.2f} s")
    print(
        f"  then one free-text geocode {cold['free_s']:.2f} s (lazy caches); {free_probe!r} -> "
        f"{cold['free']}; peak RSS after it {cold['rss_free_kib'] / 1024:.0f} MiB"
    )
    print(
        f"  peak RSS          {rss_mib:.0f} MiB = {rss_mb:.0f} MB   target < {TARGET_RSS_MIB} MB  "
        f"{verdict(rss_mb < TARGET_RSS_MIB)}"
    )
    cache_files = [p for p in written if p.suffix != ".py"]
    if cache_files:
        print(f"  files written by the first run (possible on-disk cache): {len(cache_files)}")
        for path in cache_files[:5]:
            print(f"    {path}")
        label = "warm (second process, on-disk cache present)"
    else:
        print("  on-disk cache     none detected (no files written by the first run)")
        label = "second process (no disk cache; OS page cache only)"
    print(f"  {label}:")
    print(
        f"    load_city + first geocode {warm['load_s']:.2f} s; imports {warm['import_s']:.2f} s; "
        f"wall {warm_wall:.2f} s; peak RSS {warm['rss_kib'] / 1024:.0f} MiB; "
        f"then free text {warm['free_s']:.2f} s"
    )

    def show(name, n, seconds, lat, places, full_gcs: int, target: int | None):
        found = sum(p.kind != "none" for p in places)
        kinds: dict[str, int] = {}
        for p in places:
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
        rate = n / seconds
        print(f"\n=== {name}: {n:,} strings")
        line = f"  throughput        {rate:,.0f} /s"
        if target is not None:
            line += f"   target >= {target:,}/s  {verdict(rate >= target)}"
        print(line)
        print(f"  latency mean      {sum(lat) / len(lat) * 1e3:.3f} ms")
        print(f"  latency p99       {percentile(lat, 99) * 1e3:.3f} ms")
        print(
            f"  latency max       {max(lat) * 1e3:.3f} ms  ({full_gcs} full GC runs while timing)"
        )
        print(f"  located           {found:,} ({found / n:.1%})  kinds {kinds}")

    show(
        "clean addresses",
        len(clean),
        clean_s,
        clean_lat,
        clean_places,
        clean_gc,
        TARGET_CLEAN_PER_S,
    )
    print(f"  examples          {clean[:3]}")
    missed = [t for t, p in zip(clean, clean_places, strict=True) if p.kind == "none"]
    if missed:
        print(f"  not located       {missed[:5]}")
    show(
        "free-text messages",
        len(messages),
        free_s,
        free_lat,
        free_places,
        free_gc,
        TARGET_FREE_PER_S,
    )
    print("  examples")
    for text, place in list(zip(messages, free_places, strict=True))[:8]:
        print(f"    {text!r} -> {place.kind} {place.label!r}")
    print("\n=== baseline: regex + dict lookup over the same clean addresses")
    print(f"  throughput        {base_rate:,.0f} /s  (hits {base_hits:,} / {len(clean):,})")
    print(
        f"  geocoder / floor  {clean_rate / base_rate:.3f} (the geocoder is {base_rate / clean_rate:.1f}x slower)"
    )

    print("\n=== summary")
    checks = (
        (f"load_city + first geocode < {TARGET_LOAD_S:.0f} s", cold["load_s"] < TARGET_LOAD_S),
        (f"peak RSS < {TARGET_RSS_MIB} MB", rss_mb < TARGET_RSS_MIB),
        (f"clean addresses >= {TARGET_CLEAN_PER_S:,}/s", clean_rate >= TARGET_CLEAN_PER_S),
        (f"free text >= {TARGET_FREE_PER_S}/s", free_rate >= TARGET_FREE_PER_S),
    )
    for name, ok in checks:
        print(f"  {name:34}{verdict(ok)}")
    print(f"  {'whole run':34}{time.perf_counter() - run_start:.1f} s")


if __name__ == "__main__":
    main()
