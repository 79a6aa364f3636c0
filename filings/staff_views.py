"""Pages of an office's staff: the inbox, a filing, its documents and the decision on it."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.auth import staff_required
from app.forms import PlainForm
from filings import decisions, receipts, services
from filings.downloads import send_document
from filings.forms import StaffDecisionForm
from filings.problems import FilingRefused
from filings.views import bp


@bp.route("/staff/filings/<filing_id>", methods=["GET", "POST"])
@staff_required
def staff_show(filing_id: str) -> Any:
    filing = services.filing_for_staff(current_user, filing_id)
    form = StaffDecisionForm()
    problems = []
    if form.validate_on_submit():
        try:
            decisions.decide(
                current_user, filing.id, form.decision.data == "accept", form.reason.data or ""
            )
        except FilingRefused as refused:
            problems = refused.problems
        else:
            flash(f"Filing {filing.receipt_number} recorded as {filing.status}.", "success")
            return redirect(url_for("filings.staff_show", filing_id=filing.id), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "filings/staff_show.html",
        filing=filing,
        form=form,
        problems=problems,
        local=receipts.local_time(filing),
    ), status


@bp.route("/staff/filings/<filing_id>/recheck", methods=["POST"])
@staff_required
def staff_recheck(filing_id: str) -> Any:
    if PlainForm().validate_on_submit():
        try:
            filing = decisions.recheck(current_user, filing_id)
        except FilingRefused as refused:
            flash(refused.problems[0].message, "error")
        else:
            flash(
                f"Filing {filing.receipt_number} is being checked again ({filing.status}).",
                "success",
            )
    return redirect(url_for("filings.staff_show", filing_id=filing_id), code=303)


@bp.route("/staff/filings/<filing_id>/documents/<document_id>")
@staff_required
def download_staff(filing_id: str, document_id: str) -> Any:
    filing = services.filing_for_staff(current_user, filing_id)
    return send_document(current_user, services.document_of(filing, document_id))


from filings import inbox_views  # noqa: E402, F401  (the inbox, on this blueprint)
