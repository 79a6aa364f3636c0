"""The Flask application factory."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

import config

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'"
)
# Production is served over HTTPS only (ESERVICE_BASE_URL must be https://): browsers are told
# to use nothing else for a year, on every subdomain too.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def create_app(
    test_config: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Flask:
    """Build the app from ``ESERVICE_*`` settings (``env``), with optional Flask overrides."""
    from app import assets, auth, cli, converters, db, denials, display, errors, throttle
    from filings.uploads import UploadRequest
    from storage import from_url

    settings = config.load(env, overrides=test_config)
    app = Flask(__name__, instance_path=str(settings.data_dir))
    app.request_class = UploadRequest
    converters.init_app(app)  # before any route is added
    if settings.trusted_proxies:
        # The client address (and scheme) as the trusted proxies give it; with none trusted, a
        # header anyone can send changes nothing.
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]
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
    display.init_app(app)
    assets.init_app(app, os.environ if env is None else env)
    errors.init_app(app)
    denials.init_app(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from app.account import bp as account_bp
    from app.admin import bp as admin_bp
    from app.auth import bp as auth_bp
    from filings.api import bp as api_bp
    from filings.receipt_views import bp as receipts_bp
    from filings.verify_views import bp as verify_bp
    from filings.views import bp as filings_bp
    from registration.views import bp as registration_bp

    csrf.exempt(api_bp)  # token-authenticated, no cookies: CSRF does not apply
    for bp in (
        auth_bp,
        account_bp,
        admin_bp,
        registration_bp,
        filings_bp,
        api_bp,
        receipts_bp,
        verify_bp,
    ):
        app.register_blueprint(bp)


def _register_pages(app: Flask) -> None:
    from app import reauth, sessions, shell
    from registration.anumbers import format_a_number
    from registration.services import is_verified_attorney

    app.jinja_env.filters["a_number"] = format_a_number
    shell.init_app(app)

    @app.route("/")
    def home() -> Any:
        if not current_user.is_authenticated:
            return render_template("home.html")
        wanted = session.pop(sessions.NEXT_KEY, None)  # asked for before a second factor
        if wanted:
            return redirect(reauth.safe_next(wanted, url_for("home")))
        if current_user.is_staff:
            if current_user.office_id:
                return redirect(url_for("filings.inbox"))
            return redirect(url_for("registration.queue"))
        if is_verified_attorney(current_user):
            return redirect(url_for("filings.index"))
        return redirect(url_for("registration.status"))

    production = app.config["ESERVICE"].env == "production"

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if production:
            response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
        if request.blueprint == "api" or request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"  # tokens, filings, A-Numbers
        elif current_user and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response
