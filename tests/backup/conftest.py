"""The SMS fixtures (a fake Twilio and an app talking to it) for the backup tests."""

from tests.sms.conftest import fake_twilio  # noqa: F401 - pytest fixtures
