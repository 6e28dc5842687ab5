"""Security headers on every response, set in one place (after_request).

Our own few lines rather than Flask-Talisman: the policy is a handful of constant headers plus
two per-request rules (geolocation only on the report page, no-store for staff), Talisman
would add HTTPS redirects and session-cookie settings that config.py and the TLS proxy already
own, and one more dependency to pin. The pages need no inline script or style: every script
and stylesheet is a file under /static, so the policy allows 'self' only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask_login import current_user

# The report page's "use my location" button is the only use of the browser's position.
GEOLOCATION_ENDPOINTS = frozenset({"intake.report"})
# A standalone HTML document (the meeting report's preview) carries its stylesheet inside it
# and runs no script: styles inline, nothing else, no fetches.
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def content_security_policy(tile_url: str | None) -> str:
    """The policy for the app's pages: only our own files; tiles from TILE_URL's origin."""
    images = ["'self'", "data:"]
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        if parts.scheme and parts.netloc:
            host = parts.netloc
            # Leaflet's {s} picks a subdomain (a., b., c.) per tile: allow the whole family.
            if "{s}" in tile_url:
                host = "*." + host.split(".", 1)[1] if "." in host else host
            images.append(f"{parts.scheme}://{host}")
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {' '.join(images)}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def permissions_policy(endpoint: str | None) -> str:
    """No camera or microphone anywhere; the position only where the resident asks for it."""
    geolocation = "(self)" if endpoint in GEOLOCATION_ENDPOINTS else "()"
    return f"geolocation={geolocation}, camera=(), microphone=(), payment=(), usb=()"


def standalone_document(response: Response) -> Response:
    """Give a self-contained HTML document its own policy (inline styles, no script)."""
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    return response


def _is_staff_response(response: Response) -> bool:
    """A signed-in staff member's page or data: nothing of it may be kept by any cache."""
    if request.endpoint == "static":
        return False
    return bool(current_user.is_authenticated)


def set_headers(response: Response) -> Response:
    """Add the security headers (and staff cache rules) to one response."""
    headers = response.headers
    # A view may have chosen a policy suited to its document (a downloaded map, a preview).
    headers.setdefault("Content-Security-Policy", current_app.config["CSP"])
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    # /status/<case> carries a case number: no URL of ours leaves the site in a Referer.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers["Permissions-Policy"] = permissions_policy(request.endpoint)
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("HSTS_MAX_AGE"):
        headers["Strict-Transport-Security"] = (
            f"max-age={current_app.config['HSTS_MAX_AGE']}; includeSubDomains"
        )
    if _is_staff_response(response) and not response.cache_control.private:
        # A view that chose a private cache (a resident's photo) keeps it; all else: no-store.
        response.cache_control.no_store = True
        response.cache_control.public = False
        response.cache_control.max_age = None
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    """Compute the policy once from the settings and add the headers to every response."""
    app.config.setdefault("CSP", content_security_policy(app.config.get("TILE_URL")))
    app.after_request(set_headers)
