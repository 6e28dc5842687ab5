"""Database engine settings per dialect (SQLite WAL and foreign keys)."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask

from community.extensions import db

log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    # With WAL, NORMAL never corrupts the database; a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _end_session(error: BaseException | None) -> None:
    """Close the request's session, even when its connection died under it.

    A database restart kills the connection a request holds; closing it then raises, in
    teardown, after the response was made: the server would send a 500 (or drop the
    connection) instead of the page. The broken session is dropped; the pool replaces it.
    """
    try:
        db.session.remove()
    except sa.exc.DBAPIError:
        log.warning("the database connection was lost; the session is dropped")
        db.session.registry.clear()


def init_app(app: Flask) -> None:
    """Turn on SQLite's WAL and foreign keys for every connection; close sessions safely."""
    # Teardown functions run last-registered first: this one before Flask-SQLAlchemy's.
    app.teardown_appcontext(_end_session)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not sa.event.contains(
            engine, "connect", _sqlite_pragmas
        ):
            sa.event.listen(engine, "connect", _sqlite_pragmas)
