"""API keys: admins create (shown once, stored hashed) and revoke them; POSTs are rate limited."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask

from community.extensions import db
from community.models import ApiKey
from community.open311.keys import check_key, create_key
from tests.conftest import fresh_app, sign_in


def test_an_admin_creates_a_key_shown_once_and_stored_as_a_hash(client, users) -> None:
    sign_in(client, "admin@example.org", "admin-pass")
    response = client.post("/open311/keys/", data={"name": "SeeClickFix"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    token = re.search(r'<code id="new-key">([^<]+)</code>', response.get_data(as_text=True))[1]
    key = db.session.scalar(db.select(ApiKey))
    assert key.name == "SeeClickFix" and key.created_by.email == "admin@example.org"
    assert key.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in key.key_hash and key.key_prefix == token[:8]
    listing = client.get("/open311/keys/").get_data(as_text=True)
    assert token not in listing and "SeeClickFix" in listing


def test_a_revoked_key_stops_working(client, users) -> None:
    sign_in(client, "admin@example.org", "admin-pass")
    key, token = create_key("Old app")
    assert check_key(token) == key
    response = client.post(f"/open311/keys/{key.id}/revoke")
    assert response.status_code == 302
    db.session.refresh(key)
    assert not key.active and key.revoked_at is not None
    posted = client.post(
        "/open311/v2/requests.json",
        data={"api_key": token, "service_code": "noise", "lat": "43.0676", "long": "-87.9584"},
    )
    assert posted.status_code == 403


def test_only_admins_manage_keys(client, users) -> None:
    assert client.get("/open311/keys/").status_code == 302  # to sign in
    for role in ("prosecutor", "agency_staff", "viewer"):
        email = {"prosecutor": "prosecutor@example.org", "agency_staff": "d3@example.org"}.get(
            role, f"{role}@example.org"
        )
        sign_in(client, email, f"{role}-pass")
        refused = client.get("/open311/keys/")
        assert refused.status_code == 403 and refused.content_type.startswith("text/html")
        assert client.post("/open311/keys/", data={"name": "x"}).status_code == 403
        client.post("/logout")
    assert db.session.scalar(db.select(db.func.count(ApiKey.id))) == 0


def test_an_empty_or_huge_name_is_refused(client, users) -> None:
    sign_in(client, "admin@example.org", "admin-pass")
    assert client.post("/open311/keys/", data={"name": "  "}).status_code == 400
    assert client.post("/open311/keys/", data={"name": "n" * 121}).status_code == 400
    assert db.session.scalar(db.select(db.func.count(ApiKey.id))) == 0


def test_the_cli_prints_a_new_key_once(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["apikey", "create", "City 311 CRM"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert check_key(token).name == "City 311 CRM"


def test_posts_are_rate_limited_per_client_address(sqlite_template: Path, tmp_path: Path) -> None:
    for application in fresh_app(
        sqlite_template, tmp_path, RATELIMIT_ENABLED=True, OPEN311_POST_LIMIT="2 per minute"
    ):
        _, token = create_key("Busy app")
        client = application.test_client()
        data = {"api_key": token, "service_code": "noise"}  # no location: refused, still counted
        codes = [client.post("/open311/v2/requests.json", data=data).status_code for _ in range(3)]
        assert codes == [400, 400, 429]
        limited = client.post("/open311/v2/requests.xml", data=data)
        assert limited.status_code == 429 and b"<errors><error><code>429</code>" in limited.data
        # Another key from the same address is limited all the same; another address is not.
        _, other = create_key("Quiet app")
        again = client.post("/open311/v2/requests.json", data={**data, "api_key": other})
        assert again.status_code == 429
        elsewhere = application.test_client().post(
            "/open311/v2/requests.json",
            data={**data, "api_key": other},
            environ_base={"REMOTE_ADDR": "192.0.2.44"},
        )
        assert elsewhere.status_code == 400


def test_a_new_wrong_key_on_every_post_is_still_limited(
    sqlite_template: Path, tmp_path: Path
) -> None:
    for application in fresh_app(
        sqlite_template, tmp_path, RATELIMIT_ENABLED=True, OPEN311_POST_LIMIT="3 per minute"
    ):
        client = application.test_client()
        codes = [
            client.post(
                "/open311/v2/requests.json", data={"api_key": f"guess-{n}", "service_code": "x"}
            ).status_code
            for n in range(5)
        ]
        assert codes == [403, 403, 403, 429, 429]


def test_api_posts_need_no_csrf_token_but_key_pages_do(csrf_app: Flask, users) -> None:
    _, token = create_key("App")
    client = csrf_app.test_client()
    posted = client.post(
        "/open311/v2/requests.json",
        data={"api_key": token, "service_code": "noise", "lat": "43.0676", "long": "-87.9584"},
    )
    assert posted.status_code == 200, posted.data  # an API client has no session or form
    sign_in_form = client.get("/login").get_data(as_text=True)
    csrf_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', sign_in_form)
    assert csrf_token, "the sign-in form carries a CSRF token"
    signed_in = client.post(
        "/login",
        data={"email": "admin@example.org", "password": "admin-pass", "csrf_token": csrf_token[1]},
    )
    assert signed_in.status_code == 302
    assert client.get("/open311/keys/").status_code == 200
    refused = client.post("/open311/keys/", data={"name": "Forged"})
    assert refused.status_code == 400  # no token: a forged form is refused
    assert db.session.scalar(db.select(db.func.count(ApiKey.id))) == 1


def test_reads_are_rate_limited_per_client(sqlite_template: Path, tmp_path: Path) -> None:
    for application in fresh_app(
        sqlite_template, tmp_path, RATELIMIT_ENABLED=True, OPEN311_GET_LIMIT="3 per minute"
    ):
        client = application.test_client()
        paths = ["services.json", "requests.json", "services/noise.json"]
        assert [client.get(f"/open311/v2/{p}").status_code for p in paths] == [200, 200, 200]
        limited = client.get("/open311/v2/requests.json")
        assert limited.status_code == 429
        (error,) = limited.get_json()
        assert error["code"] == 429 and "Too many requests" in error["description"]
        assert client.get("/open311/v2/services.xml").status_code == 429
        other = application.test_client()
        neighbour = other.get("/open311/v2/services.json", environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert neighbour.status_code == 200  # another client has its own allowance
