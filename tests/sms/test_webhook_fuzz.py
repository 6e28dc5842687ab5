"""Property: whatever Twilio (or anyone) posts to /sms/inbound, the webhook never breaks.

A correctly signed request always gets 200 and well-formed TwiML; a request with a wrong or
missing signature always gets 403; and no request is logged as an unhandled error. Bodies,
senders, MessageSids, NumMedia and extra form parameters are drawn from hostile text (NUL,
emoji, RTL marks, 5,000 characters, HTML, SQL), with repeats so that re-deliveries, floods
and ongoing conversations are exercised too.
"""

from __future__ import annotations

import logging
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from community.extensions import db
from community.sms.signature import sign
from tests.conftest import make_app
from tests.sms.fake_twilio import FakeTwilio, twilio_settings

PUBLIC = "https://sms.example.org"
URL = f"{PUBLIC}/sms/inbound"

SPECIAL_BODIES = [
    "",
    "\x00",
    "drugs\x00at 2847 n 35th st",
    "🚨💊🏚️ 2847 N 35th St 🔫",
    "\u202eTS HT53 N 7482\u202c",  # RTL override around an address
    "\u200f\u05e1\u05de\u05d9\u05dd \u0628\u064a\u0639 \u0645\u062e\u062f\u0631\u0627\u062a",
    "<script>alert(1)</script> at 2263 N Lake Dr",
    "]]><Response><Redirect>http://evil.example</Redirect></Response>",
    "&amp; &lt;Message&gt; &#0; &#xD800;",
    "'; DROP TABLE message; --",
    "1' OR '1'='1",
    "%s %d {0} {case_number} {{ config }} {% raw %}",
    "STOP",
    "stop",
    "START",
    "UNSTOP",
    "HELP",
    "ayuda",
    "status",
    "estado",
    "1",
    "2",
    "99999999999999999999999",
    "wrong place, it was 35th and Burleigh",
    "venden drogas en la esquina de la 16 y National",
    "drug house at 1518 35th st",
    "shots fired at 2847 n 35th st",
    "please stop texting me",
    "\r\n\t\x0b\x0c\x1b[31m",
    "\ufeff\ufffe\uffff",
    "a" * 5000,
    "é" * 5000,
    "🚨" * 5000,
    ("2847 n 35th st " * 400)[:5000],
]

PHONES = ["+14145550123", "+14145550124", "+16085550100", "+16085559999"]
SIDS = ["SM" + "a" * 32, "SM" + "b" * 32, "x", "SM" + "0" * 32]

bodies = st.one_of(
    st.sampled_from(SPECIAL_BODIES),
    st.text(),
    st.text(max_size=12).map(lambda s: (s * 5000)[:5000]),
    st.lists(st.one_of(st.sampled_from(SPECIAL_BODIES[:30]), st.text(max_size=20))).map("".join),
)
senders = st.one_of(
    st.just(""),
    st.sampled_from(PHONES),
    st.from_regex(r"\+1[2-9][0-9]{2}555[0-9]{4}", fullmatch=True),
    st.from_regex(r"\+?[0-9() .-]{0,25}", fullmatch=True),
    st.text(),
    st.text(max_size=8).map(lambda s: (s * 2000)[:10000]),
    st.sampled_from(["whatsapp:+14145550123", "+1 (414) 555-0123", "٤١٤٥٥٥٠١٢٣", "+", "0" * 40]),
)
sids = st.one_of(
    st.just(""),
    st.sampled_from(SIDS),
    st.from_regex(r"SM[0-9a-f]{32}", fullmatch=True),
    st.text(),
    st.text(min_size=60, max_size=200),
)
num_media = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=-3, max_value=12).map(str),
    st.text(),
    st.sampled_from(["", " 1 ", "1e9", "٣", "NaN", "inf", "0x10", "-0", "\x00"]),
)
extra_params = st.dictionaries(st.text(max_size=30), st.text(max_size=80), max_size=6)
media_urls = st.one_of(st.text(max_size=40), st.sampled_from(["FAKE/known", "FAKE/unknown"]))


@pytest.fixture
def fuzz_app(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Flask, FakeTwilio]]:
    """One app (on its own copy of the template) and one fake Twilio for the whole property."""
    fake = FakeTwilio().start()
    path = tmp_path / "fuzz.sqlite"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", PUBLIC_BASE_URL=PUBLIC, **twilio_settings(fake))
    try:
        with app.app_context():
            yield app, fake
            db.session.remove()
            db.engine.dispose()
    finally:
        fake.stop()


def _optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


usable_senders = st.one_of(
    st.sampled_from(PHONES),
    st.from_regex(r"\+1[2-9][0-9]{2}555[0-9]{4}", fullmatch=True),
    st.sampled_from(["+1 (414) 555-0123", "414.555.0124", "whatsapp:+14145550123"]),
)


