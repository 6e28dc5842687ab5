"""Throughput and latency of the SMS webhook under gunicorn, against a bare Flask app.

Usage: PYTHONPATH=. python benchmarks/sms_webhook.py [--database sqlite|postgres]
                                                      [--requests 2000] [--senders 50]
                                                      [--metrics [--rounds 2]]

Two servers on free ports of 127.0.0.1, each `gunicorn --workers 2 --threads 4`:

  webhook  the real app (wsgi:app) on a database migrated with `flask db upgrade` and loaded
           with `flask load-city`: SQLite in a temporary directory, or (--database postgres)
           a new database on TEST_POSTGRES_URL, dropped afterwards. TWILIO_AUTH_TOKEN is set
           and TWILIO_ACCOUNT_SID is not, so replies are TwiML only and nothing is ever sent
           to Twilio. With --redis (default: TEST_REDIS_URL) the webhook saves, queues and
           answers at once, as deployed at scale; without it the conversation runs inline.
  bare     `bare_app()` below: Flask answering POST /sms/inbound with a constant TwiML reply.

Each is driven by `--senders` threads (one requests.Session each) posting correctly signed
texts (X-Twilio-Signature over PUBLIC_BASE_URL) from 500 fictional residents (+1608555xxxx,
each thread texting for its own residents in turn, so a resident's texts arrive in order)
with realistic bodies (addresses, intersections, STOP/START, Spanish) and a unique
MessageSid each. A short warm-up (each worker loads the city's caches on first use) is not
measured. Throughput counts 200 answers over the wall time of the measured run.

With --metrics the webhook also runs with Prometheus metrics on (OPS_METRICS_TOKEN, and a
PROMETHEUS_MULTIPROC_DIR as under gunicorn in production), off and on taking turns --rounds
times on the same database; each metrics round ends with a scrape of /ops/metrics.

Targets: webhook throughput >= 1/3 of bare; webhook p99 < 250 ms at 50 concurrent senders;
with --metrics, throughput with metrics on within 5% of off.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]

TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks</Message></Response>'
TO_NUMBER = "+14145550100"
RESIDENTS = 500
TIME_LIMIT_S = 180.0  # per server, measured run; what is not sent by then counts as an error
TARGET_RATIO = 1 / 3
TARGET_P99_MS = 250.0

BODIES = [
    "ppl selling drugs out the blue house 2847 n 35th st every nite",
    "drugs sold at 2263 N Lake Dr",
    "shots fired at 2847 n 35th st",
    "someone keeps dumping trash behind 1000 W St Paul Ave",
    "cars racing on 35th and Burleigh every night after 11",
    "abandoned house at 2116A W Middlemass St, doors wide open",
    "drug house at 1518 35th st",
    "loud parties at 1407 MLK till 3am",
    "speeding on 3000 North Avenue near the school",
    "wrong place, it was 35th and Burleigh",
    "it's the blue house with the broken fence",
    "2",
    "status",
    "HELP",
    "STOP",
    "START",
    "venden drogas en la esquina de la 16 y National",
    "disparos anoche en 2847 N 35th St",
    "hay basura tirada detrás de la tienda en Cesar Chavez Dr",
    "ayuda",
    "estado",
    "someone keeps dumping trash",
    "behind the store",
    "idk",
]


def bare_app():
    """The baseline: Flask answering the webhook with constant TwiML (gunicorn factory)."""
    from flask import Flask, Response

    app = Flask("bare")

    @app.post("/sms/inbound")
    def inbound() -> Response:
        return Response(TWIML, mimetype="text/xml")

    return app


# -- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env() -> dict[str, str]:
    """The parent's environment without settings that would change what is measured."""
    dropped = (
        "APP_ENV",
        "REDIS_URL",
        "DATABASE_URL",
        "PUBLIC_BASE_URL",
        "TRUSTED_PROXIES",
        "OPS_METRICS_TOKEN",
        "PROMETHEUS_MULTIPROC_DIR",
    )
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("TWILIO_")}
    env.update(PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1", FLASK_APP="wsgi.py")
    return env


def flask_command(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self) -> None:
        """SIGTERM to the whole process group (arbiter and workers), SIGKILL if it lingers."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def start_gunicorn(name: str, target: str, env: dict[str, str], tmp: Path) -> Server:
    port = free_port()
    env = {**env, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    log_path = tmp / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # its own session: stop() kills the group
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                target,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, port, process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} server exited:\n{server.log_tail()}")
        try:
            requests.get(f"{server.url}/healthz", timeout=5)
            return server
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)  # not listening yet, or busy loading on a loaded machine
    server.stop()
    raise RuntimeError(f"{name} server did not answer in 60 s:\n{server.log_tail()}")


@contextlib.contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    """A database URL for the app: SQLite in tmp, or a new PostgreSQL database dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'bench.sqlite'}"
        return
    import sqlalchemy as sa

    base_url = os.environ.get("TEST_POSTGRES_URL")
    if not base_url:
        raise SystemExit("--database postgres needs TEST_POSTGRES_URL (scripts/services.sh)")
    name = f"bench_sms_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# -- load ------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, every request sent
    errors: int = 0  # non-200 answers, exceptions, and requests not sent in time
    ok: int = 0
    wall: float = 0.0
    first_error: str = ""

    @property
    def rps(self) -> float:
        return self.ok / self.wall if self.wall else 0.0

    def percentile_ms(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def plan(total: int, senders: int, token: str, url: str, seed: int) -> list[list[tuple]]:
    """Per sender thread, its signed (form, signature) posts, residents taking turns."""
    from community.sms.signature import sign

    rng = random.Random(seed)
    phones = [f"+1608555{n:04d}" for n in rng.sample(range(10000), RESIDENTS)]
    run = secrets.token_hex(4)
    lanes: list[list[tuple]] = [[] for _ in range(senders)]
    for i in range(total):
        lane = i % senders
        phone = phones[(lane + senders * (i // senders)) % RESIDENTS]
        form = {
            "MessageSid": f"SM{run}{i:024x}",
            "AccountSid": "AC" + "0" * 32,
            "From": phone,
            "To": TO_NUMBER,
            "Body": rng.choice(BODIES),
            "NumMedia": "0",
        }
        lanes[lane].append((form, sign(token, url, form)))
    return lanes


def drive(server: Server, token: str, total: int, senders: int, seed: int) -> Result:
    url = f"{server.url}/sms/inbound"
    lanes = plan(total, senders, token, url, seed)
    result = Result(server.name)
    lock = threading.Lock()
    stop = threading.Event()  # Ctrl-C or a failure in the driver: senders give up at once
    deadline = time.monotonic() + TIME_LIMIT_S

    def sender(posts: list[tuple]) -> None:
        latencies, ok, errors, first = [], 0, 0, ""
        with requests.Session() as session:
            for form, signature in posts:
                if stop.is_set() or time.monotonic() > deadline:
                    errors += 1
                    continue
                start = time.perf_counter()
                try:
                    response = session.post(
                        url, data=form, headers={"X-Twilio-Signature": signature}, timeout=30
                    )
                    good = response.status_code == 200 and b"<Response" in response.content
                    problem = "" if good else f"HTTP {response.status_code}: {response.text[:200]}"
                except requests.RequestException as exc:
                    good, problem = False, f"{type(exc).__name__}: {exc}"
                latencies.append(time.perf_counter() - start)
                if good:
                    ok += 1
                else:
                    errors += 1
                    first = first or problem
        with lock:
            result.latencies.extend(latencies)
            result.ok += ok
            result.errors += errors
            result.first_error = result.first_error or first

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders, thread_name_prefix="sender") as pool:
        try:
            for future in [pool.submit(sender, lane) for lane in lanes]:
                future.result()
        except BaseException:
            stop.set()
            raise
    result.wall = time.perf_counter() - start
    return result


def warm_up(server: Server, token: str, senders: int) -> None:
    """Enough concurrent texts that every worker has loaded its caches (not measured)."""
    drive(server, token, total=max(4 * senders, 100), senders=senders, seed=-1)


def count_inbound(database_url: str) -> int | None:
    import sqlalchemy as sa

    with contextlib.suppress(Exception):
        engine = sa.create_engine(database_url)
        try:
            with engine.connect() as connection:
                return connection.execute(
                    sa.text("SELECT count(*) FROM message WHERE direction = 'inbound'")
                ).scalar_one()
        finally:
            engine.dispose()
    return None


METRICS_TOKEN = "bench-" + "m" * 32


def metrics_env(tmp: Path, round_no: int) -> dict[str, str]:
    """Metrics on, as under gunicorn in production: one fresh multiprocess folder."""
    folder = tmp / f"prometheus-{round_no}"
    folder.mkdir()
    return {"OPS_METRICS_TOKEN": METRICS_TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(folder)}


def scraped_webhook_requests(server: Server) -> int:
    """The webhook requests /ops/metrics counted, all workers together."""
    response = requests.get(
        f"{server.url}/ops/metrics",
        headers={"Authorization": f"Bearer {METRICS_TOKEN}"},
        timeout=30,
    )
    total = 0.0
    for line in response.text.splitlines():
        if line.startswith("community_http_requests_total{") and "sms.inbound" in line:
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def combined(name: str, rounds: list[Result]) -> Result:
    """Several runs of one server as one: all latencies, summed counts and wall time."""
    result = Result(name)
    for r in rounds:
        result.latencies.extend(r.latencies)
        result.ok += r.ok
        result.errors += r.errors
        result.wall += r.wall
        result.first_error = result.first_error or r.first_error
    return result


# -- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument(
        "--redis",
        default=os.environ.get("TEST_REDIS_URL"),
        help="REDIS_URL for the webhook's jobs, as deployed (default: TEST_REDIS_URL; "
        "unset: jobs run inline in the request, the embedded default)",
    )
    parser.add_argument(
        "--metrics",
        action="store_true",
        help="also run the webhook with Prometheus metrics on (OPS_METRICS_TOKEN and a "
        "PROMETHEUS_MULTIPROC_DIR), alternating off/on --rounds times, and compare",
    )
    parser.add_argument("--rounds", type=int, default=2, help="off/on pairs with --metrics")
    args = parser.parse_args()

    token = secrets.token_hex(16)
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="bench-sms-") as tmp_name:
        tmp = Path(tmp_name)
        with database(args.database, tmp) as database_url:
            try:
                env = {**base_env(), "DATABASE_URL": database_url}
                start = time.perf_counter()
                flask_command(env, "db", "upgrade")
                flask_command(env, "load-city")
                setup = time.perf_counter() - start
                print(f"setup ({args.database}: flask db upgrade + flask load-city): {setup:.1f} s")
                print(
                    f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; gunicorn --workers 2"
                    f" --threads 4; {args.requests} signed texts from {RESIDENTS} residents,"
                    f" {args.senders} concurrent senders"
                )

                jobs_env = {"REDIS_URL": args.redis} if args.redis else {}
                print(f"jobs: {'RQ on ' + args.redis if args.redis else 'inline (no REDIS_URL)'}")
                results = []
                webhook_env = {"TWILIO_AUTH_TOKEN": token, **jobs_env}
                runs = [("webhook", "wsgi:app", webhook_env)]
                if args.metrics:
                    # Off and on take turns, so a busy neighbour on the machine hurts both.
                    runs = [
                        run
                        for i in range(args.rounds)
                        for run in (
                            ("webhook", "wsgi:app", webhook_env),
                            ("metrics", "wsgi:app", {**webhook_env, **metrics_env(tmp, i)}),
                        )
                    ]
                runs.append(("bare", "benchmarks.sms_webhook:bare_app()", {}))
                for name, target, extra in runs:
                    server = start_gunicorn(name, target, {**env, **extra}, tmp)
                    servers.append(server)
                    warm_up(server, token, args.senders)
                    results.append(drive(server, token, args.requests, args.senders, seed=1))
                    print(f"{name}: {results[-1].rps:.1f} req/s", flush=True)
                    if name == "metrics":
                        print(
                            f"metrics round: {scraped_webhook_requests(server)} webhook "
                            "requests counted by /ops/metrics across the workers"
                        )
                    server.stop()
                    if results[-1].errors:
                        print(f"\n{name}: first error: {results[-1].first_error}")
                        print(f"{name} server log (tail):\n{server.log_tail()}")
                stored = count_inbound(database_url)
            finally:
                for server in servers:
                    server.stop()

    if args.metrics:
        off = combined("webhook", [r for r in results if r.name == "webhook"])
        on = combined("metrics", [r for r in results if r.name == "metrics"])
        results = [off, on, results[-1]]
    webhook, bare = results[0], results[-1]
    print()
    header = f"{'server':8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'sent':>6}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.name:8} {r.rps:8.1f} {r.percentile_ms(50):8.1f} {r.percentile_ms(99):8.1f}"
            f" {r.errors:7d} {len(r.latencies):6d}"
        )
    ratio = webhook.rps / bare.rps if bare.rps else 0.0
    if stored is not None:
        print(f"\ninbound texts stored by the webhook (warm-up included): {stored}")
    print(f"throughput ratio webhook/bare: {ratio:.2f}")
    checks = [
        (f"webhook throughput >= {TARGET_RATIO:.2f} x bare", ratio >= TARGET_RATIO),
        (
            f"webhook p99 < {TARGET_P99_MS:.0f} ms at {args.senders} concurrent senders",
            webhook.percentile_ms(99) < TARGET_P99_MS,
        ),
        ("no errors (non-200) on either server", webhook.errors == 0 and bare.errors == 0),
    ]
    if args.metrics:
        change = results[1].rps / webhook.rps - 1 if webhook.rps else 0.0
        print(f"metrics on vs off: throughput {change:+.1%} over {args.rounds} rounds each")
        checks.append(("metrics on: throughput within 5% of off", change >= -0.05))
    for label, passed in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {label}")
    # A missed target is a figure, not a crash: exit 0 so `make bench` runs the others too.


if __name__ == "__main__":
    main()
