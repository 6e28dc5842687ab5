"""Where the soak's simulated users send their requests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """The deployment under test and the credentials the simulated users need."""

    base_url: str  # http://127.0.0.1:PORT, gunicorn serving wsgi:app
    staff_email: str  # a prosecutor's account
    staff_password: str
    api_key: str  # an Open311 API key allowed to POST
    proxied: bool = True  # send X-Forwarded-Proto/For as the TLS proxy would (TRUSTED_PROXIES=1)
