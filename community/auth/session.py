"""Flask-Login set-up and the role decorator every staff view uses."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Any

from flask import Flask, abort, g
from flask_login import current_user, login_required

from community.extensions import db, login
from community.models import Role, User


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
    return user


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
