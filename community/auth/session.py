"""Flask-Login set-up and the role decorator every staff view uses."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, abort
from flask_login import current_user, login_required

from community.extensions import db, login
from community.models import Role, User


def init_login(app: Flask) -> None:
    login.init_app(app)
    login.login_view = "auth.login"
    login.session_protection = "strong"
    login.user_loader(_load_user)


def _load_user(user_id: str) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except ValueError:
        return None


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
