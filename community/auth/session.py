"""Flask-Login set-up, staff sessions kept on the server, and the role decorator."""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from flask import Flask, abort, current_app, g, session
from flask_login import current_user, login_required, login_user, logout_user

from community.extensions import db, login
from community.models import Role, StaffSession, User, utcnow
from community.models.staff_session import hash_session_token

SESSION_KEY = "_sid"  # the cookie's name for its server-side session
KEPT_ON_SIGN_OUT = ("lang",)  # the visitor's language survives signing out


def init_login(app: Flask) -> None:
    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = "Please sign in to see that page."
    login.session_protection = "strong"
    login.user_loader(load_user)
    app.before_request(_forget_cached_user)


def _forget_cached_user() -> None:
    # Flask-Login caches the user on `g`, which lives as long as the app context. A request
    # pushed inside an existing app context (tests, scripts) would otherwise inherit the user
    # of an earlier request: every request reads its own session instead.
    g.pop("_login_user", None)


def load_user(session_id: str) -> User | None:
    """The user a session names, if the account is active and the session was not ended.

    The session holds "id:token"; a new token on the user (logout everywhere, disable, password
    or role change) makes every older session anonymous at its next request.
    """
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    record = _session_record()
    if record is None or record.user_id != user.id or not record.live(utcnow()):
        return None
    return user


def _session_record() -> StaffSession | None:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        return None
    return db.session.scalar(
        db.select(StaffSession).filter_by(token_hash=hash_session_token(token))
    )


def start_session(user: User) -> None:
    """Sign the user in on this browser with a new server-side session (a fresh cookie)."""
    now = utcnow()
    lifetime = current_app.permanent_session_lifetime
    # Housekeeping: this user's ended and expired sessions are of no further use.
    db.session.execute(
        db.delete(StaffSession).where(
            StaffSession.user_id == user.id,
            (StaffSession.ended_at.is_not(None)) | (StaffSession.expires_at <= now),
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        StaffSession(
            token_hash=hash_session_token(token), user_id=user.id, expires_at=now + lifetime
        )
    )
    db.session.commit()
    _clear_cookie_session()  # nothing from before sign-in (an old CSRF secret) carries over
    session[SESSION_KEY] = token
    session.permanent = True  # the cookie, and its CSRF tokens, expire with the session
    login_user(user)


def end_session() -> None:
    """Sign this browser out on the server: its cookie, even replayed, is anonymous from now."""
    record = _session_record()
    if record is not None and record.ended_at is None:
        record.ended_at = utcnow()
        db.session.commit()
    logout_user()
    _clear_cookie_session()


def _clear_cookie_session() -> None:
    kept = {key: session[key] for key in KEPT_ON_SIGN_OUT if key in session}
    session.clear()
    session.update(kept)


def roles_required(*roles: Role) -> Callable:
    """Require a signed-in, active user with one of the roles (403 otherwise)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
