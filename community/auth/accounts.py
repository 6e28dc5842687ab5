"""Staff accounts: sign-in with lock-out, invitations, disabling, logout everywhere."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from werkzeug.security import generate_password_hash

from community.auth.passwords import password_problem, verify
from community.extensions import db
from community.models import Agency, Role, User, utcnow

log = logging.getLogger(__name__)


class AccountError(ValueError):
    """A change to an account that cannot be made; the message says why."""


@dataclass
class SignIn:
    user: User | None
    error: str | None = None


WRONG = "Wrong e-mail or password."


def _locked_message(until: datetime) -> str:
    minutes = max(1, int((until - utcnow()).total_seconds() // 60) + 1)
    return (
        "This account is locked after too many failed sign-ins. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, or ask an admin."
    )


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))


def authenticate(email: str, password: str) -> SignIn:
    """Check the password (always hashing, even for unknown e-mails); count failures."""
    user = find_by_email(email)
    usable = user if user is not None and user.active else None
    locked = usable is not None and usable.locked_until and usable.locked_until > utcnow()
    correct = verify(usable, password)  # hashed even when locked: the same time either way
    if usable is None:
        return SignIn(None, WRONG)
    if locked:
        return SignIn(None, _locked_message(usable.locked_until))
    if not correct:
        _count_failure(usable)
        return SignIn(None, WRONG)
    usable.failed_logins = 0
    usable.locked_until = None
    usable.last_login_at = utcnow()
    db.session.commit()
    return SignIn(usable)


def _count_failure(user: User) -> None:
    # One UPDATE, so failures from parallel requests are all counted.
    db.session.execute(
        db.update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
    )
    db.session.refresh(user)
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
        user.locked_until = utcnow() + timedelta(minutes=minutes)
        user.failed_logins = 0
        log.warning("staff account %s locked for %s minutes", user.id, minutes)
    db.session.commit()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_invite(user: User) -> str:
    token = secrets.token_urlsafe(32)
    user.invite_token_hash = _token_hash(token)
    user.invite_expires_at = utcnow() + timedelta(hours=current_app.config["INVITE_TTL_HOURS"])
    return token


def _check_role_agency(role: Role, agency_id: int | None) -> Agency | None:
    agency = db.session.get(Agency, agency_id) if agency_id else None
    if agency_id and (agency is None or not agency.active):
        raise AccountError("Agency: no such active agency.")
    if role == Role.AGENCY_STAFF and agency is None:
        raise AccountError("Agency: agency staff must belong to an agency.")
    return agency


def invite(email: str, name: str, role: Role, agency_id: int | None) -> tuple[User, str]:
    """Create an account that has no usable password yet; returns it and the one-time token."""
    email = email.strip().lower()
    if find_by_email(email) is not None:
        raise AccountError(f"E-mail: {email} already has an account.")
    agency = _check_role_agency(role, agency_id)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        agency_id=agency.id if agency else None,
        # Nobody knows this password: the account is usable only through the invitation.
        password_hash=generate_password_hash(secrets.token_urlsafe(32), method="scrypt"),
    )
    token = _new_invite(user)
    db.session.add(user)
    db.session.commit()
    return user, token


def reinvite(user: User) -> str:
    """A fresh invitation (a password reset): the old password and sessions stop working."""
    user.password_hash = generate_password_hash(secrets.token_urlsafe(32), method="scrypt")
    user.end_sessions()
    token = _new_invite(user)
    db.session.commit()
    return token


def user_for_invite(token: str) -> User | None:
    """The account an unexpired, unused invitation token belongs to."""
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(db.select(User).filter_by(invite_token_hash=_token_hash(token)))
    if user is None or user.invite_expires_at is None or user.invite_expires_at < utcnow():
        return None
    return user


def accept_invite(token: str, password: str) -> User:
    """Set the password from an invitation; the token works once."""
    user = user_for_invite(token)
    if user is None or not user.active:
        raise AccountError("This invitation link is not valid or has expired.")
    set_password(user, password)
    user.invite_token_hash = None
    user.invite_expires_at = None
    user.failed_logins = 0
    user.locked_until = None
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    """Change the password and sign the user out everywhere else."""
    if problem := password_problem(password, user.email):
        raise AccountError(f"Password: {problem}")
    user.set_password(password)
    user.end_sessions()


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise AccountError("Current password: that is not your current password.")
    set_password(user, new)
    db.session.commit()


def update(user: User, actor: User, name: str, role: Role, agency_id: int | None) -> None:
    """Change name, role or agency; a new role or agency ends the user's sessions."""
    agency = _check_role_agency(role, agency_id)
    if user.id == actor.id and role != Role.ADMIN:
        raise AccountError("Role: you cannot take away your own admin role.")
    changed = user.role != role or user.agency_id != (agency.id if agency else None)
    user.name = name.strip()
    user.role = role
    user.agency_id = agency.id if agency else None
    if changed:
        user.end_sessions()
    db.session.commit()


def set_active(user: User, actor: User, active: bool) -> None:
    """Disable (sessions end at once) or enable an account."""
    if user.id == actor.id and not active:
        raise AccountError("You cannot disable your own account.")
    user.active = active
    user.end_sessions()
    if active:
        user.failed_logins = 0
        user.locked_until = None
    db.session.commit()


def logout_everywhere(user: User) -> None:
    user.end_sessions()
    db.session.commit()
