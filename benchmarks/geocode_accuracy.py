"""Geocode every WIBR incident Location and compare with WIBR's own lon/lat, per kind of Location.

Usage: PYTHONPATH=. python benchmarks/geocode_accuracy.py [--city maps/milwaukee] [--sample N]

Every WIBR incident (maps/milwaukee/wibr_crime_2023_jan_sep.csv.gz) with lon/lat and a non-empty
Location is used; identical Location strings are geocoded once. Each Location is classified by
its text alone:

  street address  a leading house number not ending in 00      "2846 N 1ST ST", "5368B N ..."
  hundred block   a leading house number ending in 00          "2500 W WELLS ST"
  other           no leading house number (intersections ...)  "N 20TH ST & W BURLEIGH ST"

The classification is purely textual: some numbers ending in 00 are real addresses with an MAI
point, and they are still counted as hundred blocks.

Figures are given per unique Location (the primary figures, judged against the targets) and per
incident (raw). For a unique Location the reference point is the median WIBR lon/lat of its
incidents; per incident it is the incident's own lon/lat. Distances are haversine metres.

WIBR points sit on the street centreline and MAI points on the parcel, about 30 m apart, so a
correct address match shows ~30 m of distance (maps/milwaukee/SOURCES.md). Targets: street
addresses >= 97% within 50 m, hundred blocks >= 90% within 100 m, both of all Locations in the
class (unlocated ones count as misses).
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
EARTH_RADIUS_M = 6_371_008.8
CLASSES = ("street address", "hundred block", "other")
# (class, threshold m, minimum share of the class within it)
TARGETS = {"street address": (50.0, 0.97), "hundred block": (100.0, 0.90)}
KIND_ORDER = ("address", "interpolated", "block", "intersection", "landmark", "area", "none")
_LEADING_NUMBER = re.compile(r"\s*([0-9]+)[A-Z]?\s")


def haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in metres between WGS84 points (arrays; NaN in, NaN out)."""
    lon1, lat1, lon2, lat2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def classify(location: str) -> str:
    """Classify a WIBR Location by its text only (see the module docstring)."""
    match = _LEADING_NUMBER.match(location.upper())
    if not match:
        return "other"
    return "hundred block" if match.group(1).endswith("00") else "street address"


