"""The home page and the load balancer's health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from community.extensions import db, limiter

bp = Blueprint("public", __name__)


@bp.route("/")
def home():
    return render_template("public/home.html")


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """200 when the database answers; 503 otherwise."""
    try:
        db.session.execute(db.text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)
