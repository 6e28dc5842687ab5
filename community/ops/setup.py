"""Wiring of the operations endpoints into an app."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """/readyz always; /ops/metrics and request timing only when OPS_METRICS_TOKEN is set."""
    from community.ops.routes import bp

    app.register_blueprint(bp)
    if app.config.get("OPS_METRICS_TOKEN"):
        from community.ops.metrics import instrument

        instrument(app)
