"""Time and memory of printed meeting reports, against WeasyPrint printing a plain page.

Usage: PYTHONPATH=. python benchmarks/reports.py [--concerns 2000] [--area "SHERMAN PARK"]

Set-up (not measured): a SQLite database in a temporary directory, migrated, loaded with the
city and seeded with the full demo (`flask demo`: 2,000 concerns through the real geocoder,
clustered into hotspots and worked by agencies).

Measured, in this one process, in this order:

  baseline   WeasyPrint rendering a one-page plain HTML document to PDF (warm: second run)
  cold       one neighbourhood report (facts, map, charts, HTML, PDF) in a fresh process,
             the city's street and road layers and WeasyPrint's fonts loaded on first use
  one        the same report again, warm (what a staff member waits for in a running app)
  all        one report per neighbourhood (190), as the batch job makes them: PDFs written
             to disk and recorded, the city layers reused from the first report

"peak RSS" is the process's ru_maxrss after the stage; "traced peak" is tracemalloc's peak
of Python allocations during one extra warm report (tracemalloc slows the run, so it is not
timed). Targets: one report under 3 s; all 190 under 3 minutes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

PLAIN_HTML = """<!doctype html><html><head><style>@page { size: letter; margin: 1in }
body { font: 11pt "DejaVu Sans", sans-serif }</style></head><body><h1>Plain page</h1>
<p>A one-page document with a heading and a paragraph: WeasyPrint's own floor.</p></body></html>"""


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(folder: Path, concerns: int) -> str:
    """A migrated SQLite database with the city and the demo; returns its URL."""
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    os.environ["DATABASE_URL"] = url
    os.environ["REPORTS_FOLDER"] = str(folder / "reports")
    from flask_migrate import upgrade

    from community import create_app
    from community.demo.reference import load_reference_data
    from community.demo.seed import seed_demo
    from community.extensions import db
    from community.places.areas import load_areas
    from community.places.city import current_city
    from community.privacy import PhoneVault

    app = create_app("development")
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        summary = seed_demo(current_city(), PhoneVault.from_config(app.config), concerns, 414)
        db.session.remove()
        db.engine.dispose()
    print(
        f"set-up: {summary['concerns']} concerns, {summary['located']} located, "
        f"{summary['hotspots']} hotspots"
    )
    return url


def timed(func):
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concerns", type=int, default=2000)
    parser.add_argument("--area", default="SHERMAN PARK")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        seed(folder, args.concerns)
        print(f"set-up time: {time.perf_counter() - started:.1f} s (not measured below)\n")

        from community import create_app
        from community.reports.areas import select_areas
        from community.reports.batch import create_batch, run_batch
        from community.reports.build import make_report, report_pdf
        from community.reports.pdf import html_to_pdf
        from community.reports.service import resolve_period

        app = create_app("development")
        rows = []
        with app.app_context():
            html_to_pdf(PLAIN_HTML)  # loads WeasyPrint and its fonts: not the baseline's cost
            baseline, _ = timed(lambda: html_to_pdf(PLAIN_HTML))
            rows.append(("baseline: plain one-page PDF", baseline, rss_mib(), ""))

            selection = select_areas([args.area])
            period = resolve_period(selection)

            def one_report() -> tuple[int, int]:
                report = make_report(selection, period, "en")
                data = report_pdf(report)
                return len(data), len(report.facts.hotspots)

            cold, (size, hotspots) = timed(one_report)
            rows.append((f"one report, cold ({args.area})", cold, rss_mib(), f"{size // 1024} KiB"))
            warm_runs = [timed(one_report)[0] for _ in range(3)]
            warm = statistics.median(warm_runs)
            rows.append(("one report, warm (median of 3)", warm, rss_mib(), f"{hotspots} hotspots"))

            tracemalloc.start()
            one_report()
            traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()

            batch = create_batch("neighborhood", "en")
            every, batch = timed(lambda: run_batch(batch.id))
            rows.append(
                (
                    f"all {batch.total} neighbourhoods (batch)",
                    every,
                    rss_mib(),
                    f"{batch.done} made, {batch.failed} failed, "
                    f"{every / max(batch.total, 1):.2f} s each",
                ),
            )

    header = f"{'stage':44} {'seconds':>9} {'x baseline':>11} {'peak RSS MiB':>13}  note"
    print(header)
    print("-" * len(header))
    for name, seconds, rss, note in rows:
        print(f"{name:44} {seconds:9.3f} {seconds / baseline:11.1f} {rss:13.0f}  {note}")
    print(f"\ntraced peak of Python allocations during one warm report: {traced_peak:.1f} MiB")
    checks = [
        (cold < 3.0, f"one report under 3 s (cold {cold:.2f} s, warm {warm:.2f} s)"),
        (every < 180.0, f"all {batch.total} neighbourhoods under 3 minutes ({every:.0f} s)"),
        (batch.failed == 0, "every neighbourhood's report was made"),
    ]
    for passed, label in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {label}")


if __name__ == "__main__":
    main()
