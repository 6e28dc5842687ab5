"""Fixtures: a fresh app and SQLite database per test, copied from one migrated template.

The template is built once per session by running the real migrations and loading the city's
areas and reference data, so every test starts from what `make run` would create.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from community import create_app
from community.extensions import db

REQUIRED_IN_CI = os.environ.get("CI") == "true"


def service_url(name: str) -> str:
    """A throwaway service's URL from scripts/services.sh; skip locally, fail in CI, if absent."""
    url = os.environ.get(name)
    if not url:
        message = f"{name} is not set: run the suite with `make test`"
        if REQUIRED_IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return url


def make_app(database_url: str, **overrides: object) -> Flask:
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False}
    settings.update(overrides)
    return create_app("testing", **settings)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head with Milwaukee's areas and reference data loaded."""
    from flask_migrate import upgrade

    from community.demo.reference import load_reference_data
    from community.places.areas import load_areas
    from community.places.city import current_city

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        db.session.remove()
        db.engine.dispose()
    return path


def fresh_app(template: Path, folder: Path, **overrides: object) -> Iterator[Flask]:
    """An app on its own copy of the template database, inside an app context."""
    path = folder / "test.sqlite"
    shutil.copy(template, path)
    application = make_app(f"sqlite:///{path}", **overrides)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """A fresh app on its own copy of the template database."""
    yield from fresh_app(sqlite_template, tmp_path)


@pytest.fixture
def csrf_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """Like `app`, with CSRF protection on as in production."""
    yield from fresh_app(sqlite_template, tmp_path, WTF_CSRF_ENABLED=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def users(app: Flask) -> dict:
    """One staff account per role (password: the role name + '-pass')."""
    from tests.factories import make_staff

    return make_staff()


def sign_in(client: FlaskClient, email: str, password: str) -> None:
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (with PostGIS from the template) for one test."""
    base_url = service_url("TEST_POSTGRES_URL")
    name = f"community_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
