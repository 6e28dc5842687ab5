"""Whole-system soak: the production-shaped stack under load and faults, then an audit.

Usage: PYTHONPATH=. python benchmarks/soak.py [--minutes 5] [--rate 50] [--residents 500]
                                              [--keep] [--stack-dir .stack-soak]

Starts scripts/stack.sh (PostgreSQL+PostGIS, Redis, gunicorn --preload, two RQ workers, the
scheduler) pointed at a fake Twilio REST server in this process, then, concurrently:
  - 500 residents text at --rate texts/s in all (signed webhooks; real conversations: places,
    choices, corrections, STATUS, STOP and START, Spanish, MMS); the fake Twilio answers 21610
    for a few numbers throughout;
  - web form reports and Open311 POSTs;
  - prosecutors assign, log actions and resolve, while re-clusters run;
  - faults: Twilio answering 500, Redis restarted, a worker SIGKILLed mid-job, PostgreSQL
    restarted.
Then it waits for the owed work to drain and checks, from the database and the fake Twilio's
log, that nothing was lost, duplicated or sent after STOP. The last line is
`lost N, duplicated N, texts after STOP N, p99 webhook X ms`. Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import io
import random
import string
import sys
import threading
import time
from pathlib import Path

from benchmarks.soaklib import checks
from benchmarks.soaklib.deployment import ROOT, Stack, app_context, prepare_accounts
from benchmarks.soaklib.faults import FaultPlan
from benchmarks.soaklib.residents import ENDPOINT, SmsResidents
from benchmarks.soaklib.staff import StaffClient
from benchmarks.soaklib.stats import Recorder, by_endpoint, errors_by_kind, percentile
from benchmarks.soaklib.web import WebReporter
from tests.sms.fake_twilio import FakeTwilio

CARRIER_OPTED_OUT = 10  # residents whose numbers answer 21610 (opted out at the carrier)
WEB_REPORTERS = 2
STAFF = 3
DRAIN_TIMEOUT_S = 300
P99_TARGET_MS = 500.0


class SoakTwilio(FakeTwilio):
    """The fake Twilio, handing every accepted text to the simulated residents."""

    def __init__(self, on_text) -> None:
        super().__init__()
        self.on_text = on_text

    def create_message(self, form):
        status, payload = super().create_message(form)
        if status == 201:
            self.on_text(form.get("To", ""), form.get("Body", ""), time.time())
        return status, payload


def _photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _settings(fake: FakeTwilio) -> dict[str, str]:
    """The stack's settings for the soak; the load is far above what real residents send."""
    return {
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "TWILIO_FROM_NUMBER": "+14145550100",
        "TWILIO_API_BASE_URL": fake.url,
        "TWILIO_TIMEOUT": "5",
        "SMS_MAX_PER_HOUR": "100000",  # each simulated resident texts every few seconds
        "OPEN311_POST_LIMIT": "100000 per minute",
        "CLUSTER_DEBOUNCE_S": "10",
        "SCHEDULE_RECLUSTER_S": "60",
        "SCHEDULE_SWEEP_S": "15",
        "SWEEP_TEXT_AFTER_S": "30",
        "WORKER_TTL_S": "30",
        "JOB_RETRY_INTERVALS": "5,15,30",
        "LOG_LEVEL": "WARNING",
    }


