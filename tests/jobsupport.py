"""Running a real `flask worker --burst` process against the test database and Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_worker(database_url: str, redis_url: str, **env: str) -> subprocess.CompletedProcess:
    """One burst of a real RQ worker process; returns when the queue is empty."""
    environment = {
        **os.environ,
        "APP_ENV": "development",
        "FLASK_APP": "wsgi.py",
        "SECRET_KEY": "testing-secret-key",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # A burst worker stops when the queue is empty: no debounce wait for the re-cluster.
        "CLUSTER_DEBOUNCE_S": "0",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "worker", "--burst"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
