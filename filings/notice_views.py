"""The Notice of Service PDF on the web: the attorney's own filing and the office's staff
(who see the filings ``filing_for_staff`` shows them). Each download is an audit event."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_login import current_user

from app import attachments, audit, db
from app.auth import staff_required
from app.users import User
from filings import services
from filings.models import Filing
from filings.notice_pdf import notice_filename, notice_pdf_of
from filings.views import bp, verified_attorney_required


def notice_response(user: User, filing: Filing) -> Response:
    """The PDF as an attachment, its signed receipt kept and the download audited."""
    pdf = notice_pdf_of(filing)
    audit.record(
        "filing.notice_download",
        obj_type="filing",
        obj_id=filing.id,
        actor=user,
        status=str(filing.status),
    )
    db.session.commit()
    response = Response(pdf, 200, mimetype="application/pdf")
    name = notice_filename(filing.receipt_number)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/filings/<filing_id>/receipt.pdf")
@verified_attorney_required
def notice_own(filing_id: str) -> Any:
    return notice_response(current_user, services.filing_for_attorney(current_user, filing_id))


@bp.route("/staff/filings/<filing_id>/receipt.pdf")
@staff_required
def notice_staff(filing_id: str) -> Any:
    return notice_response(current_user, services.filing_for_staff(current_user, filing_id))


def _notice_attachment(filing_id: str) -> attachments.Attachment:
    """The Notice of Service PDF attached to a notice e-mail (its signed receipt is kept by the
    commit that records the notice sent)."""
    filing = db.session.get(Filing, filing_id)
    if filing is None:
        raise attachments.UnknownAttachment(f"notice_of_service:{filing_id}")
    return attachments.Attachment(
        notice_filename(filing.receipt_number), "application", "pdf", notice_pdf_of(filing)
    )


attachments.register("notice_of_service", _notice_attachment)