class Load:
    """Web reporters and staff working in threads until `stop` is set."""

    def __init__(self, target, recorder: Recorder, stop: threading.Event) -> None:
        self.target = target
        self.recorder = recorder
        self.stop = stop
        self.tokens: dict[str, str] = {}  # token -> "web MKE-..." / "open311 ..."
        self.changes: list[dict] = []
        self.lock = threading.Lock()
        self.rng = random.Random(5)

    def token(self) -> str:
        with self.lock:
            return "".join(self.rng.choice(string.ascii_lowercase) for _ in range(8))

    def web(self, seed: int) -> None:
        n = 0
        while not self.stop.is_set():
            token = self.token()
            n += 1
            # Each report from another resident (another address): the form's per-address
            # limit (20 an hour) is for people, and one simulated person sends many.
            reporter = WebReporter(self.target, self.recorder, seed * 100_000 + n)
            if n % 3 == 0:
                done = reporter.open311(f"ref {token}")
                source = f"open311 {done}"
            else:
                done = reporter.report(f"ref {token}")
                source = f"web {done}"
            if done:
                with self.lock:
                    self.tokens[token] = source
            self.stop.wait(1.0)

    def staff(self, seed: int) -> None:
        client = StaffClient(self.target, self.recorder, seed)
        while not self.stop.is_set() and not client.sign_in():
            self.stop.wait(2.0)
        while not self.stop.is_set():
            accepted = client.work_once()
            with self.lock:
                self.changes.extend(accepted)
            self.stop.wait(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=50.0, help="inbound texts per second")
    parser.add_argument("--residents", type=int, default=500)
    parser.add_argument("--stack-dir", default=str(ROOT / ".stack-soak"))
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    parser.add_argument(
        "--metrics",
        action="store_true",
        help="Prometheus metrics on (OPS_METRICS_TOKEN); /ops/metrics is scraped during the run",
    )
    args = parser.parse_args()
    duration = args.minutes * 60

    recorder = Recorder()
    residents_box: list[SmsResidents] = []
    fake = SoakTwilio(lambda to, body, at: residents_box[0].deliver_reply(to, body, at))
    fake.start()
    settings = _settings(fake)
    if args.metrics:
        settings["OPS_METRICS_TOKEN"] = METRICS_TOKEN
    stack = Stack(Path(args.stack_dir), settings)
    print(f"soak: starting the stack in {args.stack_dir} ...", flush=True)
    stack.fault("stop")  # leftovers of an earlier run
    env = stack.start()
    target = prepare_accounts(env)
    residents = SmsResidents(
        env["PUBLIC_BASE_URL"],
        fake.auth_token,
        recorder,
        rate=args.rate,
        count=args.residents,
        media_url=fake.add_media("photo.jpg", _photo()),
    )
    residents_box.append(residents)
    carrier = set(list(residents.residents)[-CARRIER_OPTED_OUT:])
    fake.opted_out.update(carrier)

    stop = threading.Event()
    load = Load(target, recorder, stop)
    plan = FaultPlan(stack, fake, duration, env["REDIS_URL"])
    started = time.time()
    threads = [threading.Thread(target=residents.run, args=(stop,), name="pacer")]
    threads += [threading.Thread(target=load.web, args=(i,)) for i in range(WEB_REPORTERS)]
    threads += [threading.Thread(target=load.staff, args=(100 + i,)) for i in range(STAFF)]
    threads.append(threading.Thread(target=plan.run, args=(started, stop), name="faults"))
    print(
        f"soak: {args.minutes:g} min at {args.rate:g} texts/s from {args.residents} residents",
        flush=True,
    )
    for thread in threads:
        thread.start()
    stop.wait(duration)
    stop.set()
    ended = time.time()
    for thread in threads:
        thread.join(timeout=120)
    residents.drain(timeout=120)
    print("soak: load stopped; waiting for the owed work to drain ...", flush=True)
    scrape = _scrape_metrics(env) if args.metrics else None
    with app_context(env):
        drained_in, owed = checks.wait_until_drained(env["REDIS_URL"], DRAIN_TIMEOUT_S)
        findings = checks.Findings(owed=owed)
        checks.check_inbound(residents.texts, findings)
        checks.check_reports(load.tokens, findings)
        checks.check_after_stop(residents.texts, list(fake.sent), findings)
        accepted = set(fake.messages)
        checks.check_resolutions(residents.texts, accepted, carrier, findings)
        checks.check_staff(load.changes, findings)
    p99 = _print_report(
        args, recorder, residents, fake, load, plan, findings, started, ended, drained_in
    )
    if scrape is not None:
        after = _scrape_metrics(env)
        print("\n-- /ops/metrics (metrics on), at the end of the load and after the drain")
        for line in [*scrape, *after]:
            print(line)
    if not args.keep:
        stack.stop()
    fake.stop()
    passed = (
        findings.lost == 0
        and findings.duplicated == 0
        and findings.texts_after_stop == 0
        and p99 < P99_TARGET_MS
        and not any(v for k, v in owed.items() if k not in ("jobs failed", "jobs scheduled"))
    )
    print(
        f"lost {findings.lost}, duplicated {findings.duplicated}, "
        f"texts after STOP {findings.texts_after_stop}, p99 webhook {p99:.0f} ms"
    )
    return 0 if passed else 1


METRICS_TOKEN = "soak-metrics-" + "t" * 24
METRICS_SHOWN = (
    'community_http_requests_total{endpoint="sms.inbound",method="POST",status="200"}',
    'community_texts{state="pending"}',
    'community_texts{state="failed"}',
    "community_notices_owed",
    'community_oldest_owed_seconds{kind="text"}',
    'community_jobs{queue="default",state="queued"}',
    'community_jobs{queue="default",state="failed"}',
    'community_last_success_timestamp_seconds{work="recluster"}',
)


