"""Score the geocoder on a held-out set of resident-style messages (English and Spanish).

Usage: PYTHONPATH=. python benchmarks/geocode_heldout.py [--city maps/milwaukee]
                                                           [--data benchmarks/data/heldout_messages.jsonl]

Each line of the data file is one message: {"id", "lang", "text", "kind", "lat", "lon",
"tolerance_m", "area"}. Expected answers were derived only from the city package's own layers
(MAI address points, OSM main roads, schools, neighbourhoods, BIDs, aldermanic districts).

Scoring, per message:
  kind "none"   correct when the geocoder says none, or answers with confidence < 0.5
  "area" set    correct when place.areas has the expected code for that area kind
  otherwise     correct when a point is found within tolerance_m (haversine metres)

An address expected with a 100 m tolerance is an interpolated one (no MAI point of its own); it is
reported on its own row as "address (interpolated)". The script prints accuracy per expected kind,
per language and overall, the number of confident (>= 0.5) points invented for no-place
messages, and every failure.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EARTH_RADIUS_M = 6_371_008.8
CONFIDENT = 0.5
INTERPOLATED_TOLERANCE_M = 100


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def load_messages(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def row_kind(msg: dict) -> str:
    """The reporting row of a message: its expected kind, interpolated addresses apart."""
    if msg["kind"] == "address" and msg.get("tolerance_m") == INTERPOLATED_TOLERANCE_M:
        return "address (interpolated)"
    return msg["kind"]


def score(msg: dict, place) -> tuple[bool, float | None, bool]:
    """Return (correct, distance in metres or None, invented confident point for a none)."""
    if msg["kind"] == "none":
        confident_point = place.found and place.confidence >= CONFIDENT
        return not confident_point, None, confident_point
    if msg.get("area"):
        ((area_kind, code),) = msg["area"].items()
        return place.areas.get(area_kind) == code, None, False
    if not place.found:
        return False, None, False
    dist = haversine_m(msg["lat"], msg["lon"], place.lat, place.lon)
    return dist <= msg["tolerance_m"], dist, False


def expected_text(msg: dict) -> str:
    if msg["kind"] == "none":
        return "none"
    if msg.get("area"):
        return f"area {msg['area']}"
    return f"{msg['kind']} ({msg['lat']:.5f}, {msg['lon']:.5f}) +/-{msg['tolerance_m']} m"


def shorten(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def pct(ok: int, n: int) -> str:
    return f"{ok:3d}/{n:<3d} {100.0 * ok / n:5.1f}%" if n else "  -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city", default=str(ROOT / "maps" / "milwaukee"))
    parser.add_argument(
        "--data", default=str(ROOT / "benchmarks" / "data" / "heldout_messages.jsonl")
    )
    args = parser.parse_args()

    from community.geo.citypkg import load_city
    from community.geo.geocoder import geocode

    messages = load_messages(Path(args.data))
    t0 = time.perf_counter()
    city = load_city(args.city)
    load_s = time.perf_counter() - t0

    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    invented = 0
    failures = []
    t0 = time.perf_counter()
    for msg in messages:
        place = geocode(city, msg["text"])
        correct, dist, invented_point = score(msg, place)
        invented += invented_point
        for bucket in (by_kind[row_kind(msg)], by_lang[msg["lang"]]):
            bucket[0] += correct
            bucket[1] += 1
        if not correct:
            failures.append((msg, place, dist))
    geocode_s = time.perf_counter() - t0

    total_ok = sum(ok for ok, _ in by_kind.values())
    print(f"held-out geocoder benchmark: {len(messages)} messages ({args.data})")
    print(f"city load {load_s:.1f} s, geocoding {geocode_s:.1f} s")
    print("\nper expected kind")
    order = [
        "address",
        "address (interpolated)",
        "block",
        "intersection",
        "landmark",
        "area",
        "none",
    ]
    for kind in order + sorted(set(by_kind) - set(order)):
        if kind in by_kind:
            print(f"  {kind:24s} {pct(*by_kind[kind])}")
    print("\nper language")
    for lang in sorted(by_lang):
        print(f"  {lang:24s} {pct(*by_lang[lang])}")
    print(f"\noverall                    {pct(total_ok, len(messages))}")
    n_none = by_kind["none"][1] if "none" in by_kind else 0
    print(f"confident (>= {CONFIDENT}) points invented for no-place messages: {invented}/{n_none}")

    print(f"\nfailures ({len(failures)})")
    for msg, place, dist in failures:
        got_areas = {
            k: v for k, v in place.areas.items() if k in ("neighborhood", "aldermanic_district")
        }
        dist_s = "-" if dist is None else f"{dist:.0f} m"
        print(f"- {msg['id']} [{msg['lang']}] {shorten(msg['text'])!r}")
        print(f"    expected {expected_text(msg)}")
        print(
            f"    got      {place.kind} {place.label!r} conf={place.confidence:.2f} "
            f"dist={dist_s} areas={got_areas}"
        )


if __name__ == "__main__":
    main()
