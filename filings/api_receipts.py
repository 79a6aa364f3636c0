"""Signed receipts (JWS) in the API."""

from __future__ import annotations

from typing import Any

from flask import Response, g

import workers
from filings import services, signed_receipts
from filings.api import bp

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
