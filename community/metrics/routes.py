"""/metrics for staff (everything) and /metrics/public for anyone (no places, no people)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from community.auth.session import roles_required
from community.extensions import limiter
from community.metrics.charts import metrics_charts
from community.metrics.public import public_summary
from community.metrics.service import build_metrics
from community.models import Role

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
    raw = request.args.get("days", "90")
    if not raw.isdigit() or int(raw) not in PERIODS:
        abort(400, description="Choose a period of 30, 90, 180 or 365 days.")
    return int(raw)


@bp.route("/")
@roles_required(*STAFF)
def staff():
    metrics = build_metrics(_days())
    return render_template(
        "metrics/staff.html", m=metrics, charts=metrics_charts(metrics), public=False
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
