"""Database engine settings per dialect (SQLite WAL and foreign keys)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from community.extensions import db


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    # With WAL, NORMAL never corrupts the database; a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def init_app(app: Flask) -> None:
    """Turn on SQLite's WAL and foreign keys for every connection the app opens."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not sa.event.contains(
            engine, "connect", _sqlite_pragmas
        ):
            sa.event.listen(engine, "connect", _sqlite_pragmas)
