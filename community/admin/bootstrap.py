"""The first admin (or another) made from the command line: a password or an invitation."""

from __future__ import annotations

import re
import secrets

from werkzeug.security import generate_password_hash

from community.auth import accounts
from community.auth.passwords import password_problem
from community.extensions import db
from community.models import Role, User

EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


class BootstrapError(ValueError):
    """The account cannot be made; the message says why, for the person at the terminal."""


def _checked_email(email: str) -> str:
    address = (email or "").strip().lower()
    if not EMAIL_RE.match(address) or len(address) > 200:
        raise BootstrapError(f"{email!r} is not an e-mail address")
    if accounts.find_by_email(address) is not None:
        raise BootstrapError(
            f"{address} already has an account; an admin can send it a new invitation "
            "from /admin/users (or choose another address)"
        )
    return address


def _default_name(address: str) -> str:
    return address.split("@", 1)[0][:120]


def create_admin(email: str, password: str, name: str | None = None) -> User:
    """An active admin account with this password, checked against the app's password rules."""
    address = _checked_email(email)
    if problem := password_problem(password, address):
        raise BootstrapError(f"password refused: {problem}")
    user = User(
        email=address,
        name=(name or _default_name(address)).strip(),
        role=Role.ADMIN,
        password_hash=generate_password_hash(secrets.token_urlsafe(32), method="scrypt"),
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def invite_admin(email: str, name: str | None = None) -> tuple[User, str]:
    """An admin account usable only through a one-time invitation; returns it and the token."""
    address = _checked_email(email)
    try:
        return accounts.invite(address, name or _default_name(address), Role.ADMIN, None)
    except accounts.AccountError as exc:
        db.session.rollback()
        raise BootstrapError(str(exc)) from exc
