"""The gateway with the real twilio library talking HTTP to a fake Twilio on 127.0.0.1."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from community.models.message import MessageStatus
from community.sms.gateway import MediaError, MediaTooLargeError, SmsConfigError, SmsGateway
from community.sms.signature import is_valid_request, public_url, sign
from tests.sms.fake_twilio import FakeTwilio, random_sid, twilio_settings

RESIDENT = "+14145550123"
MESSAGING_SERVICE = "MG" + "0" * 32
CALLBACK = "https://example.org/sms/status"


def test_send_is_queued_and_twilio_saw_the_form_and_auth(
    gateway: SmsGateway, fake_twilio: FakeTwilio
) -> None:
    result = gateway.send(RESIDENT, "Thanks, we got it.", status_callback=CALLBACK)

    assert result.status == MessageStatus.QUEUED == "queued"
    assert result.sid is not None and result.sid.startswith("SM") and len(result.sid) == 34
    assert (result.error_code, result.opted_out, result.invalid_number, result.transient) == (
        None,
        False,
        False,
        False,
    )
    assert result.accepted
    [request] = fake_twilio.sent
    assert request.method == "POST"
    assert request.path == f"/2010-04-01/Accounts/{fake_twilio.account_sid}/Messages.json"
    assert request.auth_user == fake_twilio.account_sid
    assert request.auth_password == fake_twilio.auth_token
    assert request.form == {
        "To": RESIDENT,
        "From": "+14145550100",
        "Body": "Thanks, we got it.",
        "StatusCallback": CALLBACK,
    }
    assert fake_twilio.messages[result.sid]["status"] == "queued"


def test_status_callback_is_optional(gateway: SmsGateway, fake_twilio: FakeTwilio) -> None:
    gateway.send(RESIDENT, "Hello", status_callback=None)
    assert "StatusCallback" not in fake_twilio.sent[0].form


def test_unicode_body_arrives_intact(gateway: SmsGateway, fake_twilio: FakeTwilio) -> None:
    result = gateway.send(RESIDENT, "¿Dónde ocurrió? 😀", status_callback=None)
    assert fake_twilio.messages[result.sid or ""]["body"] == "¿Dónde ocurrió? 😀"


def test_messaging_service_sid_is_used_instead_of_from(fake_twilio: FakeTwilio) -> None:
    gateway = SmsGateway.from_config(
        twilio_settings(fake_twilio, TWILIO_MESSAGING_SERVICE_SID=MESSAGING_SERVICE)
    )
    result = gateway.send(RESIDENT, "Hi", status_callback=None)

    assert result.status == MessageStatus.QUEUED  # Twilio said "accepted"
    form = fake_twilio.sent[0].form
    assert form["MessagingServiceSid"] == MESSAGING_SERVICE
    assert "From" not in form


def test_opted_out_number_is_reported(gateway: SmsGateway, fake_twilio: FakeTwilio) -> None:
    fake_twilio.opted_out.add(RESIDENT)
    result = gateway.send(RESIDENT, "Update on your report", status_callback=None)

    assert result.status == MessageStatus.FAILED
    assert result.opted_out
    assert result.error_code == 21610
    assert not result.transient and not result.invalid_number
    assert result.sid is None
    assert not result.accepted


def test_invalid_number_is_reported(gateway: SmsGateway, fake_twilio: FakeTwilio) -> None:
    fake_twilio.invalid.add(RESIDENT)
    result = gateway.send(RESIDENT, "Hello", status_callback=None)

    assert result.status == MessageStatus.FAILED
    assert result.invalid_number
    assert result.error_code == 21211
    assert not result.transient and not result.opted_out


@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_errors_and_throttling_are_transient(
    gateway: SmsGateway, fake_twilio: FakeTwilio, status: int
) -> None:
    fake_twilio.fail_next(1, status=status)
    failed = gateway.send(RESIDENT, "Hello", status_callback=None)
    retried = gateway.send(RESIDENT, "Hello", status_callback=None)

    assert failed.status == MessageStatus.FAILED
    assert failed.transient
    assert failed.error_code in (20500, 20503, 20429)
    assert retried.status == MessageStatus.QUEUED
    assert [r.status for r in fake_twilio.sent] == [status, 201]


def test_wrong_token_fails_without_retry(fake_twilio: FakeTwilio) -> None:
    gateway = SmsGateway.from_config(twilio_settings(fake_twilio, TWILIO_AUTH_TOKEN="wrong"))
    result = gateway.send(RESIDENT, "Hello", status_callback=None)

    assert result.status == MessageStatus.FAILED
    assert result.error_code == 20003
    assert not result.transient
    assert fake_twilio.sent[0].status == 401


def test_server_down_is_transient_and_quick(gateway: SmsGateway, fake_twilio: FakeTwilio) -> None:
    fake_twilio.stop()
    started = time.monotonic()
    result = gateway.send(RESIDENT, "Hello", status_callback=None)

    assert time.monotonic() - started < 2
    assert result.status == MessageStatus.FAILED
    assert result.transient
    assert result.error_code is None


def test_slow_twilio_times_out_as_transient(fake_twilio: FakeTwilio) -> None:
    gateway = SmsGateway.from_config(twilio_settings(fake_twilio, TWILIO_TIMEOUT=0.3))
    fake_twilio.hang_next(1, seconds=5)
    started = time.monotonic()
    result = gateway.send(RESIDENT, "Hello", status_callback=None)

    assert time.monotonic() - started < 2
    assert result.transient
    assert result.status == MessageStatus.FAILED


def test_no_credentials_logs_masked_and_sends_nothing(
    fake_twilio: FakeTwilio, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    gateway = SmsGateway.from_config(
        twilio_settings(fake_twilio, TWILIO_ACCOUNT_SID=None, TWILIO_AUTH_TOKEN=None)
    )
    body = "Your report CP-2025-0042 was received. We will follow up within two days."
    result = gateway.send(RESIDENT, body, status_callback=CALLBACK)

    assert result.status == MessageStatus.LOGGED == "logged"
    assert result.sid is None and result.accepted
    assert fake_twilio.sent == []
    assert f"SMS not sent (no Twilio credentials) to ***-***-0123: {len(body)} characters" in (
        caplog.text
    )
    assert "Your report" not in caplog.text  # never the words (issue 20: logs carry no text)
    assert RESIDENT not in caplog.text
    assert RESIDENT[2:] not in caplog.text


def test_no_credentials_is_the_default_config() -> None:
    gateway = SmsGateway.from_config({})
    assert not gateway.enabled
    assert gateway.send(RESIDENT, "Hi", status_callback=None).status == MessageStatus.LOGGED


def test_full_number_never_logged_on_any_path(
    gateway: SmsGateway, fake_twilio: FakeTwilio, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    gateway.send(RESIDENT, "ok", status_callback=None)
    fake_twilio.invalid.add("+14145550199")
    gateway.send("+14145550199", "invalid", status_callback=None)  # Twilio's text names it
    fake_twilio.opted_out.add("+14145550198")
    gateway.send("+14145550198", "stopped", status_callback=None)
    fake_twilio.fail_next(1)
    gateway.send("+14145550197", "retry", status_callback=None)
    fake_twilio.stop()
    gateway.send("+14145550196", "down", status_callback=None)

    for number in (RESIDENT, "+14145550199", "+14145550198", "+14145550197", "+14145550196"):
        assert number[2:] not in caplog.text  # neither +1... nor the ten digits
    assert "***-***-0199" in caplog.text


def test_credentials_without_a_sender_are_refused() -> None:
    with pytest.raises(SmsConfigError):
        SmsGateway.from_config(
            {"TWILIO_ACCOUNT_SID": random_sid("AC"), "TWILIO_AUTH_TOKEN": "token"}
        )


def test_fetch_media_uses_basic_auth(gateway: SmsGateway, fake_twilio: FakeTwilio) -> None:
    photo = bytes(range(256)) * 100
    url = fake_twilio.add_media("ME1", photo, "image/jpeg")

    assert gateway.fetch_media(url) == photo
    request = fake_twilio.sent[-1]
    assert request.method == "GET"
    assert (request.auth_user, request.auth_password) == (
        fake_twilio.account_sid,
        fake_twilio.auth_token,
    )


def test_fetch_media_follows_redirects(gateway: SmsGateway, fake_twilio: FakeTwilio) -> None:
    fake_twilio.add_media("ME2", b"png-bytes", "image/png")
    assert gateway.fetch_media(f"{fake_twilio.url}/redirect/ME2") == b"png-bytes"
    assert [r.status for r in fake_twilio.sent] == [302, 200]


def test_fetch_media_at_exactly_the_limit(gateway: SmsGateway, fake_twilio: FakeTwilio) -> None:
    data = b"x" * (5 * 1024 * 1024)
    url = fake_twilio.add_media("ME3", data)
    assert len(gateway.fetch_media(url)) == len(data)


@pytest.mark.parametrize("send_length", [True, False])
def test_fetch_media_refuses_over_5_mb(
    gateway: SmsGateway, fake_twilio: FakeTwilio, send_length: bool
) -> None:
    url = fake_twilio.add_media("big", b"x" * (5 * 1024 * 1024 + 1), send_length=send_length)
    with pytest.raises(MediaTooLargeError):
        gateway.fetch_media(url)


def test_fetch_media_missing_or_unauthorised(fake_twilio: FakeTwilio) -> None:
    gateway = SmsGateway.from_config(twilio_settings(fake_twilio))
    with pytest.raises(MediaError) as missing:
        gateway.fetch_media(f"{fake_twilio.url}/media/nothing")
    assert not missing.value.transient

    url = fake_twilio.add_media("ME4", b"data")
    wrong = SmsGateway.from_config(twilio_settings(fake_twilio, TWILIO_AUTH_TOKEN="wrong"))
    with pytest.raises(MediaError):
        wrong.fetch_media(url)


def test_fetch_media_server_down_is_transient(gateway: SmsGateway, fake_twilio: FakeTwilio) -> None:
    url = fake_twilio.add_media("ME5", b"data")
    fake_twilio.stop()
    with pytest.raises(MediaError) as down:
        gateway.fetch_media(url)
    assert down.value.transient


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
        "http://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
        "https://api.twilio.com.evil.example/x",
    ],
)
def test_fetch_media_never_sends_credentials_elsewhere(
    gateway: SmsGateway, fake_twilio: FakeTwilio, url: str
) -> None:
    with pytest.raises(MediaError):
        gateway.fetch_media(url)
    assert fake_twilio.sent == []


def test_fetch_media_without_credentials_is_refused() -> None:
    with pytest.raises(MediaError):
        SmsGateway.from_config({}).fetch_media("https://api.twilio.com/media/ME1")


# -- webhook signatures ------------------------------------------------------------------


def _inbound_form(**extra: str) -> dict[str, Any]:
    form = {
        "MessageSid": random_sid("SM"),
        "AccountSid": random_sid("AC"),
        "From": RESIDENT,
        "To": "+14145550100",
        "Body": "Car parked on the sidewalk at 27th and Center",
        "NumMedia": "0",
    }
    form.update(extra)
    return form


def test_signature_round_trip() -> None:
    url = "https://cp.example.org/sms/inbound"
    form = _inbound_form()
    signature = sign("token", url, form)

    assert is_valid_request("token", url, form, signature)
    assert not is_valid_request("other-token", url, form, signature)
    assert not is_valid_request("token", url, {**form, "Body": "changed"}, signature)
    assert not is_valid_request("token", "https://cp.example.org/sms/other", form, signature)
    assert not is_valid_request("token", url, form, None)
    assert not is_valid_request(None, url, form, signature)


def test_signature_accepts_a_werkzeug_multidict() -> None:
    from werkzeug.datastructures import ImmutableMultiDict

    url = "https://cp.example.org/sms/inbound?lang=es"
    form = _inbound_form()
    signature = sign("token", url, form)
    assert is_valid_request("token", url, ImmutableMultiDict(form), signature)


def test_signature_ignores_the_default_port() -> None:
    form = _inbound_form()
    signature = sign("token", "https://cp.example.org/sms/inbound", form)
    assert is_valid_request("token", "https://cp.example.org:443/sms/inbound", form, signature)


def test_public_url_rebuilds_what_twilio_signed() -> None:
    received = "http://10.0.0.5:8000/sms/inbound?x=1"
    assert public_url(received, None) == received
    assert public_url(received, "") == received
    assert (
        public_url(received, "https://cp.example.org") == "https://cp.example.org/sms/inbound?x=1"
    )
    assert (
        public_url(received, "https://cp.example.org:8443/")
        == "https://cp.example.org:8443/sms/inbound?x=1"
    )


def test_public_url_makes_a_proxied_request_valid() -> None:
    form = _inbound_form()
    signature = sign("token", "https://cp.example.org/sms/inbound", form)
    received = "http://127.0.0.1:5000/sms/inbound"
    assert not is_valid_request("token", received, form, signature)
    assert is_valid_request(
        "token", public_url(received, "https://cp.example.org"), form, signature
    )
