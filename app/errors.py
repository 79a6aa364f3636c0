"""Error answers: a page for people, JSON for the API (anything under /api/, including an
address no route matches), and the denials among them audited (app/denials.py)."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from app import denials


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(404, not_found)
    app.register_error_handler(413, too_large)
    app.register_error_handler(HTTPException, other)


def _for_api() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _api_error(code: str, message: str, status: int) -> Any:
    from filings.api import error

    return error(code, message, status)


def csrf_error(exc: CSRFError) -> Any:
    denials.record_csrf_failure(exc.description or "CSRF check failed")
    return render_template(
        "error.html",
        title="The form expired",
        message="Your session may have ended, or the page was open too long (or the form came "
        "from another site). Nothing was sent. Go back, reload the page and submit again.",
    ), 400


def not_found(_exc: Exception) -> Any:
    if _for_api():
        return _api_error("not_found", "There is nothing at this address.", 404)
    return render_template(
        "error.html",
        title="Page not found",
        message="There is nothing here, or it is not yours to see.",
    ), 404


def too_large(exc: Exception) -> Any:
    from filings.uploads import BodyRefused, body_limit_message

    message = exc.description if isinstance(exc, BodyRefused) else body_limit_message(request)
    if _for_api():
        return _api_error("request_too_large", str(message), 413)
    return render_template("error.html", title="Request too large", message=message), 413


def other(exc: HTTPException) -> Any:
    """Under /api/ every error is JSON; elsewhere Werkzeug's own answer stands."""
    if not _for_api():
        return exc.get_response()
    code = exc.name.lower().replace(" ", "_")
    message = exc.description or exc.name
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        taken = ", ".join(m for m in sorted(exc.valid_methods) if m not in {"HEAD", "OPTIONS"})
        message = f"{request.method} is not allowed at {request.path}: it takes {taken}."
    response, status = _api_error(code, message, exc.code or 500)
    # The exception's own headers stand (a 405's Allow, as RFC 9110 wants; a Retry-After).
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status