def load_incidents(city, sample: int | None, seed: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """WIBR incidents with lon/lat and a Location (optionally a random sample of them)."""
    spec = city.manifest["incidents"]
    raw = pd.read_csv(city.file(spec["file"]), dtype=str, keep_default_na=False)
    counts = {"rows": len(raw)}
    frame = pd.DataFrame(
        {
            "location": raw["Location"].str.strip(),
            "lon": pd.to_numeric(raw[spec["lon"]], errors="coerce"),
            "lat": pd.to_numeric(raw[spec["lat"]], errors="coerce"),
        }
    )
    frame = frame.dropna(subset=["lon", "lat"])
    counts["with_coords"] = len(frame)
    frame = frame[frame["location"] != ""]
    counts["empty_location"] = counts["with_coords"] - len(frame)
    if sample is not None and sample < len(frame):
        frame = frame.sample(n=sample, random_state=seed)
    return frame.reset_index(drop=True), counts


def geocode_all(city, texts: list[str]) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Geocode each text once; return kind/lat/lon/label per text and (text, error) failures."""
    from community.geo.geocoder import geocode

    rows, errors = [], []
    for text in texts:
        try:
            place = geocode(city, text)
        except Exception as exc:  # a benchmark reports a crash rather than dying on it
            errors.append((text, f"{type(exc).__name__}: {exc}"))
            rows.append(("error", np.nan, np.nan, ""))
            continue
        lat = place.lat if place.lat is not None else np.nan
        lon = place.lon if place.lon is not None else np.nan
        rows.append((place.kind, lat, lon, place.label))
    out = pd.DataFrame(rows, columns=["kind", "g_lat", "g_lon", "label"], index=texts)
    return out, errors


def pct(part: float, whole: float) -> str:
    return f"{part / whole:6.1%}" if whole else "     -"


def metres(value: float) -> str:
    return f"{value:8.1f} m" if np.isfinite(value) else "       - m"


def report_class(name: str, uniq: pd.DataFrame, inc: pd.DataFrame, seed: int) -> bool | None:
    """Print one class's figures; return PASS (True) / FAIL (False), None without a target."""
    n_u, n_i = len(uniq), len(inc)
    print(f"\n=== {name}: {n_u:,} unique Locations, {n_i:,} incidents")
    if n_u == 0:
        return None
    print(f"{'':28}{'unique':>12}{'incidents':>12}")
    located_u = (uniq["kind"] != "none") & (uniq["kind"] != "error")
    located_i = (inc["kind"] != "none") & (inc["kind"] != "error")
    print(
        f"{'located (kind != none)':28}{pct(located_u.sum(), n_u):>12}{pct(located_i.sum(), n_i):>12}"
    )
    for limit in (50, 100, 250):
        within_u = (uniq["dist"] <= limit).sum()
        within_i = (inc["dist"] <= limit).sum()
        print(f"{f'within {limit} m (of all)':28}{pct(within_u, n_u):>12}{pct(within_i, n_i):>12}")
    d_u, d_i = uniq["dist"].dropna(), inc["dist"].dropna()
    for label, q in (("median distance (located)", 50), ("p90 distance (located)", 90)):
        v_u = np.percentile(d_u, q) if len(d_u) else np.nan
        v_i = np.percentile(d_i, q) if len(d_i) else np.nan
        print(f"{label:28}{metres(v_u):>12}{metres(v_i):>12}")

    print("by result kind (unique Locations): n, share, within 50 m / 100 m of that kind, median")
    kinds = Counter(uniq["kind"])
    for kind in [*KIND_ORDER, *sorted(set(kinds) - set(KIND_ORDER))]:
        if not kinds.get(kind):
            continue
        sub = uniq[uniq["kind"] == kind]
        med = sub["dist"].median() if sub["dist"].notna().any() else np.nan
        print(
            f"  {kind:14}{len(sub):7,} {pct(len(sub), n_u)}"
            f"  {pct((sub['dist'] <= 50).sum(), len(sub))} / {pct((sub['dist'] <= 100).sum(), len(sub))}"
            f"  {metres(med)}"
        )

    result = None
    if name in TARGETS:
        limit, share = TARGETS[name]
        got = (uniq["dist"] <= limit).sum() / n_u
        result = bool(got >= share)
        print(
            f"TARGET >= {share:.0%} within {limit:.0f} m: {got:.1%} of unique Locations "
            f"({(inc['dist'] <= limit).mean():.1%} of incidents) -> {'PASS' if result else 'FAIL'}"
        )

    worst = uniq[uniq["dist"].notna()].sort_values("dist", ascending=False).head(15)
    print(f"15 worst located (of {int(located_u.sum()):,}): Location | kind | label | distance")
    for loc, row in worst.iterrows():
        print(f"  {loc:38} | {row['kind']:12} | {row['label'][:38]:38} | {row['dist']:9.0f} m")
    unlocated = uniq[~located_u]
    if len(unlocated):
        shown = unlocated.sample(n=min(10, len(unlocated)), random_state=seed)
        print(f"10 unlocated examples (of {len(unlocated):,}, random):")
        for loc, row in shown.iterrows():
            print(f"  {loc}" + ("  [error]" if row["kind"] == "error" else ""))
    return result


def report_ceiling(city, uniq: pd.DataFrame, inc: pd.DataFrame) -> None:
    """How close the ground truth itself lets any address-point geocoder get.

    For every street-address Location whose exact address is in the City's address file, the
    address point's own distance to WIBR (no parsing involved); and how far incidents at one
    and the same Location lie from their median (WIBR disagreeing with itself).
    """
    from community.geo.streets import street_index

    index = street_index(city)
    distances = []
    for location, row in uniq.iterrows():
        parts = location.split()
        if len(parts) < 4 or not parts[0].isdigit():
            continue
        key = (parts[1], " ".join(parts[2:-1]), parts[-1])
        if key not in index.streets:
            continue
        xy = index.exact(key, int(parts[0]))
        if xy is None:
            continue
        from community.geo.citypkg import to_lonlat

        lon, lat = to_lonlat(city, [xy[0]], [xy[1]])
        distances.append(float(haversine_m(row["lon"], row["lat"], lon[0], lat[0])))
    distances = np.array(distances)
    spread = inc.groupby("location").apply(
        lambda g: float(
            haversine_m(g["lon"], g["lat"], g["lon"].median(), g["lat"].median()).max()
        ),
        include_groups=False,
    )
    repeated = inc.groupby("location").size() > 1
    print("\n=== data ceiling for street addresses (the ground truth, not the geocoder)")
    print(
        f"the City's own point for the exact address: {len(distances):,} Locations, "
        f"{pct((distances <= 50).sum(), len(distances))} within 50 m, "
        f"{pct((distances <= 100).sum(), len(distances))} within 100 m, median {metres(np.median(distances))}"
    )
    print(
        f"WIBR against itself: {int(repeated.sum()):,} Locations with several incidents; "
        f"{int((spread[repeated] > 50).sum()):,} of them have an incident over 50 m from the "
        f"Location's median point"
    )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--city", default=str(ROOT / "maps" / "milwaukee"), help="city package")
    parser.add_argument("--sample", type=int, default=None, help="random subset of N incidents")
    parser.add_argument("--seed", type=int, default=42, help="seed for --sample and examples")
    args = parser.parse_args()

    run_start = time.perf_counter()
    from community.geo.citypkg import load_city
    from community.geo.geocoder import geocode

    city = load_city(args.city)
    incidents, counts = load_incidents(city, args.sample, args.seed)

    start = time.perf_counter()
    geocode(city, "2847 N 35th St")  # builds whatever the geocoder caches
    first_s = time.perf_counter() - start

    incidents["cls"] = incidents["location"].map(classify)
    grouped = incidents.groupby("location", sort=True)
    uniq = pd.DataFrame(
        {
            "cls": grouped["cls"].first(),
            "n": grouped.size(),
            "lon": grouped["lon"].median(),
            "lat": grouped["lat"].median(),
        }
    )
    start = time.perf_counter()
    places, errors = geocode_all(city, uniq.index.tolist())
    geocode_s = time.perf_counter() - start
    uniq = uniq.join(places)
    uniq["dist"] = haversine_m(uniq["lon"], uniq["lat"], uniq["g_lon"], uniq["g_lat"])
    inc = incidents.join(places, on="location")
    inc["dist"] = haversine_m(inc["lon"], inc["lat"], inc["g_lon"], inc["g_lat"])

    print(f"city package         {city.path}")
    print(
        f"WIBR rows            {counts['rows']:,}; with lon/lat {counts['with_coords']:,}; "
        f"excluded for an empty Location {counts['empty_location']:,}"
    )
    if args.sample is not None:
        print(f"sample               {len(incidents):,} incidents (seed {args.seed})")
    print(f"incidents (raw)      {len(incidents):,}")
    print(f"unique Locations     {len(uniq):,}")
    print("classification       textual only: a leading number ending in 00 is a hundred block,")
    print("                     even where that number is a real MAI address")
    if errors:
        print(f"geocoder errors      {len(errors):,}, e.g. {errors[0][0]!r}: {errors[0][1]}")

    results = {}
    for name in CLASSES:
        results[name] = report_class(
            name, uniq[uniq["cls"] == name], inc[inc["cls"] == name], args.seed
        )

    report_ceiling(city, uniq[uniq["cls"] == "street address"], inc[inc["cls"] == "street address"])

    total_s = time.perf_counter() - run_start
    print("\n=== summary")
    for name, (limit, share) in TARGETS.items():
        verdict = {True: "PASS", False: "FAIL", None: "n/a (no Locations)"}[results[name]]
        print(f"{name:16} >= {share:.0%} within {limit:.0f} m   {verdict}")
    print(f"first geocode        {first_s:.2f} s (loads the address index and geocoder caches)")
    print(
        f"geocoding            {geocode_s:.2f} s for {len(uniq):,} unique Locations "
        f"({geocode_s / max(len(uniq), 1) * 1000:.3f} ms each)"
    )
    print(f"whole run            {total_s:.2f} s")


if __name__ == "__main__":
    main()
