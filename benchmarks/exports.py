"""Streamed exports: rows per second and peak memory for 10k and 100k concerns.

Usage: PYTHONPATH=. python benchmarks/exports.py [--sizes 10000,100000] [--batch 1000]

For each size a fresh SQLite database in a temporary directory is migrated and filled with
that many located concerns by bulk insert (a tenth of them with a phone number, an e-mail and
a house number in the text, as residents write). Then each export runs to completion into a
sink that counts bytes and keeps nothing:

  baseline     csv.writer over a plain SELECT of the same columns (the cheapest possible CSV)
  staff csv    community.exports: the staff CSV generator (exact places, contacts masked)
  staff geojson
  public csv   GET /exports/public/concerns.csv through the app's test client (anonymised:
               block-level places, public_text of each description), consumed chunk by chunk
  public geojson
  naive csv    for contrast: every concern loaded as an ORM object with .all(), then written

Time is measured in one pass without tracing; peak memory (tracemalloc, Python allocations)
in a second pass. The claim to check: the streamed exports' peak memory stays flat from 10k
to 100k rows (the naive one grows with the rows), and their speed is within a small factor
of the baseline.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEXTS = [
    "people selling drugs out of the blue house every night",
    "shots fired near the corner around 11pm",
    "abandoned car with no plates, been there two weeks",
    "trash dumped in the alley behind the store",
    "Dealing at 2847 N 35th St, call me 414-555-0199 or jo@example.org",
]


class Sink:
    """A file-like object that counts what is written and keeps nothing."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> int:
        self.bytes += len(text)
        return len(text)


def build(app, size: int) -> None:
    """Fill the database with `size` located concerns (bulk insert, 10k per statement batch)."""
    from flask_migrate import upgrade

    from community.demo.reference import load_reference_data
    from community.extensions import db
    from community.models import Category, Concern

    upgrade()
    load_reference_data()
    categories = list(db.session.scalars(sa.select(Category.id)))
    rng = random.Random(414)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(size):
        rows.append(
            {
                "case_number": f"MKE-{i:08d}",
                "text": TEXTS[i % len(TEXTS)],
                "category_id": categories[i % len(categories)],
                "source": "sms",
                "status": "open",
                "language": "en",
                "reported_at": start + timedelta(minutes=5 * i),
                "geocode_status": "located",
                "location_kind": "address",
                "location_label": f"{rng.randint(100, 9999)} N {rng.randint(1, 60)}th St",
                "location_confidence": 0.9,
                "lat": 43.0 + rng.random() * 0.1,
                "lon": -88.0 + rng.random() * 0.1,
                "created_at": start,
                "updated_at": start,
            }
        )
        if len(rows) == 10_000:
            db.session.execute(sa.insert(Concern), rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(Concern), rows)
    db.session.commit()


def baseline(app) -> int:
    from community.extensions import db

    sink = Sink()
    writer = csv.writer(sink)
    result = db.session.execute(
        sa.text(
            "SELECT case_number, reported_at, category_id, status, source, location_label, "
            "location_kind, lat, lon, neighborhood_id, police_district_id, "
            "aldermanic_district_id, ward_id, hotspot_id, text FROM concern ORDER BY id"
        )
    )
    for row in result:
        writer.writerow(row)
    return sink.bytes


def staff(fmt: str) -> Callable:
    def run(app) -> int:
        from community.exports import service
        from community.exports.filters import ExportFilter
        from community.exports.streams import csv_chunks, geojson_chunks

        rows = service.records("concerns", ExportFilter(), public=False)
        if fmt == "csv":
            chunks: Iterable[str] = csv_chunks(
                service.columns("concerns", False), service.as_tuples("concerns", rows, False)
            )
        else:
            chunks = geojson_chunks(service.as_features("concerns", rows, False))
        return sum(len(c) for c in chunks)

    return run


def public(fmt: str) -> Callable:
    def run(app) -> int:
        client = app.test_client()
        response = client.get(f"/exports/public/concerns.{fmt}", buffered=False)
        assert response.status_code == 200, response.status
        total = sum(len(chunk) for chunk in response.response)
        response.close()
        return total

    return run


def naive(app) -> int:
    from community.extensions import db
    from community.models import Concern

    sink = Sink()
    writer = csv.writer(sink)
    for concern in db.session.scalars(sa.select(Concern).order_by(Concern.id)).all():
        writer.writerow([concern.case_number, concern.reported_at, concern.text, concern.lat])
    db.session.expunge_all()
    return sink.bytes


MODES = {
    "baseline csv (plain SELECT)": baseline,
    "staff csv": staff("csv"),
    "staff geojson": staff("geojson"),
    "public csv (test client)": public("csv"),
    "public geojson (test client)": public("geojson"),
    "naive csv (.all())": naive,
}


def measure(app, run: Callable) -> tuple[float, int, int]:
    """Seconds and bytes of one untraced run, then peak traced memory of a second."""
    from community.extensions import db

    with app.test_request_context():
        db.session.remove()
        began = time.perf_counter()
        written = run(app)
        seconds = time.perf_counter() - began
        db.session.remove()
        tracemalloc.start()
        run(app)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        db.session.remove()
    return seconds, written, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--batch", type=int, default=1000, help="EXPORT_BATCH_SIZE")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    from community import create_app

    results: dict[tuple[str, int], tuple[float, int, int]] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            app = create_app(
                "testing",
                SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.sqlite",
                EXPORT_BATCH_SIZE=args.batch,
                RATELIMIT_ENABLED=False,
            )
            with app.app_context():
                began = time.perf_counter()
                build(app, size)
                print(f"{size:>7} concerns inserted in {time.perf_counter() - began:.1f} s")
                for name, run in MODES.items():
                    results[name, size] = measure(app, run)
                    seconds, written, peak = results[name, size]
                    print(
                        f"  {name:<30} {size / seconds:>9,.0f} rows/s  {written / 1e6:7.1f} MB out"
                        f"  peak {peak / 1e6:6.1f} MB"
                    )
                from community.extensions import db

                db.session.remove()
                db.engine.dispose()

    print("\nsummary (rows/s relative to the baseline; peak memory at each size)")
    for name in MODES:
        line = f"  {name:<30}"
        for size in sizes:
            seconds, _, peak = results[name, size]
            base_seconds = results["baseline csv (plain SELECT)", size][0]
            line += (
                f"  {size // 1000}k: {base_seconds / seconds:4.2f}x baseline, {peak / 1e6:6.1f} MB"
            )
        if len(sizes) > 1:
            growth = results[name, sizes[-1]][2] / max(results[name, sizes[0]][2], 1)
            line += f"  memory x{growth:.2f} for x{sizes[-1] / sizes[0]:.0f} rows"
        print(line)


if __name__ == "__main__":
    main()
