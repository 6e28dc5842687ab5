"""/readyz for load balancers and orchestrators, /ops/metrics for Prometheus."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, current_app, jsonify, request

from community.extensions import csrf, limiter

bp = Blueprint("ops", __name__)


@bp.route("/readyz")
@limiter.exempt
def readyz():
    """200 when the database and (if configured) Redis answer; 503 otherwise."""
    from community.ops.health import readiness

    body, ready = readiness()
    return jsonify(body), 200 if ready else 503


def _authorised(token: str) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


@bp.route("/ops/metrics")
@limiter.exempt
@csrf.exempt
def metrics():
    """Prometheus text format; 404 when OPS_METRICS_TOKEN is unset, 401 without it."""
    from community.ops.metrics import exposition

    token = current_app.config.get("OPS_METRICS_TOKEN")
    if not token:
        abort(404)
    if not _authorised(token):
        return Response(
            "a bearer token is required\n",
            status=401,
            mimetype="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    body, content_type = exposition(current_app._get_current_object())
    response = Response(body, content_type=content_type)
    response.cache_control.no_store = True
    return response
