"""JSON API v1 for case-management software: the same rules and services as the form."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import HTTPException

from app import audit, db, throttle
from app import tokens as app_tokens
from app.offices import all_offices
from filings import api_sync, precheck, receipts, services
from filings.problems import FilingRefused, Problem, problem
from filings.rules import DOCUMENT_TYPE_LABELS
from registration.models import AttorneyProfile

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Endpoints anyone may call without a token (checking a receipt, the API's description).
PUBLIC_ENDPOINTS: set[str] = set()


def public(view: Any) -> Any:
    """Mark an API view as callable without a token (it must reveal nothing private)."""
    PUBLIC_ENDPOINTS.add(f"{bp.name}.{view.__name__}")
    return view


def errors(problems: list[Problem], status: int) -> tuple[Any, int]:
    return jsonify({"errors": [p.as_dict() for p in problems]}), status


def error(code: str, message: str, status: int) -> tuple[Any, int]:
    return jsonify(
        {"errors": [{"code": code, "message": message, "file": None, "field": None}]}
    ), status


@bp.before_request
def authenticate() -> Any:
    """Every call carries a live token. Wrong tokens from one address slow it down (app/throttle
    .py): while it must wait, even a right token is refused unlooked-at, with 429."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    address = throttle.client_address()
    wait = throttle.API_TOKEN_ADDRESS.wait(address)
    if wait > 0:
        retry_after = throttle.seconds(wait)
        audit.record(
            "api.throttled", outcome="refused", actor_label="anonymous", retry_after=retry_after
        )
        db.session.commit()
        response, status = error(
            "too_many_failures",
            "Too many calls with a wrong API token from this address; "
            f"try again in {retry_after} seconds.",
            429,
        )
        response.headers["Retry-After"] = str(retry_after)
        return response, status
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    try:
        if scheme.lower() != "bearer":
            raise app_tokens.TokenRefused(
                "unauthorized", "Send a valid API token: Authorization: Bearer <token>."
            )
        user = app_tokens.owner_of_token(token.strip())
    except app_tokens.TokenRefused as refused:
        if header:  # a token was tried: count it against the address
            throttle.API_TOKEN_ADDRESS.fail(address)
        audit.record(
            "api.auth",
            outcome="failure",
            actor_label="anonymous",
            reason=refused.code if header else "no token",
        )
        db.session.commit()
        response, status = error(refused.code, refused.message, 401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="eservice"'
        return response, status
    g.api_user = user
    return None


# By code as well as by class: Flask prefers the app's handler for a code over a blueprint's
# handler for a class, and the app renders HTML for 404 and 413.
@bp.errorhandler(404)
@bp.errorhandler(413)
@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> Any:
    if exc.code == 413:
        from filings.uploads import BodyRefused

        message = (
            exc.description
            if isinstance(exc, BodyRefused)
            else "The request is larger than the limit for one document set; serve the "
            "documents as two or more sets."
        )
        return error("request_too_large", message or "", 413)
    if exc.code == 404:
        return error("not_found", "No such filing.", 404)
    from app.errors import other  # the app's JSON answer, with the exception's headers

    return other(exc)


@bp.errorhandler(FilingRefused)
def refused(exc: FilingRefused) -> Any:
    return errors(exc.problems, exc.status)


# What the multipart endpoints take, for the 415 a body of another type gets.
FILING_FIELDS = (
    "office, a_number, document_type, title and one or more files; optional next_hearing_on, "
    "detained, includes_e28, document_types, rider_a_numbers (repeated) and corrects"
)
CHECK_FIELDS = "one or more files"


def _multipart_only(fields: str) -> tuple[Any, int] | None:
    """A 415 for a body that is not multipart/form-data (JSON, a form without files, none)."""
    if request.mimetype == "multipart/form-data":
        return None
    sent = request.mimetype or "no Content-Type"
    return error(
        "unsupported_media_type",
        f"This call takes multipart/form-data, not {sent}: send the fields {fields}.",
        415,
    )


def _optional_date(name: str) -> date | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FilingRefused(
            [problem("invalid_field", field=name, detail=f"{name} must be a date like 2027-01-31.")]
        ) from None


def _optional_bool(name: str) -> bool:
    raw = request.form.get(name, "").strip().lower()
    if raw in {"", "false", "0", "no"}:
        return False
    if raw in {"true", "1", "yes"}:
        return True
    raise FilingRefused(
        [problem("invalid_field", field=name, detail=f"{name} must be true or false.")]
    )


@bp.post("/filings")
def create_filing() -> Any:
    if wrong_type := _multipart_only(FILING_FIELDS):
        return wrong_type
    key = request.headers.get("Idempotency-Key")
    req = services.ServiceRequest(
        office=request.form.get("office", ""),
        a_number=request.form.get("a_number", ""),
        document_type=request.form.get("document_type", ""),
        title=request.form.get("title", ""),
        next_hearing_on=_optional_date("next_hearing_on"),
        detained=_optional_bool("detained"),
        includes_e28=_optional_bool("includes_e28"),
        idempotency_key=f"api:{key}" if key is not None else None,
        # Optional: each file's own type, repeated in the order of the files.
        document_types=tuple(request.form.getlist("document_types")),
        # A family: each rider's A-Number, repeated; and the refused set's id this corrects.
        rider_a_numbers=tuple(request.form.getlist("rider_a_numbers")),
        corrects_id=request.form.get("corrects") or None,
    )
    filing, created = services.serve(g.api_user, req, request.files.getlist("files"))
    response = jsonify(receipts.acknowledgement(filing))
    response.headers["Location"] = f"/api/v1/filings/{filing.id}"
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response, 201 if created else 200


@bp.post("/checks")
def create_check() -> Any:
    """Check before you serve: the files are taken at once (202) and checked by a job; the
    report is at the Location given (``GET /api/v1/checks/<id>``)."""
    if wrong_type := _multipart_only(CHECK_FIELDS):
        return wrong_type
    try:
        check = precheck.start_check(g.api_user, request.files.getlist("files"))
    except precheck.CheckRefused as refused:
        response, status = errors(refused.problems, refused.status)
        if refused.retry_after is not None:
            response.headers["Retry-After"] = str(refused.retry_after)
        return response, status
    db.session.refresh(check)  # where jobs run inline, the report is already written
    response = jsonify(precheck.as_json(check))
    response.headers["Location"] = f"/api/v1/checks/{check.id}"
    return response, 202


@bp.get("/checks/<check_id>")
def get_check(check_id: str) -> Any:
    check = precheck.check_of(g.api_user, check_id)
    if check is None:
        return error("not_found", "No such check.", 404)
    return jsonify(precheck.as_json(check))


@bp.get("/filings")
def list_filings() -> Any:
    """The reconciliation feed (filings/api_sync.py): every filing of the attorney changed at
    or after ``updated_since``, oldest change first, ``limit`` at a time, on by ``cursor``."""
    try:
        query = api_sync.query_from(g.api_user, request.args)
    except api_sync.FeedRefused as refused:
        field = refused.parameter
        return errors([Problem("invalid_parameter", refused.message, field=field)], 400)
    return jsonify(api_sync.read_page(g.api_user, query).as_json())


@bp.get("/filings/<filing_id>")
def get_filing(filing_id: str) -> Any:
    return jsonify(receipts.acknowledgement(services.filing_for_attorney(g.api_user, filing_id)))


@bp.get("/me")
def me() -> Any:
    user = g.api_user
    profile = db.session.get(AttorneyProfile, user.id)
    return jsonify(
        {
            "email": user.email,
            "full_name": user.full_name,
            "verification": profile.state if profile else None,
            "decision_reason": profile.decision_reason if profile else None,
            "a_numbers_with_e28": services.e28_a_numbers(user),
        }
    )


@bp.get("/offices")
def offices() -> Any:
    return jsonify(
        {
            "offices": [
                {"code": o.code, "name": o.name, "timezone": o.timezone} for o in all_offices()
            ]
        }
    )


@bp.get("/document-types")
def document_types() -> Any:
    return jsonify(
        {"document_types": [{"code": str(k), "label": v} for k, v in DOCUMENT_TYPE_LABELS.items()]}
    )


# The API's other routes, on this blueprint: one module per idea.
from filings import (  # noqa: E402, F401
    api_notice,
    api_openapi,
    api_receipts,
    api_served_on_me,
    api_verify,
)
