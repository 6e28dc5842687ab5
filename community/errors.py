"""Error pages: every failure is a clear page (or JSON for API clients), never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from community.extensions import db

log = logging.getLogger(__name__)
MAX_ID = 2**63 - 1  # SQLite's INTEGER; a larger <int:...> in a URL cannot name a row

# In the visitor's language (community/translations): the page's heading for each code.
FRIENDLY = {
    400: _l("We could not understand that request."),
    403: _l("You do not have access to this page."),
    404: _l("We could not find that page."),
    405: _l("That action is not allowed here."),
    413: _l("That upload is too large."),
    429: _l("Too many requests. Please wait a minute and try again."),
    500: _l("Something went wrong on our side. Your report was not lost; please try again."),
    503: _l("We are restarting and could not save this. Please send it again in a minute."),
}
CSRF_EXPIRED = _l("This form expired or came from another site. Reload the page and try again.")
RETRY_AFTER_S = 30


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith(("/api/", "/open311/")) or best == "application/json"


def _respond(code: int, description: str | None):
    title = str(FRIENDLY.get(code, _l("Something went wrong.")))
    # A view's own explanation, translated when the catalogue knows it.
    detail = gettext(str(description)) if description else None
    if _wants_json():
        return jsonify(error=detail or title, status=code), code
    page = render_template(
        "errors/error.html", code=code, title=title, detail=detail if detail != title else None
    )
    return page, code


def _http_error(error: HTTPException):
    # Werkzeug's default descriptions are technical; ours are written for people.
    default = type(error).description
    custom = error.description if error.description != default else None
    return _respond(error.code or 500, custom)


def _csrf_error(error: CSRFError):
    return _respond(400, str(CSRF_EXPIRED))


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    db.session.rollback()  # never leave a half-written row behind
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _respond(500, None)


def _database_down(error: OperationalError):
    """The database dropped the connection (a restart, a fail-over): nothing was saved, say so."""
    db.session.rollback()
    log.warning("database unavailable on %s %s: %s", request.method, request.path, error.orig)
    response = make_response(_respond(503, None))
    response.headers["Retry-After"] = str(RETRY_AFTER_S)  # clients and Twilio try again
    return response


def _out_of_range(error: Exception):
    """An id in the URL too large for any database integer: there is no such page."""
    db.session.rollback()
    too_large = any(
        isinstance(value, int) and value > MAX_ID for value in (request.view_args or {}).values()
    )
    return _respond(404, None) if too_large else _unexpected(error)


def init_app(app: Flask) -> None:
    app.register_error_handler(OverflowError, _out_of_range)
    app.register_error_handler(DataError, _out_of_range)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _unexpected)
    app.register_error_handler(Exception, _unexpected)
