"""Migrations: upgrade from empty, downgrade to base and back, and no drift from the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from community.extensions import db
from community.migration_hooks import MIGRATE_OPTIONS
from tests.conftest import make_app

TABLES = {
    "concern",
    "category",
    "area",
    "hotspot",
    "agency",
    "assignment",
    "action",
    "event",
    "resident",
    "conversation",
    "message",
    "user",
}


def _drift() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": MIGRATE_OPTIONS["include_object"],
            },
        )
        return compare_metadata(context, db.metadata)


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def _round_trip() -> None:
    upgrade()
    assert _tables() >= TABLES
    assert _drift() == []
    downgrade(revision="base")
    assert not (TABLES & _tables())
    upgrade()
    assert _tables() >= TABLES
    assert _drift() == []


def test_sqlite_upgrade_downgrade_and_no_drift(tmp_path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'm.sqlite'}")
    with app.app_context():
        _round_trip()


@pytest.mark.postgres
def test_postgres_upgrade_downgrade_and_no_drift(postgres_database: str) -> None:
    app = make_app(postgres_database)
    with app.app_context():
        version = db.session.execute(sa.text("SELECT postgis_version()")).scalar()
        assert version  # the at-scale database is PostgreSQL with PostGIS
        db.session.remove()
        _round_trip()
        db.session.remove()
        db.engine.dispose()
