"""Staff read a document page by page as images drawn from the PDF in a sandboxed child
(filings/pagerender.py): the PDF itself never reaches their browser. Each page shown is an
audit event, as a download is."""

from __future__ import annotations

from flask import abort

from app import audit, db
from app.users import User
from filings import services
from filings.models import Document
from filings.pagerender import MAX_WIDTH, MIN_WIDTH, render_page


def page_document(staff: User, filing_id: str, document_id: str, page: int) -> Document:
    """The document, if this staff member may see it and it has page ``page``; 404 otherwise."""
    filing = services.filing_for_staff(staff, filing_id)
    doc = services.document_of(filing, document_id)
    if not 1 <= page <= doc.pages:
        abort(404)
    return doc


def page_png(staff: User, doc: Document, page: int, width: int) -> bytes:
    """The PNG of one page; raises pagerender.RenderFailed when the child could not draw it."""
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValueError(f"width must be {MIN_WIDTH} to {MAX_WIDTH} pixels")
    # The stamped copy when there is one: what staff read carries the served stamp.
    with services.get_storage().open(doc.stamped_storage_key or doc.storage_key) as stream:
        pdf = stream.read()
    png = render_page(pdf, page, width)
    audit.record(
        "document.page_view",
        obj_type="document",
        obj_id=doc.id,
        actor=staff,
        filing=doc.filing_id,
        page=page,
    )
    db.session.commit()
    return png
