"""Cold start-up cost of the app: time and peak memory of fresh processes, against bare Flask.

Usage: PYTHONPATH=. python benchmarks/startup.py [repeats]

Each stage runs in a fresh interpreter (cold imports), on the embedded default: SQLite in a
temporary directory, migrated and loaded with the city once before the measurements.

  a  import flask                                    (the baseline)
  b  create_app()
  c  create_app() + warm_caches() in an app context  (address index and area shapes loaded)
  d  c + one geocode of "2847 N 35th St"
  e  create_app(), then the first address suggestion (GET /report/suggest): a cold worker
  f  create_app() + warm_caches() (what gunicorn's master does before forking, gunicorn.conf.py),
     then the first suggestion: "in-process" is that request alone

Then `flask --help` and `flask report` (one area, PDF) as whole commands against a bare
`python -c "import flask"`, each in a fresh process. Targets: the first suggestion of a warmed
worker under 300 ms; a `flask` command starts in under 1.5 s.

"wall" is measured by this script around the whole child process (interpreter start-up
included); "in-process" is the child's own perf_counter from its first line to the end of the
stage; "peak RSS" is the child's ru_maxrss. Figures are medians over the repeats.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDRESS = "2847 N 35th St"

CHILD = """
import time
_start = time.perf_counter()
import json, resource, sys
stage = sys.argv[1]
note = ""
if stage == "a":
    import flask  # noqa: F401
else:
    from community import create_app
    app = create_app()
    if stage in ("c", "d", "f"):
        from community.places.city import current_city, warm_caches
        with app.app_context():
            warm_caches()
            if stage == "d":
                from community.geo.geocoder import geocode
                place = geocode(current_city(), sys.argv[2])
                note = f"{place.kind}: {place.label} ({place.lat}, {place.lon})"
    if stage in ("e", "f"):
        asked = time.perf_counter()
        answer = app.test_client().get("/report/suggest", query_string={"q": sys.argv[2]})
        assert answer.status_code == 200, answer.status_code
        if stage == "f":
            _start = asked  # the request alone: the warming happened before any resident came
        note = f"first suggestion: {answer.get_json()['results'][0]['label']}"
elapsed = time.perf_counter() - _start
rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "rss_kib": rss_kib, "note": note}))
"""

STAGES = (
    ("a", "import flask (baseline)"),
    ("b", "create_app()"),
    ("c", "create_app() + warm_caches()"),
    ("d", f"... + geocode {ADDRESS!r}"),
    ("e", "create_app() + first suggestion (cold)"),
    ("f", "first suggestion after warm_caches()"),
)
COMMANDS = (
    ("python -c 'import flask' (baseline)", ["-c", "import flask"]),
    ("flask --help", ["-m", "flask", "--help"]),
    ("flask report (one area, PDF)", None),  # arguments need the temporary folder
)


def child_env(database_url: str) -> dict[str, str]:
    """The environment of every child: the embedded defaults on a temporary SQLite file."""
    env = {k: v for k, v in os.environ.items() if k not in ("APP_ENV", "REDIS_URL")}
    env.update(
        DATABASE_URL=database_url,
        FLASK_APP="wsgi.py",
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def flask_command(env: dict[str, str], *args: str) -> None:
    """Run `python -m flask ARGS` in the project, failing loudly."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def run_stage(env: dict[str, str], stage: str) -> dict:
    """One fresh child process for a stage; its figures plus the wall time around it."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, stage, ADDRESS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"stage {stage} failed:\n{result.stdout}{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["wall"] = wall
    return figures


def run_command(env: dict[str, str], args: list[str]) -> float:
    """Wall time of one fresh `python ARGS` in the project, failing loudly."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"python {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return wall


def command_rows(env: dict[str, str], tmp: str, repeats: int) -> list[tuple[str, float]]:
    """Median wall time of each whole command."""
    report = ["-m", "flask", "report", "--area", "SHERMAN PARK", "--out", f"{tmp}/r.pdf"]
    rows = []
    for label, args in COMMANDS:
        runs = [run_command(env, args or report) for _ in range(repeats)]
        rows.append((label, statistics.median(runs)))
    return rows


def main() -> None:
    """Prepare the database, run every stage `repeats` times and print the medians."""
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        env = child_env(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        start = time.perf_counter()
        flask_command(env, "db", "upgrade")
        flask_command(env, "load-city")
        print(f"setup (flask db upgrade + flask load-city): {time.perf_counter() - start:.1f} s")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {repeats} runs per stage")
        print()

        rows = []
        for stage, label in STAGES:
            runs = [run_stage(env, stage) for _ in range(repeats)]
            rows.append(
                (
                    label,
                    statistics.median(r["wall"] for r in runs),
                    statistics.median(r["seconds"] for r in runs),
                    statistics.median(r["rss_kib"] for r in runs) / 1024,
                    runs[-1]["note"],
                )
            )
        commands = command_rows(env, tmp, repeats)

    base_wall, base_rss = rows[0][1], rows[0][3]
    header = (
        f"{'stage':38} {'wall s':>7} {'in-proc s':>9} {'peak RSS MiB':>12} "
        f"{'x wall':>7} {'x RSS':>6}"
    )
    print(header)
    print("-" * len(header))
    for label, wall, inproc, rss, _ in rows:
        print(
            f"{label:38} {wall:7.2f} {inproc:9.2f} {rss:12.1f} "
            f"{wall / base_wall:7.1f} {rss / base_rss:6.1f}"
        )
    print()
    print(f"{'command (fresh process)':38} {'wall s':>7} {'x wall':>7}")
    for label, wall in commands:
        print(f"{label:38} {wall:7.2f} {wall / commands[0][1]:7.1f}")
    notes = [note for *_, note in rows if note]
    for note in notes:
        print(f"\nnote: {note}")


if __name__ == "__main__":
    main()
