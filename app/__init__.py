"""The Flask application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

import config

csrf = CSRFProtect()


def create_app(
    test_config: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Flask:
    """Build the app from ``ESERVICE_*`` settings (``env``), with optional Flask overrides."""
    from app import auth, cli, db, throttle
    from filings.uploads import UploadRequest
    from storage import from_url

    settings = config.load(env, overrides=test_config)
    app = Flask(__name__, instance_path=str(settings.data_dir))
    app.request_class = UploadRequest
    app.config.from_mapping(settings.to_flask())
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO)

    storage = from_url(settings.storage_url)
    if settings.env == "production":
        from app.backends import check_backends

        check_backends(settings, storage)
    db.init_app(app, settings.database_url)
    if settings.job_runner == "thread":
        from app.schedule import SCHEDULE
        from workers import local

        local.init_app(app, SCHEDULE)
    app.extensions["eservice.storage"] = storage
    csrf.init_app(app)
    throttle.init_app(app)
    auth.login_manager.init_app(app)
    _register_blueprints(app)
    cli.init_app(app)
    _register_pages(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from app.account import bp as account_bp
    from app.admin import bp as admin_bp
    from app.auth import bp as auth_bp
    from filings.api import bp as api_bp
    from filings.views import bp as filings_bp
    from registration.views import bp as registration_bp

    csrf.exempt(api_bp)  # token-authenticated, no cookies: CSRF does not apply
    for bp in (auth_bp, account_bp, admin_bp, registration_bp, filings_bp, api_bp):
        app.register_blueprint(bp)


def _register_pages(app: Flask) -> None:
    from registration.anumbers import format_a_number
    from registration.services import is_verified_attorney

    app.jinja_env.filters["a_number"] = format_a_number

    @app.route("/")
    def home() -> Any:
        if not current_user.is_authenticated:
            return render_template("home.html")
        if current_user.is_staff:
            if current_user.office_id:
                return redirect(url_for("filings.inbox"))
            return redirect(url_for("registration.queue"))
        if is_verified_attorney(current_user):
            return redirect(url_for("filings.index"))
        return redirect(url_for("registration.status"))

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
        )
        if request.blueprint != "api" and current_user and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        return render_template(
            "error.html",
            title="The form expired",
            message="The page was open too long or came from elsewhere. "
            "Go back, reload the page and submit again.",
        ), 400

    @app.errorhandler(404)
    def not_found(_exc: Exception) -> Any:
        return render_template(
            "error.html",
            title="Page not found",
            message="There is nothing here, or it is not yours to see.",
        ), 404

    @app.errorhandler(413)
    def too_large(_exc: Exception) -> Any:
        settings = app.config["ESERVICE"]
        return render_template(
            "error.html",
            title="Upload too large",
            message=f"A document set may be at most {settings.max_filing_mb} "
            "MB in all. Nothing was served. Split the documents into two or "
            "more sets.",
        ), 413
