"""Replayed and forged forms, and the per-client rate limits, answered in the page's language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from community.models import Concern, Event
from tests.conftest import fresh_app
from tests.intake_web.conftest import GOOD, OwnLocaleClient, count


def _tokens(page: str) -> dict[str, str]:
    return {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1),
        "submission": re.search(
            r'name="submission" type="hidden" value="([0-9a-f]{32})"', page
        ).group(1),
    }


@pytest.fixture
def csrf_client(csrf_app: Flask):
    csrf_app.test_client_class = OwnLocaleClient
    return csrf_app.test_client()


def test_a_replayed_form_makes_one_concern(csrf_client) -> None:
    tokens = _tokens(csrf_client.get("/report").get_data(as_text=True))
    first = csrf_client.post("/report", data={**GOOD, **tokens})
    again = csrf_client.post("/report", data={**GOOD, **tokens})
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert count(Concern) == 1


def test_a_form_without_or_with_a_forged_token_is_refused_in_its_language(csrf_client) -> None:
    response = csrf_client.post("/report?lang=es", data=GOOD)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Este formulario venció o se envió dos veces" in page
    assert "people selling drugs out of the blue house every night</textarea>" in page  # kept
    forged = csrf_client.post("/report?lang=en", data={**GOOD, "csrf_token": "forged"})
    assert "This form expired or was sent twice" in forged.get_data(as_text=True)
    assert count(Concern) == count(Event) == 0


def test_a_form_from_another_session_is_refused(csrf_app: Flask) -> None:
    csrf_app.test_client_class = OwnLocaleClient
    tokens = _tokens(csrf_app.test_client().get("/report").get_data(as_text=True))
    response = csrf_app.test_client().post("/report", data={**GOOD, **tokens})
    assert response.status_code == 400 and count(Concern) == 0


@pytest.fixture
def limited_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    for application in fresh_app(
        sqlite_template, tmp_path, RATELIMIT_ENABLED=True, STATUS_LOOKUP_LIMIT="3 per minute"
    ):
        application.test_client_class = OwnLocaleClient
        yield application


def test_case_lookups_are_rate_limited_per_client(limited_app: Flask) -> None:
    client = limited_app.test_client()
    codes = [client.get(f"/status/MKE-{code}").status_code for code in ("AAAA", "BBBB", "CCCC")]
    assert codes == [404, 404, 404]
    blocked = client.get("/status?case=MKE-DDDD&lang=es")
    assert blocked.status_code == 429
    assert "Demasiadas búsquedas de casos" in blocked.get_data(as_text=True)
    other = limited_app.test_client()
    assert (
        other.get("/status/MKE-EEEE", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 404
    )


def test_suggestions_are_rate_limited_with_a_json_answer(limited_app: Flask) -> None:
    client = limited_app.test_client()
    answers = [client.get("/report/suggest?q=2263 lake") for _ in range(31)]
    assert [a.status_code for a in answers[:30]] == [200] * 30
    assert answers[30].status_code == 429
    assert "Too many requests" in answers[30].json["error"]


def test_report_posts_are_rate_limited(limited_app: Flask) -> None:
    client = limited_app.test_client()
    codes = [
        client.post("/report?lang=es", data={**GOOD, "text": ""}).status_code for _ in range(21)
    ]
    assert codes[:20] == [400] * 20 and codes[20] == 429


def test_over_https_a_browser_that_sends_no_referer_can_still_report(csrf_app: Flask) -> None:
    """Privacy tools strip Referer; the session-bound token is the CSRF defence, not Referer."""
    client = csrf_app.test_client()
    page = client.get("/report?lang=en", base_url="https://localhost")
    tokens = _tokens(page.get_data(as_text=True))
    sent = client.post("/report?lang=en", data={**GOOD, **tokens}, base_url="https://localhost")
    assert sent.status_code == 302, sent.get_data(as_text=True)[:300]
    assert count(Concern) == 1
    forged = client.post(
        "/report?lang=en", data={**GOOD, "csrf_token": "forged"}, base_url="https://localhost"
    )
    assert forged.status_code == 400  # without the token: still refused
