"""The Notice of Service PDF in the API: ``GET /api/v1/filings/<id>/receipt.pdf``, the caller's
own filing only (404 otherwise, as every other filing route)."""

from __future__ import annotations

from typing import Any

from flask import g

from filings import services
from filings.api import bp
from filings.notice_views import notice_response


@bp.get("/filings/<filing_id>/receipt.pdf")
def get_notice_pdf(filing_id: str) -> Any:
    return notice_response(g.api_user, services.filing_for_attorney(g.api_user, filing_id))
