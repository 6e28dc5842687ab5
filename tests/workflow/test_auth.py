"""Staff accounts: hashing, constant-time sign-in, throttling, rate limit, logout everywhere,
invitations, disabling, cookies and CSRF on every form."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient

from community import create_app
from community.auth.accounts import WRONG
from community.extensions import db
from community.models import Role, SignInThrottle, User, utcnow
from tests.conftest import fresh_app, sign_in
from tests.factories import agency

LINK = re.compile(r'value="(http://localhost:5000/invite/[A-Za-z0-9_-]+)"')  # DEV_BASE_URL


def _login(client: FlaskClient, email: str, password: str, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def test_passwords_are_stored_as_salted_scrypt_hashes(users) -> None:
    stored = [u.password_hash for u in users.values()]
    assert all(h.startswith("scrypt:") for h in stored)
    assert len(set(stored)) == len(stored)
    assert all("pass" not in h for h in stored)


def test_an_unknown_email_takes_as_long_as_a_wrong_password(client, users) -> None:
    """No early return for unknown accounts: both hash a password (scrypt, tens of ms)."""

    def timed(email: str) -> float:
        start = time.perf_counter()
        assert _login(client, email, "not the password").status_code == 400
        return time.perf_counter() - start

    # Interleaved, and the fastest of each: other work on a busy machine only ever adds time.
    pairs = [(timed("prosecutor@example.org"), timed("nobody-here@example.org")) for _ in range(7)]
    known, unknown = min(k for k, _ in pairs), min(u for _, u in pairs)
    assert unknown > 0.6 * known, (unknown, known)
    assert known > 0.6 * unknown, (unknown, known)


def test_wrong_passwords_pause_one_address_not_the_account(app, client, users) -> None:
    """Guessing from one address pauses that address for that e-mail only: the owner signs
    in from her own, and every failure reads the same (no hint that the account exists)."""
    limit = app.config["LOGIN_MAX_FAILURES"]
    attacker = {"REMOTE_ADDR": "203.0.113.9"}
    answers = set()
    for _ in range(limit):
        page = _login(client, "d3@example.org", "guess", environ_base=attacker)
        answers.add(_error_text(page))
    refused = _login(client, "d3@example.org", "agency_staff-pass", environ_base=attacker)
    assert refused.status_code == 400
    answers.add(_error_text(refused))
    for _ in range(limit + 1):  # an unknown e-mail, paused or not, answers the same
        answers.add(_error_text(_login(client, "nobody@example.org", "x", environ_base=attacker)))
    assert answers == {str(WRONG)}
    assert "locked" not in refused.get_data(as_text=True).lower()
    # The owner, elsewhere, is not locked out.
    sign_in(app.test_client(), "d3@example.org", "agency_staff-pass")
    # When the pause has passed, the right password works from the attacker's address too.
    db.session.execute(db.update(SignInThrottle).values(blocked_until=utcnow() - timedelta(1)))
    db.session.commit()
    ok = _login(app.test_client(), "d3@example.org", "agency_staff-pass", environ_base=attacker)
    assert ok.status_code == 302


def test_an_admin_lifts_a_sign_in_pause(app, users) -> None:
    limit = app.config["LOGIN_MAX_FAILURES"]
    here = {"REMOTE_ADDR": "198.51.100.7"}
    for _ in range(limit):
        _login(app.test_client(), "viewer@example.org", "guess", environ_base=here)
    admin = app.test_client()
    sign_in(admin, "admin@example.org", "admin-pass")
    page = admin.get(f"/admin/users/{users['viewer'].id}").get_data(as_text=True)
    assert "sign-in paused from 1 device" in page
    assert admin.post(f"/admin/users/{users['viewer'].id}/unlock").status_code == 302
    page = admin.get(f"/admin/users/{users['viewer'].id}").get_data(as_text=True)
    assert "sign-in paused" not in page
    ok = _login(app.test_client(), "viewer@example.org", "viewer-pass", environ_base=here)
    assert ok.status_code == 302


def _error_text(response) -> str:
    match = re.search(r'class="error"[^>]*>([^<]+)<', response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return html.unescape(match.group(1)).strip()


@pytest.fixture
def limited_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    yield from fresh_app(sqlite_template, tmp_path, RATELIMIT_ENABLED=True)


def test_sign_in_attempts_are_rate_limited_per_address(limited_app: Flask) -> None:
    client = limited_app.test_client()
    codes = [_login(client, f"x{n}@example.org", "nope").status_code for n in range(10)]
    assert codes == [400] * 10
    blocked = _login(client, "x@example.org", "nope")
    assert blocked.status_code == 429
    assert "10 per 1 minute" in blocked.get_data(as_text=True)
    other_address = _login(
        limited_app.test_client(), "x@example.org", "nope", environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert other_address.status_code == 400
    assert limited_app.test_client().get("/login").status_code == 200  # the page itself is free


def test_logout_everywhere_ends_every_session(app, users) -> None:
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        sign_in(browser, "d3@example.org", "agency_staff-pass")
        assert browser.get("/staff/").status_code == 200
    response = phone.post("/account/logout-everywhere")
    assert response.status_code == 302
    for browser in (laptop, phone):
        response = browser.get("/staff/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    sign_in(laptop, "d3@example.org", "agency_staff-pass")  # signing in again works


def test_a_password_change_ends_the_other_sessions_and_checks_the_new_one(app, users) -> None:
    here, elsewhere = app.test_client(), app.test_client()
    for browser in (here, elsewhere):
        sign_in(browser, "viewer@example.org", "viewer-pass")
    weak = here.post(
        "/account/password",
        data={"current": "viewer-pass", "password": "short", "confirm": "short"},
    )
    assert weak.status_code == 400
    assert "Use at least 12 characters." in weak.get_data(as_text=True)
    wrong = here.post(
        "/account/password",
        data={
            "current": "guess",
            "password": "a long new passphrase",
            "confirm": "a long new passphrase",
        },
    )
    assert "that is not your current password" in wrong.get_data(as_text=True)
    changed = here.post(
        "/account/password",
        data={
            "current": "viewer-pass",
            "password": "a long new passphrase",
            "confirm": "a long new passphrase",
        },
    )
    assert changed.status_code == 302
    assert here.get("/staff/").status_code == 200  # this browser stays in
    assert "/login" in elsewhere.get("/staff/").headers["Location"]
    assert _login(app.test_client(), "viewer@example.org", "viewer-pass").status_code == 400
    sign_in(app.test_client(), "viewer@example.org", "a long new passphrase")


def test_a_session_without_the_current_token_is_anonymous(app, users) -> None:
    client = app.test_client()
    sign_in(client, "admin@example.org", "admin-pass")
    with client.session_transaction() as session:
        user_id = session["_user_id"].partition(":")[0]
        session["_user_id"] = user_id  # the old format, or a forged id without the token
    assert "/login" in client.get("/admin/users").headers["Location"]
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:forged-token"
    assert "/login" in client.get("/admin/users").headers["Location"]


def _invite(admin: FlaskClient, email: str, role: str = "agency_staff", agency_code="DNS") -> str:
    response = admin.post(
        "/admin/users",
        data={
            "email": email,
            "name": "Nia O'Inspector",
            "role": role,
            "agency_id": agency(agency_code).id if agency_code else "None",
        },
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    return LINK.search(page).group(1).removeprefix("http://localhost:5000")


def test_an_invitation_sets_a_password_once(app, users) -> None:
    admin = app.test_client()
    sign_in(admin, "admin@example.org", "admin-pass")
    link = _invite(admin, "New.Inspector@Example.org")
    user = db.session.scalar(db.select(User).filter_by(email="new.inspector@example.org"))
    assert user.role == Role.AGENCY_STAFF and user.agency.code == "DNS"
    assert user.invite_token_hash and link.rsplit("/", 1)[1] not in user.invite_token_hash
    newcomer = app.test_client()
    page = newcomer.get(link)
    assert page.status_code == 200 and "Set your password" in page.get_data(as_text=True)
    mismatch = newcomer.post(link, data={"password": "correct horse battery", "confirm": "other"})
    assert mismatch.status_code == 400 and "The two passwords differ." in mismatch.get_data(
        as_text=True
    )
    done = newcomer.post(
        link, data={"password": "correct horse battery", "confirm": "correct horse battery"}
    )
    assert done.status_code == 302
    sign_in(newcomer, "new.inspector@example.org", "correct horse battery")
    assert newcomer.get("/staff/queue").status_code == 200
    again = app.test_client().get(link)
    assert again.status_code == 404
    assert "not valid or has expired" in again.get_data(as_text=True)


def test_an_expired_invitation_is_refused(app, users) -> None:
    admin = app.test_client()
    sign_in(admin, "admin@example.org", "admin-pass")
    link = _invite(admin, "late@example.org", role="viewer", agency_code=None)
    user = db.session.scalar(db.select(User).filter_by(email="late@example.org"))
    user.invite_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = app.test_client().post(
        link, data={"password": "correct horse battery", "confirm": "correct horse battery"}
    )
    assert response.status_code == 404
    assert _login(app.test_client(), "late@example.org", "correct horse battery").status_code == 400


def test_a_disabled_account_is_signed_out_at_once_and_cannot_sign_in(app, users) -> None:
    staff = app.test_client()
    sign_in(staff, "d3@example.org", "agency_staff-pass")
    admin = app.test_client()
    sign_in(admin, "admin@example.org", "admin-pass")
    response = admin.post(f"/admin/users/{users['agency_staff'].id}/disable")
    assert response.status_code == 302
    assert "/login" in staff.get("/staff/").headers["Location"]
    refused = _login(app.test_client(), "d3@example.org", "agency_staff-pass")
    assert refused.status_code == 400
    assert "Wrong e-mail or password." in refused.get_data(as_text=True)
    admin.post(f"/admin/users/{users['agency_staff'].id}/enable")
    sign_in(app.test_client(), "d3@example.org", "agency_staff-pass")


def test_production_cookies_are_secure_httponly_and_samesite(monkeypatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("PHONE_ENCRYPTION_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("PHONE_HASH_KEY", "h" * 40)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:1/db")
    config = create_app("production").config
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax" == config["REMEMBER_COOKIE_SAMESITE"]


def test_the_session_cookie_carries_the_flags(sqlite_template, tmp_path, users_in=None) -> None:
    for app in fresh_app(sqlite_template, tmp_path, SESSION_COOKIE_SECURE=True):
        from tests.factories import make_staff

        make_staff()
        response = _login(app.test_client(), "viewer@example.org", "viewer-pass")
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_every_form_post_needs_the_csrf_token(csrf_app: Flask) -> None:
    """Every POST a staff member or admin can make is refused without the form's token."""
    from tests.factories import make_staff

    make_staff()
    client = csrf_app.test_client()
    token = CSRF_TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    signed = client.post(
        "/login",
        data={"email": "admin@example.org", "password": "admin-pass", "csrf_token": token},
    )
    assert signed.status_code == 302
    posts = [
        rule
        for rule in csrf_app.url_map.iter_rules()
        if "POST" in rule.methods
        and rule.rule.startswith(("/staff", "/admin", "/account", "/login", "/logout", "/invite"))
    ]
    assert len(posts) >= 20
    for rule in posts:
        url = re.sub(r"<(?:int:|path:)?[a-z_]+>", "1", rule.rule)
        response = client.post(url, data={"anything": "x"})
        assert response.status_code == 400, url
        assert "This form expired or came from another site" in response.get_data(as_text=True)
    assert client.get("/admin/users").status_code == 200  # still signed in: nothing happened


def test_an_invitation_link_never_follows_the_request_host(app, client, users) -> None:
    """Links the app hands out are on PUBLIC_BASE_URL, whatever Host the request claimed."""
    app.config["PUBLIC_BASE_URL"] = "https://reports.example.org"
    evil = "http://evil.example"  # every request of this client claims this Host
    signed = client.post(
        "/login", data={"email": "admin@example.org", "password": "admin-pass"}, base_url=evil
    )
    assert signed.status_code == 302
    form = {"email": "new.person@example.org", "name": "New Person", "role": "viewer"}
    html = client.post("/admin/users", data=form, base_url=evil).get_data(as_text=True)
    assert "https://reports.example.org/invite/" in html
    assert "evil.example" not in html
