"""Staff accounts: sign-in with throttling, invitations, disabling, logout everywhere."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import generate_password_hash

from community.auth.passwords import password_problem, verify
from community.extensions import db
from community.models import Agency, Role, SignInThrottle, User, utcnow

log = logging.getLogger(__name__)


class AccountError(ValueError):
    """A change to an account that cannot be made; the message says why."""


@dataclass
class SignIn:
    user: User | None
    error: object = None  # a message in the visitor's language (a lazy string)


# One answer for every failure (unknown e-mail, wrong password, disabled account, too many
# tries from here): it never tells whether an address has an account or is being guessed.
WRONG = _l(
    "Wrong e-mail or password. After several wrong tries, sign-in from this device pauses "
    "for a few minutes; an admin can lift the pause."
)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))


def _keyed_hash(*parts: str) -> str:
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, "\0".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


def account_hash(email: str) -> str:
    """The throttle's name for an e-mail (never stored in clear for unknown addresses)."""
    return _keyed_hash("account", email.strip().lower())


def _throttle(email: str, address: str) -> SignInThrottle | None:
    pair = _keyed_hash("pair", email.strip().lower(), address)
    return db.session.get(SignInThrottle, pair)


def authenticate(email: str, password: str, address: str = "") -> SignIn:
    """Check the password (always hashing, even for unknown e-mails); throttle per e-mail and
    client address, so a guesser elsewhere never locks the owner out."""
    now = utcnow()
    user = find_by_email(email)
    usable = user if user is not None and user.active else None
    throttle = _throttle(email, address)
    blocked = throttle is not None and throttle.blocked_until and throttle.blocked_until > now
    correct = verify(usable, password)  # hashed even when blocked: the same time either way
    if usable is None or blocked or not correct:
        if not blocked:
            _count_failure(email, address, now)
        return SignIn(None, WRONG)
    if throttle is not None:
        db.session.delete(throttle)
    usable.last_login_at = now
    db.session.commit()
    return SignIn(usable)


def _count_failure(email: str, address: str, now: datetime) -> None:
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"])
    pair = _keyed_hash("pair", email.strip().lower(), address)
    throttle = db.session.get(SignInThrottle, pair)
    if throttle is None or throttle.first_failed_at < now - window:
        # A fresh count: failures older than the lock-out window are forgotten.
        if throttle is not None:
            db.session.delete(throttle)
            db.session.flush()
        throttle = SignInThrottle(
            pair_hash=pair, account_hash=account_hash(email), failures=0, first_failed_at=now
        )
        db.session.add(throttle)
        db.session.flush()
    # One UPDATE, so failures from parallel requests are all counted.
    db.session.execute(
        db.update(SignInThrottle)
        .where(SignInThrottle.pair_hash == pair)
        .values(failures=SignInThrottle.failures + 1)
    )
    db.session.refresh(throttle)
    if throttle.failures >= config["LOGIN_MAX_FAILURES"]:
        throttle.blocked_until = now + window
        log.warning("sign-in paused for one e-mail and address for %s", window)
    db.session.commit()


def sign_in_pauses(user: User) -> int:
    """How many addresses are paused from signing in as this user now."""
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(SignInThrottle)
        .where(
            SignInThrottle.account_hash == account_hash(user.email),
            SignInThrottle.blocked_until > utcnow(),
        )
    )


def lift_sign_in_pauses(user: User) -> None:
    """An admin's unlock: every failure count for this e-mail, from any address, is cleared."""
    db.session.execute(
        db.delete(SignInThrottle).where(SignInThrottle.account_hash == account_hash(user.email))
    )
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
    db.session.commit()


def logout_everywhere(user: User) -> None:
    user.end_sessions()
    db.session.commit()
