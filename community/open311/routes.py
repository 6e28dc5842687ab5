"""Open311 GeoReport v2 at /open311/v2/ (JSON or XML by the URL's extension) and key admin.

Routes stay thin: parameters go to the catalog, query and submit services; every refusal is
an Open311Error rendered in the specification's error format with its HTTP status.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, request, url_for
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from community.extensions import csrf, db, limiter
from community.open311 import catalog, query, submit
from community.open311.errors import Open311Error, error_response
from community.open311.formats import respond
from community.open311.keys import check_key
from community.open311.keys_routes import bp as keys_bp

log = logging.getLogger(__name__)

bp = Blueprint("open311", __name__)
api = Blueprint("api", __name__)
FMT = "<any(json,xml):fmt>"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def _fmt() -> str:
    return "xml" if request.path.endswith(".xml") else "json"


def _jurisdiction() -> str:
    from community.places.city import current_city

    return current_app.config.get("OPEN311_JURISDICTION_ID") or current_city().slug


@api.before_request
def _check_jurisdiction() -> None:
    given = request.values.get("jurisdiction_id")
    if given and given != _jurisdiction():
        raise Open311Error(404, f"jurisdiction_id {given!r} was not found.")


@api.errorhandler(Open311Error)
def _open311_error(error: Open311Error):
    db.session.rollback()  # a refused request leaves nothing half-written
    return error_response(error.status, error.description, _fmt())


@api.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    db.session.rollback()
    code = error.code or 500
    description = {
        404: "Not found. The API answers at /open311/v2/services.json, requests.json, ... "
        "(or .xml).",
        405: "That method is not allowed here.",
        413: "The request is too large.",
        429: "Too many requests: slow down and try again later.",
    }.get(code, error.description or "The request could not be processed.")
    return error_response(code, description, _fmt())


@api.errorhandler(OperationalError)
def _database_down(error: OperationalError):
    """The database is restarting: nothing was saved; the client should try again."""
    db.session.rollback()
    log.warning("database unavailable on %s %s", request.method, request.path)
    response = error_response(503, "Service unavailable for a moment; please try again.", _fmt())
    response.headers["Retry-After"] = "30"
    return response


@api.errorhandler(Exception)
def _unexpected(error: Exception):
    db.session.rollback()
    log.exception("Open311 error on %s %s", request.method, request.path)
    return error_response(500, "Something went wrong on our side; please try again.", _fmt())


def discovery(fmt: str):
    """The discovery document: where the API is and what it speaks."""
    # Never from the request's Host header, which the client chooses: the configured address.
    public = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    base = public + url_for("open311.api.services", fmt="json").rsplit("/", 1)[0]
    document = {
        "changeset": "2026-11-28T00:00:00Z",
        "contact": current_app.config.get("OPEN311_CONTACT") or "",
        "key_service": "API keys for posting requests are issued by the city's administrators.",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": "2026-11-28T00:00:00Z",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(document, fmt, "discovery")


api.add_url_rule(f"/discovery.{FMT}", "discovery", discovery)
bp.add_url_rule(f"/discovery.{FMT}", "discovery", discovery)


@api.route(f"/services.{FMT}")
def services(fmt: str):
    lang = request.args.get("lang", "en")
    return respond(catalog.service_list(lang if lang in ("en", "es") else "en"), fmt, "services")


@api.route(f"/services/<code>.{FMT}")
def service_definition(code: str, fmt: str):
    return respond(catalog.service_definition(code), fmt, "service_definition")


def _post_limit() -> str:
    return current_app.config["OPEN311_POST_LIMIT"]


def _client_address() -> str:
    """POST limits count per client address: a client inventing a new api_key on every
    request (each one wrong) must be limited all the same."""
    return "addr:" + (request.remote_addr or "")


@api.route(f"/requests.{FMT}", methods=["GET"])
def requests_list(fmt: str):
    found = query.find_requests(query.parse_query(request.args))
    return respond(found, fmt, "service_requests")


@api.route(f"/requests.{FMT}", methods=["POST"])
@limiter.limit(_post_limit, key_func=_client_address)
def requests_create(fmt: str):
    key = check_key(request.form.get("api_key"))
    created = submit.create_request(
        request.form, key, request.headers.get("Idempotency-Key") or None
    )
    return respond(created, fmt, "service_requests")


@api.route(f"/requests/<service_request_id>.{FMT}")
def request_one(service_request_id: str, fmt: str):
    return respond(query.find_request(service_request_id), fmt, "service_requests")


@api.route(f"/tokens/<token>.{FMT}")
def token(token: str, fmt: str):
    return respond(submit.find_token(token), fmt, "service_requests")


@api.route("/<path:rest>", methods=["GET", "POST"])
def unknown(rest: str):
    raise Open311Error(
        404,
        "Not found. The API answers at /open311/v2/services.json, requests.json, ... (or .xml).",
    )


def _get_limit() -> str:
    return current_app.config["OPEN311_GET_LIMIT"]


# Reads are anonymous and some (requests.json, 1000 rows) are costly: every GET a client makes
# to the API counts against one allowance per address. POSTs keep their own per-key limit.
limiter.shared_limit(_get_limit, scope="open311-get", methods=["GET"])(api)
csrf.exempt(api)
bp.register_blueprint(api, url_prefix="/v2")
bp.register_blueprint(keys_bp, url_prefix="/keys")
