"""Absolute URLs of the app, from PUBLIC_BASE_URL: never from a request's Host header.

A link the app hands out (an invitation, the web form's address in a text) must not point
wherever the request that made it claimed to be (Host is the client's to choose).
"""

from __future__ import annotations

from flask import current_app, url_for

DEV_BASE_URL = "http://localhost:5000"  # `make run`'s address, when PUBLIC_BASE_URL is unset


def absolute_url(endpoint: str, **values: object) -> str:
    """url_for(endpoint) on PUBLIC_BASE_URL (in development, on localhost:5000)."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or DEV_BASE_URL).rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, **values, _external=True)
