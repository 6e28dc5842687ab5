"""Security headers on every response of every route, and staff responses never cached."""

from __future__ import annotations

import pytest
from flask import Flask

from community import create_app
from community.security.headers import content_security_policy
from tests.conftest import sign_in
from tests.security.conftest import LOGINS, get_rules, url_for_rule

EVERYWHERE = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Downloads that are documents of their own (folium maps): their own policy, as attachments.
OWN_POLICY = {"triage.download_map"}


def _check(response, endpoint: str) -> None:
    assert response.status_code < 500, endpoint
    headers = response.headers
    for name, value in EVERYWHERE.items():
        assert headers.get(name) == value, (endpoint, name, headers.get(name))
    policy = headers.get("Content-Security-Policy", "")
    if endpoint in OWN_POLICY and "attachment" in headers.get("Content-Disposition", ""):
        assert "default-src 'none'" in policy, (endpoint, policy)
    else:
        assert "frame-ancestors 'none'" in policy, (endpoint, policy)
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, endpoint
        assert "style-src 'self'" in policy, endpoint
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer"), endpoint
    permissions = headers.get("Permissions-Policy", "")
    assert "camera=()" in permissions and "microphone=()" in permissions, endpoint
    expected = "geolocation=(self)" if endpoint == "intake.report" else "geolocation=()"
    assert expected in permissions, (endpoint, permissions)


def test_every_route_answers_with_the_security_headers_anonymous(app: Flask, world) -> None:
    client = app.test_client()
    for rule in get_rules(app):
        response = client.get(url_for_rule(rule, world))
        _check(response, rule.endpoint)
        assert "Strict-Transport-Security" not in response.headers  # not configured here


@pytest.mark.parametrize("role", ["admin", "agency_staff"])
def test_every_route_answers_with_the_headers_and_no_store_for_staff(
    app: Flask, world, role: str
) -> None:
    client = app.test_client()
    sign_in(client, *LOGINS[role])
    for rule in get_rules(app):
        response = client.get(url_for_rule(rule, world))
        _check(response, rule.endpoint)
        cache = response.cache_control
        if rule.endpoint == "staff.media" and response.status_code == 200:
            # A resident's photo: the browser may keep it a while, a shared cache never.
            assert cache.private and not cache.public and cache.max_age == 3600
            assert response.headers["Cache-Control"].count("public") == 0
        else:
            assert cache.no_store, (rule.rule, response.headers.get("Cache-Control"))
            assert not cache.public, rule.rule


def test_static_files_stay_cacheable_and_carry_the_headers(client, users) -> None:
    sign_in(client, *LOGINS["viewer"])
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert not response.cache_control.no_store
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_error_pages_carry_the_headers(client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    _check(response, "none")


def test_hsts_is_a_setting(sqlite_template, tmp_path) -> None:
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'h.sqlite'}", HSTS_MAX_AGE=600
    )
    response = app.test_client().get("/static/css/app.css")
    assert response.headers["Strict-Transport-Security"] == "max-age=600; includeSubDomains"


def test_production_sends_hsts_by_default(monkeypatch) -> None:
    from config import ProductionConfig

    assert ProductionConfig().HSTS_MAX_AGE >= 31536000


def test_the_policy_allows_a_configured_tile_server_for_images_only() -> None:
    policy = content_security_policy("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://*.tile.example.org" in policy
    assert "connect-src 'self'" in policy
    assert "https" not in content_security_policy(None)


def test_the_meeting_report_preview_has_a_document_policy(app, users) -> None:
    client = app.test_client()
    sign_in(client, *LOGINS["prosecutor"])
    response = client.post(
        "/staff/reports/make",
        data={"area": "Sherman Park", "language": "en", "action": "preview"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    policy = response.headers["Content-Security-Policy"]
    assert "script-src" not in policy and "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
