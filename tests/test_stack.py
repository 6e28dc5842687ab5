"""scripts/stack.sh: the production shape on one machine, started and stopped by one command."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
import requests

from benchmarks.soaklib.deployment import read_env
from community.sms.signature import sign
from tests.sms.fake_twilio import FakeTwilio

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[1]
RESIDENT = "+14145550177"


def _stack(directory: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "stack.sh"), *args],
        env={**os.environ, "STACK_DIR": str(directory), **env},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def _reply_to(fake: FakeTwilio, number: str, timeout: float = 60) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        bodies = [m["body"] for m in list(fake.messages.values()) if m["to"] == number]
        if bodies:
            return bodies[-1]
        time.sleep(0.2)
    raise AssertionError(f"no reply to {number} within {timeout} s")


def test_one_command_starts_web_workers_and_scheduler_and_a_killed_worker_comes_back(
    tmp_path: Path,
) -> None:
    if not os.environ.get("TEST_POSTGRES_URL"):
        pytest.skip("TEST_POSTGRES_URL is not set: run the suite with `make test`")
    fake = FakeTwilio().start()
    settings = {
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "TWILIO_FROM_NUMBER": "+14145550100",
        "TWILIO_API_BASE_URL": fake.url,
        "RQ_WORKERS": "2",
        "WEB_WORKERS": "2",
    }
    directory = tmp_path / "stack"
    try:
        started = _stack(directory, "start", env=settings)
        assert started.returncode == 0, started.stderr
        env = read_env(directory / "env")
        assert env["APP_ENV"] == "production" and env["DATABASE_URL"].startswith("postgresql")
        status = _stack(directory, "status", env={}).stdout
        assert status.split() == [
            "scheduler:", "running", "web:", "running",
            "worker1:", "running", "worker2:", "running",
        ]  # fmt: skip
        url = f"{env['PUBLIC_BASE_URL']}/sms/inbound"
        form = {"MessageSid": "SM" + "e" * 32, "From": RESIDENT, "To": "+14145550100",
                "Body": "shots fired at 2847 n 35th st", "NumMedia": "0"}  # fmt: skip
        answer = requests.post(
            url, data=form, headers={"X-Twilio-Signature": sign(fake.auth_token, url, form)},
            timeout=10,
        )  # fmt: skip
        assert answer.status_code == 200  # saved and queued; a worker replies by REST
        assert "2847 N 35th St" in _reply_to(fake, RESIDENT)
        killed = _stack(directory, "kill-worker", "worker1", env={})
        assert killed.returncode == 0, killed.stderr
        time.sleep(3)
        assert "worker1: running" in _stack(directory, "status", env={}).stdout  # restarted
    finally:
        stopped = _stack(directory, "stop", env={})
        fake.stop()
    assert stopped.returncode == 0, stopped.stderr
    assert not (directory / "env").exists()
