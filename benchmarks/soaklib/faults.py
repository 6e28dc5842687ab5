"""Faults injected on a schedule while the load runs: each one recorded with its time window."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from benchmarks.soaklib.deployment import Stack


@dataclass
class Fault:
    """What was done, from when to when (time.time()), and a detail for the printout."""

    name: str
    start: float
    end: float = 0.0
    detail: str = ""


class FaultPlan:
    """Twilio failing, a worker killed mid-job, Redis restarted, PostgreSQL restarted once."""

    def __init__(self, stack: Stack, fake_twilio, duration: float, redis_url: str) -> None:
        self.stack = stack
        self.fake = fake_twilio
        self.duration = duration
        self.redis_url = redis_url
        self.faults: list[Fault] = []
        self.errors: list[str] = []

    def schedule(self) -> list[tuple[float, str]]:
        """(seconds after the start, fault) for this run's length."""
        d = self.duration
        # The worker is killed before Redis restarts: a restart empties RQ's registry of
        # workers (they do not register again), and the kill looks up what worker1 is running.
        return [
            (0.10 * d, "twilio_500"),
            (0.30 * d, "kill_worker"),
            (0.50 * d, "restart_redis"),
            (0.70 * d, "restart_postgres"),
        ]

    def run(self, started: float, stop: threading.Event) -> None:
        for offset, name in self.schedule():
            if stop.wait(max(0.0, started + offset - time.time())):
                return
            try:
                getattr(self, name)()
            except Exception as exc:  # the printout says so; the soak goes on
                self.errors.append(f"{name}: {exc}")

    def window(self, name: str) -> Fault | None:
        return next((f for f in self.faults if f.name == name), None)

    def twilio_500(self) -> None:
        length = max(10.0, 0.10 * self.duration)
        fault = Fault(
            "twilio_500",
            time.time(),
            detail=f"every message request answers 500 for {length:.0f} s",
        )
        self.fake.outage_until = fault.start + length
        fault.end = self.fake.outage_until
        self.faults.append(fault)

    def restart_redis(self) -> None:
        fault = Fault(
            "restart_redis", time.time(), detail="shutdown nosave + start: queued jobs lost"
        )
        self.stack.fault("restart-redis")
        fault.end = time.time()
        self.faults.append(fault)

    def kill_worker(self) -> None:
        """SIGKILL worker1 (and its work-horse) while it is running a job."""
        from redis import Redis
        from rq.worker import Worker

        fault = Fault("kill_worker", time.time())
        connection = Redis.from_url(self.redis_url)
        pid = self.stack.child_pid("worker1")
        job_id = None
        deadline = time.time() + 20
        while time.time() < deadline and job_id is None:
            for worker in Worker.all(connection=connection):
                if worker.pid == pid:
                    job_id = worker.get_current_job_id()
            if job_id is None:
                time.sleep(0.02)
        self.stack.fault("kill-worker", "worker1")
        fault.end = time.time()
        fault.detail = f"SIGKILL worker1 (pid {pid}) during job {job_id or '(none seen)'}"
        self.faults.append(fault)

    def restart_postgres(self) -> None:
        fault = Fault(
            "restart_postgres", time.time(), detail="pg_ctl restart -m fast: every connection drops"
        )
        self.stack.fault("restart-postgres")
        fault.end = time.time()
        self.faults.append(fault)
