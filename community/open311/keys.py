"""API keys for Open311 clients: created by admins, stored as SHA-256, checked on every POST."""

from __future__ import annotations

import hmac

from community.extensions import db
from community.models import ApiKey, User, utcnow
from community.models.apikey import hash_key, new_token
from community.open311.errors import Open311Error

NAME_MAX = 120


def create_key(name: str, created_by: User | None = None) -> tuple[ApiKey, str]:
    """A new active key; returns the row and the token (shown once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise ValueError("Name the client this key is for.")
    if len(name) > NAME_MAX:
        raise ValueError(f"Keep the name under {NAME_MAX} characters.")
    token = new_token()
    key = ApiKey(
        name=name,
        key_hash=hash_key(token),
        key_prefix=token[:8],
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(key)
    db.session.commit()
    return key, token


def revoke_key(key: ApiKey) -> None:
    """Stop a key working at once (kept for the record of who used the API)."""
    key.active = False
    key.revoked_at = utcnow()
    db.session.commit()


def check_key(token: str | None) -> ApiKey:
    """The active key for a token, its last use noted; Open311Error 403 otherwise."""
    if not token:
        raise Open311Error(403, "api_key was not provided.")
    digest = hash_key(token)
    key = db.session.scalar(db.select(ApiKey).filter_by(key_hash=digest))
    # The lookup is by hash; the comparison below only guards against a collation surprise.
    if key is None or not key.active or not hmac.compare_digest(key.key_hash, digest):
        raise Open311Error(403, "api_key is not valid.")
    key.last_used_at = utcnow()
    return key
