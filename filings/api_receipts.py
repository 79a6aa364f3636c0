"""Signed receipts (JWS) in the API."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g

import workers
from filings import services, signed_receipts
from filings.api import bp, error

JOSE = "application/jose"


@bp.get("/filings/<filing_id>/receipt.jws")
def receipt_jws(filing_id: str) -> Any:
    """The filing's signed receipt (RFC 7515 compact serialization) for its state now."""
    filing = services.filing_for_attorney(g.api_user, filing_id)
    signed = signed_receipts.current(filing)
    workers.commit()
    return jws_response(signed.jws, filing.receipt_number)


def jws_response(jws: str, receipt_number: str) -> Response:
    response = Response(jws, mimetype=JOSE)
    response.headers["Content-Disposition"] = f'attachment; filename="{receipt_number}.jws"'
    return response


@bp.get("/filings/<filing_id>/receipt.tsr")
def receipt_timestamp(filing_id: str) -> Any:
    """The RFC 3161 time-stamp response over the filing's signed receipt (its JWS bytes)."""
    filing = services.filing_for_attorney(g.api_user, filing_id)
    signed = signed_receipts.current(filing)
    workers.commit()
    if signed.timestamp_token is None:
        message = (
            "This receipt is not time-stamped yet; try again in a few minutes."
            if current_app.config["ESERVICE"].tsa_url
            else "Receipts are not time-stamped by this installation."
        )
        return error("not_found", message, 404)
    response = Response(signed.timestamp_token, mimetype="application/timestamp-reply")
    name = f"{filing.receipt_number}.tsr"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
