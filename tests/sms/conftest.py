"""Fixtures for the SMS gateway: a fake Twilio REST server per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from community.sms.gateway import SmsGateway
from tests.sms.fake_twilio import FakeTwilio, twilio_settings


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
