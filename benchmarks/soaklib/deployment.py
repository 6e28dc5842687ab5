"""The deployment under test: scripts/stack.sh started with the soak's settings, and its accounts."""

from __future__ import annotations

import os
import shlex
import subprocess
from contextlib import contextmanager
from pathlib import Path

from benchmarks.soaklib.target import Target

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "scripts" / "stack.sh"
PROSECUTOR = ("soak-prosecutor@example.org", "soak-prosecutor-password")


class Stack:
    """Start, stop and fault the production-shaped stack in its own directory."""

    def __init__(self, directory: Path, settings: dict[str, str]) -> None:
        self.directory = directory
        self.settings = settings
        self.env: dict[str, str] = {}

    def _run(self, *args: str, timeout: float = 300) -> str:
        env = dict(os.environ, STACK_DIR=str(self.directory), **self.settings)
        done = subprocess.run(
            ["bash", str(STACK), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"stack.sh {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self) -> dict[str, str]:
        self._run("start")
        self.env = read_env(self.directory / "env")
        return self.env

    def stop(self) -> None:
        self._run("stop", timeout=120)

    def fault(self, *args: str) -> str:
        return self._run(*args, timeout=180)

    def child_pid(self, name: str) -> int:
        return int((self.directory / f"{name}.child").read_text().strip())


def read_env(path: Path) -> dict[str, str]:
    """The KEY=value pairs of an `export KEY=value` file."""
    env = {}
    for line in path.read_text().splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export ") :].partition("=")
            env[key] = shlex.split(value)[0] if value else ""
    return env


@contextmanager
def app_context(env: dict[str, str]):
    """An app context on the stack's database (the soak's own process reads and checks)."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from community import create_app

        app = create_app()
        with app.app_context():
            yield app
    finally:
        os.environ.clear()
        os.environ.update(saved)


def prepare_accounts(env: dict[str, str]) -> Target:
    """A prosecutor (invited, then accepting, as a real one does) and an Open311 key."""
    from community.auth.accounts import accept_invite, invite
    from community.extensions import db
    from community.models import Agency, Role
    from community.open311.keys import create_key

    with app_context(env):
        agency = db.session.scalar(db.select(Agency).filter_by(code="DA-CPU"))
        user, token = invite(PROSECUTOR[0], "Soak Prosecutor", Role.PROSECUTOR, agency.id)
        accept_invite(token, PROSECUTOR[1])
        _, api_key = create_key("soak test client", created_by=user)
        db.session.commit()
    return Target(
        base_url=env["WEB_URL"],
        staff_email=PROSECUTOR[0],
        staff_password=PROSECUTOR[1],
        api_key=api_key,
    )
