"""Password hashing that takes the same time whether or not the account exists."""

from __future__ import annotations

import functools

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from community.models import User


@functools.cache
def _decoy_hash() -> str:
    # Made once per process with the same scheme as real hashes, so checking it costs the same.
    return generate_password_hash("decoy password never used", method="scrypt")


def verify(user: User | None, password: str) -> bool:
    """Check a password; with no (usable) account, check a decoy so timing reveals nothing."""
    if user is None:
        check_password_hash(_decoy_hash(), password)
        return False
    return user.check_password(password)


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is refused, or None."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return f"Use at least {minimum} characters."
    if len(password) > 200:
        return "Use at most 200 characters."
    if email and password.strip().lower() == email.strip().lower():
        return "Do not use your e-mail address as your password."
    if len(set(password)) < 4:
        return "Use more different characters."
    return None
