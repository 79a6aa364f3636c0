"""The public keys that check receipts (``/.well-known/jwks.json``), and the attorney's signed
receipt from the filing page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask_login import current_user

import workers
from app.auth import role_required
from filings import receipt_keys, services, signed_receipts
from filings.api_receipts import jws_response
from registration.services import is_verified_attorney

bp = Blueprint("receipts", __name__)


@bp.get("/.well-known/jwks.json")
def jwks() -> Any:
    """Every public key that signed a receipt (RFC 7517): anyone may fetch and keep them."""
    response = jsonify(receipt_keys.jwks())
    response.mimetype = "application/jwk-set+json"
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/filings/<filing_id>/receipt.jws")
@role_required(is_verified_attorney)
def receipt_jws(filing_id: str) -> Any:
    filing = services.filing_for_attorney(current_user, filing_id)
    signed = signed_receipts.current(filing)
    workers.commit()
    return jws_response(signed.jws, filing.receipt_number)