@st.composite
def inbound_forms(draw: st.DrawFn, senders: st.SearchStrategy[str] = senders) -> dict[str, str]:
    """A form Twilio might post, or something much worse; None fields are left out."""
    form: dict[str, str] = dict(draw(extra_params))
    fields = {
        "Body": draw(_optional(bodies)),
        "From": draw(_optional(senders)),
        "MessageSid": draw(_optional(sids)),
        "SmsSid": draw(_optional(sids)),
        "NumMedia": draw(_optional(num_media)),
        "To": draw(_optional(st.sampled_from(["+14145550100", "", "not a number"]))),
    }
    for i in range(draw(st.integers(min_value=0, max_value=3))):
        fields[f"MediaUrl{i}"] = draw(media_urls)
        fields[f"MediaContentType{i}"] = draw(
            st.one_of(st.sampled_from(["image/jpeg", "text/plain", ""]), st.text(max_size=20))
        )
    form.update({key: value for key, value in fields.items() if value is not None})
    return form


def _check(
    fuzz_app: tuple[Flask, FakeTwilio],
    caplog: pytest.LogCaptureFixture,
    form: dict[str, str],
    signed: bool,
    forgery: str,
    loggers: tuple[str, ...] = ("community.errors",),
) -> None:
    """Post the form signed (or forged) and check the answer and the error log.

    No ERROR record may come from `loggers`: by default the app's "unhandled error" handler;
    the strict variant also forbids the webhook's own catch-all ("saved but not processed").
    """
    app, fake = fuzz_app
    if fake.media.get("known") is None:
        fake.add_media("known", b"\xff\xd8\xff fake jpeg", "image/jpeg")
    form = {
        key: value.replace("FAKE/", f"{fake.url}/media/") if key.startswith("MediaUrl") else value
        for key, value in form.items()
    }
    token = app.config["TWILIO_AUTH_TOKEN"]
    headers: dict[str, str] = {}
    if signed:
        headers["X-Twilio-Signature"] = sign(token, URL, form)
    elif forgery == "empty":
        headers["X-Twilio-Signature"] = ""
    elif forgery == "garbage":
        headers["X-Twilio-Signature"] = "not-a-signature"
    elif forgery == "other-url":
        headers["X-Twilio-Signature"] = sign(token, "https://evil.example/sms/inbound", form)
    elif forgery == "other-form":
        headers["X-Twilio-Signature"] = sign(
            token, URL, {**form, "Body": form.get("Body", "") + "!"}
        )
    elif forgery == "flipped":
        good = sign(token, URL, form)
        headers["X-Twilio-Signature"] = ("B" if good[0] == "A" else "A") + good[1:]

    caplog.clear()
    with caplog.at_level(logging.ERROR):
        response = app.test_client().post("/sms/inbound", data=form, headers=headers)
    unhandled = [r for r in caplog.records if r.name in loggers and r.levelno >= logging.ERROR]
    assert not unhandled, unhandled[0].getMessage() + "\n" + (unhandled[0].exc_text or "")

    if not signed:
        event("forged")
        assert response.status_code == 403
        return
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:2000]
    assert response.mimetype == "text/xml"
    root = ET.fromstring(body)
    assert root.tag == "Response"
    assert all(child.tag == "Message" for child in root)
    assert len(root) <= 1
    event("signed: a reply" if len(root) else "signed: no reply")


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORGERIES = st.sampled_from(["missing", "empty", "garbage", "other-url", "other-form", "flipped"])


@FUZZ
@given(form=inbound_forms(), signed=st.booleans(), forgery=FORGERIES)
def test_any_inbound_post_gets_twiml_or_403_and_never_an_unhandled_error(
    fuzz_app: tuple[Flask, FakeTwilio],
    caplog: pytest.LogCaptureFixture,
    form: dict[str, str],
    signed: bool,
    forgery: str,
) -> None:
    _check(fuzz_app, caplog, form, signed, forgery)


STRICT = ("community.errors", "community.intake.sms_routes")


@FUZZ
@given(form=inbound_forms(), signed=st.booleans(), forgery=FORGERIES)
def test_no_inbound_post_falls_through_to_the_webhooks_catch_all(
    fuzz_app: tuple[Flask, FakeTwilio],
    caplog: pytest.LogCaptureFixture,
    form: dict[str, str],
    signed: bool,
    forgery: str,
) -> None:
    _check(fuzz_app, caplog, form, signed, forgery, loggers=STRICT)


@FUZZ
@given(form=inbound_forms(senders=usable_senders), signed=st.booleans(), forgery=FORGERIES)
def test_no_inbound_post_from_a_phone_number_falls_through_to_the_catch_all(
    fuzz_app: tuple[Flask, FakeTwilio],
    caplog: pytest.LogCaptureFixture,
    form: dict[str, str],
    signed: bool,
    forgery: str,
) -> None:
    """The strict property with From always a usable number (or absent): passes today."""
    _check(fuzz_app, caplog, form, signed, forgery, loggers=STRICT)
