"""Staff sessions live on the server: signing out ends them, even for a copied cookie; CSRF
tokens expire with the session."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from flask import Flask

from community.extensions import db
from community.models import StaffSession, utcnow
from tests.conftest import sign_in
from tests.security.conftest import LOGINS

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _is_signed_out(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_out_ends_the_session_for_a_replayed_cookie(app: Flask, users) -> None:
    client = app.test_client()
    sign_in(client, *LOGINS["prosecutor"])
    stolen = client.get_cookie("session").value
    assert client.get("/staff/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert _is_signed_out(client.get("/staff/"))
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert _is_signed_out(replay.get("/staff/"))
    assert _is_signed_out(replay.get("/exports/concerns.csv"))
    assert _is_signed_out(replay.get("/staff/triage/hotspots.geojson"))
    assert db.session.scalar(db.select(StaffSession.ended_at)) is not None


def test_signing_out_here_leaves_other_browsers_signed_in(app: Flask, users) -> None:
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        sign_in(browser, *LOGINS["viewer"])
    laptop.post("/logout")
    assert _is_signed_out(laptop.get("/staff/"))
    assert phone.get("/staff/").status_code == 200


def test_a_session_ends_after_its_lifetime(app: Flask, users) -> None:
    client = app.test_client()
    sign_in(client, *LOGINS["viewer"])
    assert client.get("/staff/").status_code == 200
    db.session.execute(db.update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert _is_signed_out(client.get("/staff/"))


def test_a_forged_session_id_is_anonymous(app: Flask, users) -> None:
    client = app.test_client()
    sign_in(client, *LOGINS["admin"])
    with client.session_transaction() as session:
        session["_sid"] = "made-up"
    assert _is_signed_out(client.get("/admin/users"))


def test_the_sign_in_cookie_expires_with_the_session(app: Flask, users) -> None:
    client = app.test_client()
    sign_in(client, *LOGINS["viewer"])
    cookie = client.get_cookie("session")
    lifetime = app.permanent_session_lifetime
    assert cookie.expires is not None
    assert app.config["WTF_CSRF_TIME_LIMIT"] == int(lifetime.total_seconds())
    assert lifetime <= timedelta(hours=24)


def test_csrf_tokens_expire_with_the_session(csrf_app: Flask, users, monkeypatch) -> None:
    client = csrf_app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True))[1]
    later = time.time() + csrf_app.config["WTF_CSRF_TIME_LIMIT"] + 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    email, password = LOGINS["viewer"]
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 400
    assert "This form expired" in response.get_data(as_text=True)