def _scrape_metrics(env: dict[str, str]) -> list[str]:
    """A few lines of one /ops/metrics scrape (every gunicorn worker's requests added up)."""
    import requests

    try:
        response = requests.get(
            f"{env['WEB_URL']}/ops/metrics",
            headers={"Authorization": f"Bearer {METRICS_TOKEN}"},
            timeout=30,
        )
    except requests.RequestException as exc:
        return [f"scrape failed: {type(exc).__name__}"]
    if response.status_code != 200:
        return [f"scrape answered HTTP {response.status_code}"]
    lines = response.text.splitlines()
    return [line for line in lines if line.startswith(METRICS_SHOWN)]


def _print_report(
    args, recorder, residents, fake, load, plan, findings, started, ended, drained_in
):
    samples = recorder.snapshot()
    span = ended - started
    pg = plan.window("restart_postgres")
    texts = residents.texts
    ok = [t for t in texts if t.ok_at is not None]
    outbound = [e for e in fake.sent if e.method == "POST" and "To" in e.form]
    print(
        f"\n== soak {args.minutes:g} min, {args.residents} residents, target {args.rate:g} texts/s"
    )
    print(f"load window {span:.0f} s; drained {drained_in:.0f} s after the load stopped")
    print("\n-- throughput")
    print(f"inbound texts sent          {len(texts):7d}  ({len(texts) / span:.1f}/s)")
    print(f"  answered 200              {len(ok):7d}  ({len(ok) / span:.1f}/s sustained)")
    print(f"  gave up (no 200 in 90 s)  {len(texts) - len(ok):7d}")
    print(f"  retried at least once     {sum(1 for t in texts if t.attempts > 1):7d}")
    print(f"  pacer slots with nobody free {residents.skipped}")
    accepted = sum(1 for e in outbound if e.status == 201)
    print(
        f"outbound texts to Twilio    {len(outbound):7d}  ({accepted} accepted, {accepted / span:.1f}/s)"
    )
    print(f"web + Open311 reports saved {len(load.tokens):7d}")
    print(f"staff changes saved         {len(load.changes):7d}")
    print("\n-- latency per endpoint (ms)        n      p50      p99      max   errors")
    for endpoint, group in sorted(by_endpoint(samples).items()):
        ms = [s.seconds * 1000 for s in group]
        errors = sum(1 for s in group if s.error)
        print(
            f"{endpoint[:34]:34} {len(group):6d} {percentile(ms, 50):8.0f} "
            f"{percentile(ms, 99):8.0f} {max(ms):8.0f} {errors:8d}"
        )
    webhook = [s for s in samples if s.endpoint == ENDPOINT]
    outside = [s for s in webhook if not (pg and pg.start - 1 <= s.started <= pg.end + 2)]
    p99 = percentile([s.seconds * 1000 for s in outside], 99)
    print(
        f"webhook p99 outside the PostgreSQL restart window: {p99:.0f} ms ({len(outside)} requests)"
    )
    print("\n-- errors by kind")
    for kind, n in errors_by_kind(samples).most_common(20):
        print(f"{n:7d}  {kind}")
    print("\n-- faults (seconds from the start)")
    for fault in plan.faults:
        print(
            f"{fault.start - started:6.0f}-{fault.end - started:4.0f}  {fault.name}: {fault.detail}"
        )
    for error in plan.errors:
        print(f"fault failed: {error}")
    print("\n-- owed work after the drain")
    print(", ".join(f"{k} {v}" for k, v in findings.owed.items()))
    print("\n-- checks")
    print(
        f"inbound 200s stored once    {findings.inbound_ok - findings.inbound_lost} of {findings.inbound_ok}"
    )
    print(
        f"reports that are 1 concern  {findings.reports_ok} (lost {findings.reports_lost}, in 2+ {findings.reports_duplicated})"
    )
    print(
        f"STOP windows                {findings.stop_windows}; texts inside them {findings.texts_after_stop}"
    )
    print(
        f"resolved hotspots           {findings.resolved_hotspots}; resolution texts owed "
        f"{findings.resolution_expected}, missing {findings.resolution_missing}, extra {findings.resolution_extra}"
    )
    print(
        f"staff changes found         {findings.staff_changes - findings.staff_lost} of {findings.staff_changes}"
    )
    for problem in findings.problems:
        print(f"  ! {problem}")
    return p99


if __name__ == "__main__":
    sys.exit(main())
