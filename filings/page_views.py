"""Staff read a document's pages as images, one page at a time, beside "Download PDF"."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request
from flask_login import current_user

from app.auth import staff_required
from filings import page_images
from filings.pagerender import DEFAULT_WIDTH, RenderFailed
from filings.views import bp


@bp.route("/staff/filings/<filing_id>/documents/<document_id>/pages")
@staff_required
def document_pages(filing_id: str, document_id: str) -> Any:
    """One page of a document as an image, with the previous and next pages a link away."""
    page = request.args.get("page", 1, type=int) or 1
    doc = page_images.page_document(current_user, filing_id, document_id, page)
    return render_template("filings/document_pages.html", doc=doc, filing=doc.filing, page=page)


@bp.route("/staff/filings/<filing_id>/documents/<document_id>/pages/<int:page>.png")
@staff_required
def page_image(filing_id: str, document_id: str, page: int) -> Any:
    doc = page_images.page_document(current_user, filing_id, document_id, page)
    raw = request.args.get("width", str(DEFAULT_WIDTH))
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
    try:
        png = page_images.page_png(
            current_user, doc, page, int(raw) if raw.isascii() and raw.isdigit() else 0
        )
    except ValueError as exc:
        abort(Response(str(exc), 400, headers, mimetype="text/plain"))
    except RenderFailed as exc:
        message = f"This page could not be shown ({exc}); download the PDF to read it."
        return Response(message, 503, headers, mimetype="text/plain")
    # The browser may keep the page for a while, for this user only.
    headers["Cache-Control"] = "private, max-age=600"
    headers["Content-Security-Policy"] = "sandbox"
    return Response(png, 200, headers, mimetype="image/png")
