"""Open311 fixtures: an API key, the app served over HTTP, and the GeoReport v2 JSON Schemas."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from werkzeug.serving import make_server

from community.extensions import db
from community.models import ConcernStatus, utcnow
from community.open311.keys import create_key
from tests.helpers import placed_concerns

SCHEMAS = Path(__file__).parent / "schemas"
# W3C datetime with seconds and an explicit offset (the specification's examples).
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def _format_checker() -> FormatChecker:
    # jsonschema only checks date-time/uri with optional packages: check them here ourselves.
    checker = FormatChecker()
    checker.checks("date-time")(lambda value: not isinstance(value, str) or bool(W3C.match(value)))

    def uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc)

    checker.checks("uri")(uri)
    return checker


@pytest.fixture(scope="session")
def schema() -> Callable[[str], Draft4Validator]:
    """A Draft 4 validator for one of the GeoReport v2 schema files (relative $refs resolved)."""
    documents = {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in SCHEMAS.glob("*.json")
        if path.name != "swagger.json"
    }
    registry = Registry().with_resources(
        (name, Resource.from_contents(doc, default_specification=DRAFT4))
        for name, doc in documents.items()
    )
    checker = _format_checker()

    def validator(name: str) -> Draft4Validator:
        return Draft4Validator(documents[name], registry=registry, format_checker=checker)

    return validator


@pytest.fixture
def api_key(app: Flask) -> str:
    """A fresh active API key's token."""
    _, token = create_key("Test client")
    return token


@pytest.fixture
def live_api(app: Flask, api_key: str) -> Iterator[str]:
    """The app served on 127.0.0.1; yields the API's base URL (…/open311/v2)."""
    db.session.remove()  # the server's threads open their own sessions
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="open311-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/open311/v2"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def some_requests(app: Flask) -> dict[str, list]:
    """Concerns in three states and two categories, with private details in their words."""
    fresh = placed_concerns(
        3, days_ago=2, text="Dealing at 2847 N 35th St, call me 414-555-0199 or jo@example.org"
    )
    for concern in fresh:
        concern.location_label = "2847 N 35th St"
    old = placed_concerns(2, days_ago=120)
    closed = placed_concerns(2, days_ago=10)
    for concern in closed:
        concern.status = ConcernStatus.RESOLVED
    from tests.factories import ConcernFactory

    noise = ConcernFactory(
        category_id=_category_id("noise"),
        status=ConcernStatus.NEEDS_LOCATION,
        reported_at=utcnow() - timedelta(days=1),
        text="Loud music every night",
    )
    db.session.commit()
    return {"fresh": fresh, "old": old, "closed": closed, "noise": [noise]}


def _category_id(code: str) -> int:
    from community.models import Category

    return db.session.scalar(db.select(Category.id).filter_by(code=code))
