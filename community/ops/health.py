"""Readiness: can this process serve? The database answers and, when configured, Redis."""

from __future__ import annotations

from flask import current_app

from community.extensions import db


def database_ready() -> bool:
    try:
        db.session.execute(db.text("SELECT 1"))
        return True
    except Exception:  # any failure means not ready
        db.session.rollback()
        return False


def redis_ready() -> bool | None:
    """True or False, or None when no Redis is configured."""
    if not current_app.config.get("REDIS_URL"):
        return None
    try:
        from community.ops.heartbeat import redis_client

        return bool(redis_client().ping())
    except Exception:  # refused, timed out, wrong password: not ready
        return False


def readiness() -> tuple[dict[str, object], bool]:
    """Each dependency's state and whether all that are configured answer."""
    database, redis = database_ready(), redis_ready()
    checks: dict[str, object] = {"database": database}
    if redis is not None:
        checks["redis"] = redis
    ready = database and redis is not False
    return {"status": "ok" if ready else "unavailable", **checks}, ready
