"""Checking a receipt against a document's SHA-256, without a token.

``POST /api/v1/receipts/verify`` takes JSON ``{"receipt_number": ..., "sha256": ...}`` (or
``"jws"``, a signed receipt, instead of the number) and answers ``{"match": false}`` or the
office and time of service; nothing else about the receipt. Throttled per client address,
together with the /verify page (filings/verify_views.py).
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_limiter import RequestLimit

from app import throttle
from filings import receipt_verify
from filings.api import bp, error, errors, public
from filings.problems import Problem, problem

THROTTLED = (
    "Too many receipt checks from this address. Wait until the time in the Retry-After "
    "header (seconds), then try again."
)


def _breached(limit: RequestLimit) -> Response | None:
    """The page's answer to a client over the limit; the API's is its JSON error (429) with
    this limit's message, and Flask-Limiter adds Retry-After to both."""
    if request.blueprint == "api":
        return None
    from filings.verify_views import throttled_page

    return throttled_page(limit)


# One counter for the page and the API: a client cannot double its guesses by using both.
verify_limit = throttle.limiter.shared_limit(
    receipt_verify.rate_limit,
    scope="receipt-verify",
    methods=["POST"],
    error_message=THROTTLED,
    on_breach=_breached,
)


def _field(name: str, detail: str) -> Problem:
    return problem("invalid_field", field=name, detail=detail)


@bp.post("/receipts/verify")
@public
@verify_limit
def verify_receipt() -> Any:
    if not request.is_json:
        return error(
            "unsupported_media_type",
            'Send a JSON body (Content-Type: application/json): {"receipt_number": "...", '
            '"sha256": "..."}.',
            415,
        )
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error("invalid_json", "The body is not a JSON object.", 400)
    problems: list[Problem] = []
    number, token = body.get("receipt_number"), body.get("jws")
    sha256 = (
        receipt_verify.sha256_hex(body["sha256"]) if isinstance(body.get("sha256"), str) else None
    )
    if sha256 is None:
        problems.append(
            _field("sha256", "sha256 must be the document's SHA-256: 64 hexadecimal digits.")
        )
    if number is not None and token is not None:
        problems.append(_field("jws", "Send receipt_number or jws, not both."))
    elif token is not None:
        if not isinstance(token, str) or not token.strip():
            problems.append(_field("jws", "jws must be a signed receipt (a JWS, compact)."))
    elif not isinstance(number, str) or receipt_verify.receipt_number(number) is None:
        problems.append(
            _field(
                "receipt_number",
                "receipt_number must be a receipt number like ES-ATL-20261123-7KQ4-M2XD "
                "(or send jws, a signed receipt).",
            )
        )
    if problems:
        return errors(problems, 400)
    assert sha256 is not None
    listed: bool | None = None
    if token is not None:
        try:
            claims = receipt_verify.signed_claims(token)
        except receipt_verify.JwsRefused as refused:
            return errors([Problem(code="invalid_receipt", message=str(refused), field="jws")], 400)
        number = str(claims["receipt_number"])
        listed = receipt_verify.lists_document(claims, sha256)
    found = receipt_verify.served(receipt_verify.receipt_number(number) or "", sha256)
    answer: dict[str, Any] = found.as_json() if found else {"match": False}
    if listed is not None:
        answer["listed_in_signed_receipt"] = listed
    return jsonify(answer)
