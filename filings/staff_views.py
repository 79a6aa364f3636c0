"""Pages of an office's staff: a filing, its history, its documents and the decision on it
(chosen, confirmed, then undoable for a few minutes)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth import staff_required
from app.forms import PlainForm
from filings import decisions, reason_templates, services
from filings.decision_forms import ConfirmDecisionForm, DecisionForm
from filings.decision_notices import undo_minutes
from filings.downloads import send_document, staff_copy
from filings.history import decider, history
from filings.models import Filing
from filings.problems import FilingRefused, Problem
from filings.rules import document_type_label
from filings.views import bp

VERBS = {"accepted": "accepted", "rejected": "rejected", "refused": "refused (not served)"}


def _decision_form() -> DecisionForm:
    form = DecisionForm()
    form.template.choices = [("", "None: I will write the reason")] + [
        (str(t.id), t.title) for t in reason_templates.templates_of(current_user)
    ]
    return form


def _page(filing: Filing, form: DecisionForm, problems: list[Problem], status: int = 200) -> Any:
    return render_template(
        "filings/staff_show.html",
        filing=filing,
        form=form,
        action_form=PlainForm(),
        problems=problems,
        templates=reason_templates.templates_of(current_user),
        history=history(filing),
        decider=decider(filing),
        undoable=decisions.undoable(filing),
        type_label=document_type_label,
    ), status


@bp.route("/staff/filings/<filing_id>", methods=["GET", "POST"])
@staff_required
def staff_show(filing_id: str) -> Any:
    """The filing; a decision posted here is checked, then asked to be confirmed."""
    filing = services.filing_for_staff(current_user, filing_id)
    form = _decision_form()
    if not form.validate_on_submit():
        return _page(filing, form, [], 422 if form.is_submitted() else 200)
    accept = form.decision.data == "accept"
    reason = reason_templates.reason_from(
        current_user, form.template.data, "" if accept else form.reason.data or ""
    )
    verdict = decisions.outcome(filing.status, accept, reason)
    if isinstance(verdict, Problem):
        return _page(filing, form, [verdict], 422)
    confirm = ConfirmDecisionForm(formdata=None, decision=form.decision.data, reason=reason)
    return render_template(
        "filings/staff_confirm.html",
        filing=filing,
        form=confirm,
        verdict=str(verdict),
        reason=reason,
        minutes=undo_minutes(),
    )


@bp.route("/staff/filings/<filing_id>/decide", methods=["POST"])
@staff_required
def staff_decide(filing_id: str) -> Any:
    """The confirmed decision: recorded now, told to the attorney when the undo time is over."""
    filing = services.filing_for_staff(current_user, filing_id)
    form = ConfirmDecisionForm()
    if form.validate_on_submit():
        try:
            decision = decisions.decide(
                current_user, filing.id, form.decision.data == "accept", form.reason.data or ""
            )
        except FilingRefused as refused:
            return _page(filing, _decision_form(), refused.problems, refused.status)
        minutes = undo_minutes()
        flash(
            f"Filing {filing.receipt_number} {VERBS.get(decision.status, decision.status)}. "
            f"The attorney is told by e-mail in {minutes} minutes; until then you can undo it.",
            "success",
        )
    return redirect(url_for("filings.staff_show", filing_id=filing.id), code=303)


@bp.route("/staff/filings/<filing_id>/undo", methods=["POST"])
@staff_required
def staff_undo(filing_id: str) -> Any:
    filing = services.filing_for_staff(current_user, filing_id)
    if PlainForm().validate_on_submit():
        try:
            decisions.undo(current_user, filing.id)
        except FilingRefused as refused:
            flash(refused.problems[0].message, "error")
        else:
            flash(
                f"Decision undone: filing {filing.receipt_number} is {filing.status} again. "
                "The attorney is not told.",
                "success",
            )
    return redirect(url_for("filings.staff_show", filing_id=filing.id), code=303)


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
    """The stamped copy, or with ``?copy=original`` the bytes the receipt proves."""
    filing = services.filing_for_staff(current_user, filing_id)
    doc = services.document_of(filing, document_id)
    return send_document(current_user, doc, staff_copy(doc, request.args.get("copy")))


# The inbox, bulk accept, page images and reason templates, on this blueprint.
from filings import (  # noqa: E402, F401
    bulk_views,
    inbox_views,
    page_views,
    reason_template_views,
)
