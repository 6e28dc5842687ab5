"""/metrics for staff (everything) and /metrics/public for anyone (no places, no people)."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_login import current_user

from community.auth.session import roles_required
from community.evaluation.csvfile import lines
from community.evaluation.service import evaluate_since, hotspots_of_agency
from community.extensions import limiter
from community.metrics.charts import metrics_charts
from community.metrics.public import public_summary
from community.metrics.service import build_metrics
from community.models import Role, utcnow
from community.params import whole_number

bp = Blueprint("metrics", __name__)

STAFF = (Role.ADMIN, Role.PROSECUTOR, Role.AGENCY_STAFF, Role.VIEWER)
PERIODS = (30, 90, 180, 365)


def hours(value: float | None) -> str:
    """A duration for people: hours under two days, else days."""
    if value is None:
        return "—"
    if value < 48:
        return f"{value:.1f} h"
    return f"{value / 24:.1f} days"


@bp.context_processor
def _helpers() -> dict:
    return {"hours": hours, "periods": PERIODS}


def _days() -> int:
    days = whole_number(request.args.get("days", "90"), "days") or 90
    if days not in PERIODS:
        abort(400, description="Choose a period of 30, 90, 180 or 365 days.")
    return days


@bp.route("/")
@roles_required(*STAFF)
def staff():
    # Agency staff are refused other agencies' hotspots: their repeat addresses too.
    agency_only = None
    if current_user.role == Role.AGENCY_STAFF:
        agency_only = current_user.agency_id or -1  # no agency: no places, never all of them
    metrics = build_metrics(_days(), places_of_agency=agency_only)
    return render_template(
        "metrics/staff.html", m=metrics, charts=metrics_charts(metrics), public=False
    )


@bp.route("/evaluations.csv")
@roles_required(*STAFF)
def evaluations_csv():
    """Every response of the period evaluated, one CSV line each, streamed as made."""
    now = utcnow()
    found = evaluate_since(now - timedelta(days=_days()), now)
    if current_user.role == Role.AGENCY_STAFF:
        # Hotspot ids of other agencies' places are not theirs to see, as on the hotspot pages.
        theirs = hotspots_of_agency(current_user.agency_id)
        found = [e for e in found if e.response.hotspot_id in theirs]
    return Response(
        stream_with_context(lines(found)),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=evaluations-{now:%Y-%m-%d}.csv"},
    )


def _public_limit() -> str:
    return current_app.config["PUBLIC_METRICS_LIMIT"]


@bp.route("/public")
@limiter.limit(
    _public_limit, error_message="Too many requests. Please wait a minute and try again."
)
def public():
    metrics, charts = public_summary(_days())
    return render_template("metrics/public.html", m=metrics, charts=charts, public=True)
