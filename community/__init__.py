"""The community prosecution issue tracker: create_app() is the table of contents."""

from __future__ import annotations

import os

from flask import Flask


def create_app(config_name: str | None = None, **overrides: object) -> Flask:
    """Build the app for APP_ENV (or config_name), with optional setting overrides for tests."""
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates")
    register_config(app, config_name, overrides)
    register_logging(app)
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_operations(app)
    register_template_filters(app)
    register_errorhandlers(app)
    register_cli(app)
    return app


def register_config(app: Flask, config_name: str | None, overrides: dict) -> None:
    from config import config_for

    settings = config_for(config_name or os.environ.get("APP_ENV"))
    settings.validate()
    app.config.from_object(settings)
    app.config.update(overrides)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        os.makedirs(app.instance_path, exist_ok=True)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_logging(app: Flask) -> None:
    from community.logging_setup import configure_logging

    configure_logging(app)


def register_extensions(app: Flask) -> None:
    from community import database, i18n
    from community.auth.session import init_login
    from community.extensions import babel, csrf, db, limiter, migrate
    from community.migration_hooks import MIGRATE_OPTIONS

    db.init_app(app)
    database.init_app(app)
    migrations = os.path.join(app.root_path, "..", "migrations")
    migrate.init_app(app, db, directory=migrations, **MIGRATE_OPTIONS)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    limiter.init_app(app)
    init_login(app)


def register_security(app: Flask) -> None:
    from community.security import headers

    headers.init_app(app)


def register_blueprints(app: Flask) -> None:
    from community.admin.routes import bp as admin_bp
    from community.auth.routes import bp as auth_bp
    from community.basemap.routes import bp as basemap_bp
    from community.exports.routes import bp as exports_bp
    from community.intake.routes import bp as intake_bp
    from community.intake.sms_routes import bp as sms_bp
    from community.metrics.routes import bp as metrics_bp
    from community.open311.routes import bp as open311_bp
    from community.public.routes import bp as public_bp
    from community.reports.routes import bp as reports_bp
    from community.retention.routes import bp as retention_bp
    from community.staff.routes import bp as staff_bp
    from community.status.routes import bp as status_bp
    from community.triage.routes import bp as triage_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(intake_bp)
    app.register_blueprint(sms_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(reports_bp, url_prefix="/staff/reports")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(retention_bp, url_prefix="/admin")
    app.register_blueprint(status_bp)
    app.register_blueprint(basemap_bp)
    app.register_blueprint(open311_bp, url_prefix="/open311")
    app.register_blueprint(exports_bp, url_prefix="/exports")
    app.register_blueprint(metrics_bp, url_prefix="/metrics")
    app.register_blueprint(triage_bp, url_prefix="/staff/triage")


def register_operations(app: Flask) -> None:
    from community.ops.setup import init_app

    init_app(app)


def register_template_filters(app: Flask) -> None:
    from community import filters

    filters.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from community.errors import init_app

    init_app(app)


def register_cli(app: Flask) -> None:
    from community.cli import init_app

    init_app(app)
