"""Pages for serving documents (attorneys) and for an office's inbox (staff)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import IntegerField, SelectChoice
from wtforms.validators import NumberRange, Optional

from app import db, reauth, tokens
from app.auth import attorney_required, role_required, staff_required
from app.forms import PlainForm
from app.offices import all_offices
from filings import precheck, receipts, services
from filings.downloads import send_document
from filings.forms import ServeForm, StaffDecisionForm, TokenForm
from filings.models import FilingStatus
from filings.problems import FilingRefused
from registration.anumbers import ANumberError, normalise_a_number
from registration.services import is_verified_attorney

bp = Blueprint("filings", __name__, template_folder="templates")
verified_attorney_required = role_required(is_verified_attorney)

# How often the page of a check still running reloads itself.
CHECK_PAGE_REFRESH_SECONDS = 3


@bp.route("/filings/new", methods=["GET", "POST"])
@verified_attorney_required
def new() -> Any:
    form = ServeForm()
    form.office.choices = [SelectChoice("", "— choose —")] + [
        SelectChoice(o.code, o.label) for o in all_offices()
    ]
    if request.method == "GET":
        form.submission_id.data = str(uuid.uuid4())
        return render_template("filings/new.html", form=form, problems=[])
    problems = []
    status = 422
    if form.validate_on_submit():
        req = services.ServiceRequest(
            office=form.office.data or "",
            a_number=form.a_number.data or "",
            document_type=form.document_type.data or "",
            title=form.title.data or "",
            next_hearing_on=form.next_hearing_on.data,
            detained=bool(form.detained.data),
            includes_e28=bool(form.includes_e28.data),
            idempotency_key=f"form:{form.submission_id.data}" if form.submission_id.data else None,
        )
        try:
            filing, _created = services.serve(current_user, req, request.files.getlist("files"))
        except FilingRefused as refused:
            problems, status = refused.problems, refused.status
        else:
            return redirect(url_for("filings.show", filing_id=filing.id), code=303)
    return render_template("filings/new.html", form=form, problems=problems), status


@bp.route("/filings/check", methods=["GET", "POST"])
@attorney_required
def check() -> Any:
    """Check before you serve: the files are taken at once and checked by a job; the page
    goes on to the check's report, which follows until it is ready."""
    form = PlainForm()
    if form.validate_on_submit():
        try:
            taken = precheck.start_check(current_user, request.files.getlist("files"))
        except precheck.CheckRefused as refused:
            headers = {}
            if refused.retry_after is not None:
                headers["Retry-After"] = str(refused.retry_after)
            page = render_template("filings/check.html", form=form, problems=refused.problems)
            return page, refused.status, headers
        return redirect(url_for("filings.check_report", check_id=taken.id), code=303)
    return render_template("filings/check.html", form=form, problems=[])


@bp.route("/filings/check/<check_id>")
@attorney_required
def check_report(check_id: str) -> Any:
    """A check's report; while it is pending, a page that reloads itself."""
    taken = precheck.check_of(current_user, check_id)
    if taken is None:
        abort(404)
    return render_template(
        "filings/check_report.html",
        check=taken,
        report=taken.report,
        refresh_seconds=CHECK_PAGE_REFRESH_SECONDS,
    )


@bp.route("/filings")
@verified_attorney_required
def index() -> Any:
    return render_template("filings/index.html", filings=services.filings_of(current_user))


@bp.route("/filings/<filing_id>")
@verified_attorney_required
def show(filing_id: str) -> Any:
    filing = services.filing_for_attorney(current_user, filing_id)
    return render_template(
        "filings/show.html",
        filing=filing,
        local=receipts.local_time(filing),
    )


@bp.route("/filings/<filing_id>/documents/<document_id>")
@verified_attorney_required
def download_own(filing_id: str, document_id: str) -> Any:
    filing = services.filing_for_attorney(current_user, filing_id)
    return send_document(current_user, services.document_of(filing, document_id))


class NewTokenForm(TokenForm):
    days = IntegerField(
        "Expires after (days)",
        validators=[
            Optional(),
            NumberRange(
                tokens.MIN_DAYS,
                tokens.MAX_DAYS,
                message=f"Choose between {tokens.MIN_DAYS} and {tokens.MAX_DAYS} days.",
            ),
        ],
    )


@bp.route("/account/tokens", methods=["GET", "POST"])
@verified_attorney_required
def api_tokens() -> Any:
    form = NewTokenForm()
    new_token = None
    if request.method == "POST" and (confirm := reauth.confirmation_redirect()):
        return confirm  # a token files in the attorney's name: the password again first
    if form.validate_on_submit():
        new_token = tokens.create_token(current_user, form.name.data or "", days=form.days.data)
    elif request.method == "GET":
        form.days.data = tokens.lifetime_days(None)
    return render_template(
        "filings/tokens.html",
        form=form,
        new_token=new_token,
        tokens=tokens.tokens_of(current_user),
        revoke_form=PlainForm(),
        now=db.utcnow(),
    )


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@verified_attorney_required
def revoke_token(token_id: int) -> Any:
    if PlainForm().validate_on_submit() and tokens.revoke_token(current_user, token_id):
        flash("The token is revoked; software using it can no longer file.", "success")
    return redirect(url_for("filings.api_tokens"))


@bp.route("/staff/inbox")
@staff_required
def inbox() -> Any:
    raw_number = request.args.get("a_number", "").strip()
    status = request.args.get("status", "")
    a_number, filter_error = None, None
    if raw_number:
        try:
            a_number = normalise_a_number(raw_number)
        except ANumberError as exc:
            filter_error = str(exc)
    if status not in {"", *FilingStatus}:
        status = ""
    items = [] if filter_error else services.inbox(current_user, a_number, status or None)
    return render_template(
        "filings/inbox.html",
        filings=items,
        a_number=raw_number,
        status=status,
        filter_error=filter_error,
        statuses=list(FilingStatus),
    )


@bp.route("/staff/filings/<filing_id>", methods=["GET", "POST"])
@staff_required
def staff_show(filing_id: str) -> Any:
    filing = services.filing_for_staff(current_user, filing_id)
    form = StaffDecisionForm()
    problems = []
    if form.validate_on_submit():
        try:
            services.decide(
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
            filing = services.recheck(current_user, filing_id)
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
