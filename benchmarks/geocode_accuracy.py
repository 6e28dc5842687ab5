"""Geocode WIBR incident Locations and compare with WIBR's own coordinates.

Usage: PYTHONPATH=. python benchmarks/geocode_accuracy.py [city_package] [sample_size] [seed]

WIBR coordinates sit on the street centreline, MAI address points on the parcel, so a correct
address match shows about 30 m of distance (see maps/milwaukee/SOURCES.md); judge at 50 m.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from community.geo.address import AddressIndex
from community.geo.citypkg import load_address_points, load_city, to_metres
from community.geo.geocoder import geocode

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Run the benchmark and print its figures."""
    package = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "maps" / "milwaukee")
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    city = load_city(package)

    start = time.perf_counter()
    AddressIndex.from_city(city)
    build_s = time.perf_counter() - start
    # Memory of a second, uncached copy: the points frame plus the index built on it.
    tracemalloc.start()
    index = AddressIndex(load_address_points(city))
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    spec = city.manifest["incidents"]
    wibr = pd.read_csv(city.file(spec["file"]), dtype=str, keep_default_na=False)
    wibr = wibr[(wibr["Location"].str.strip() != "") & (wibr[spec["lon"]] != "")]
    sample = wibr.sample(n=min(size, len(wibr)), random_state=seed)

    places = []
    start = time.perf_counter()
    for text in sample["Location"]:
        places.append(geocode(city, text))
    per_geocode_ms = (time.perf_counter() - start) / len(sample) * 1000

    found = np.array([p.found for p in places])
    lon = np.array([p.lon if p.found else np.nan for p in places], dtype=float)
    lat = np.array([p.lat if p.found else np.nan for p in places], dtype=float)
    x, y = to_metres(city, lon[found], lat[found])
    tx, ty = to_metres(
        city,
        sample[spec["lon"]].astype(float).to_numpy()[found],
        sample[spec["lat"]].astype(float).to_numpy()[found],
    )
    dist = np.hypot(x - tx, y - ty)

    print(f"city package       {city.path}")
    print(f"address points     {len(index):,}")
    print(f"index build        {build_s:.2f} s (cold, includes reading the CSV)")
    print(
        f"index memory       {current / 2**20:.1f} MiB held (frame + index), {peak / 2**20:.1f} MiB peak"
    )
    print(f"process max RSS    {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"sample             {len(sample):,} WIBR Locations (seed {seed})")
    print(f"match rate         {found.mean():.1%} ({found.sum():,} / {len(sample):,})")
    if found.any():
        print(f"distance median    {np.median(dist):.1f} m")
        print(f"distance p90       {np.percentile(dist, 90):.1f} m")
        print(f"within 50 m        {(dist <= 50).mean():.1%} of matches")
        print(f"over 200 m         {(dist > 200).sum()} matches")
    print(f"time per geocode   {per_geocode_ms:.3f} ms")
    misses = sample["Location"][~found].head(8).tolist()
    print(f"unmatched examples {misses}")


if __name__ == "__main__":
    main()
