"""The SMS fixtures (a fake Twilio and an app talking to it) for the logging tests."""

from pathlib import Path

import pytest
from flask import Flask

from tests.sms.conftest import fake_twilio, phone, sms_app  # noqa: F401 - pytest fixtures


@pytest.fixture(autouse=True)
def own_media(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Each test's photos in its own folder, never the instance's."""
    for name in ("sms_app", "app"):
        if name in request.fixturenames:
            app: Flask = request.getfixturevalue(name)
            app.config["MEDIA_FOLDER"] = str(tmp_path / "media")
