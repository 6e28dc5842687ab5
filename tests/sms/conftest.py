"""Fixtures for the SMS gateway: a fake Twilio REST server per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from community.extensions import db
from community.sms.gateway import SmsGateway
from tests.conftest import make_app
from tests.sms.fake_twilio import FakeTwilio, twilio_settings

PUBLIC = "https://sms.example.org"  # the address Twilio signs


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A fake Twilio listening on 127.0.0.1, stopped after the test."""
    fake = FakeTwilio().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def twilio_config(fake_twilio: FakeTwilio) -> dict[str, Any]:
    """TWILIO_* settings pointing at the fake."""
    return twilio_settings(fake_twilio)


@pytest.fixture
def gateway(twilio_config: dict[str, Any]) -> SmsGateway:
    """A gateway sending to the fake with a from number."""
    return SmsGateway.from_config(twilio_config)


@pytest.fixture
def sms_app(sqlite_template: Path, tmp_path: Path, fake_twilio: FakeTwilio) -> Iterator[Flask]:
    path = tmp_path / "sms.sqlite"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", PUBLIC_BASE_URL=PUBLIC, **twilio_settings(fake_twilio))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def phone(sms_app: Flask) -> FlaskClient:
    return sms_app.test_client()
