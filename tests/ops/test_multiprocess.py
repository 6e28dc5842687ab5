"""Under gunicorn with several workers, a scrape counts every worker's requests."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "multi-" + "y" * 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_every_workers_requests_are_counted(sqlite_template: Path, tmp_path: Path) -> None:
    database = tmp_path / "web.sqlite"
    shutil.copy(sqlite_template, database)
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "OPS_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "REDIS_URL": "",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "--preload", "--workers", "3", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or busy starting
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        session = requests.Session()
        for _ in range(60):
            assert session.get(f"{base}/readyz", timeout=30).status_code == 200
            session.close()  # a new connection each time: the requests spread over workers
        pids = {p.name.split("_")[-1] for p in metrics_dir.glob("*.db")}
        counts = set()
        for _ in range(6):  # whichever worker answers the scrape, the total is the same
            text = requests.get(
                f"{base}/ops/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
            ).text
            sample = (
                'community_http_requests_total{endpoint="ops.readyz",method="GET",status="200"}'
            )
            counts.add(float(re.search(rf"^{re.escape(sample)} (\S+)$", text, re.M).group(1)))
        assert counts == {60.0}
        assert len(pids) >= 2, "the requests should have reached several workers"
    finally:
        server.terminate()
        server.wait(timeout=30)
