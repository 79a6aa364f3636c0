"""Pages for serving documents (attorneys); the staff pages are in filings.staff_views."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from app import db, reauth, tokens
from app.auth import attorney_required, role_required
from app.forms import PlainForm
from filings import my_filings, precheck, services
from filings.downloads import send_document
from filings.forms import TokenForm
from filings.receipt_page import receipt_page
from registration.services import is_verified_attorney

bp = Blueprint("filings", __name__, template_folder="templates")
verified_attorney_required = role_required(is_verified_attorney)

# How often the page of a check still running reloads itself.
CHECK_PAGE_REFRESH_SECONDS = 3


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
    """My filings, newest first, 50 a page, optionally of one state."""
    args = request.args
    try:
        state = my_filings.parse_state(args.get("state"))
        page = my_filings.page_of(current_user, state, args.get("after"), args.get("before"))
    except my_filings.BadListRequest as bad:
        page = my_filings.page_of(current_user)
        return render_template(
            "filings/index.html",
            page=page,
            state=None,
            choices=my_filings.STATE_CHOICES,
            error=str(bad),
        ), 400
    return render_template(
        "filings/index.html", page=page, state=state, choices=my_filings.STATE_CHOICES, error=None
    )


@bp.route("/filings/<filing_id>")
@verified_attorney_required
def show(filing_id: str) -> Any:
    """A filing's page: the receipt (proof of service) of a served set, or why it was not
    served; while it is being checked, a page that reloads itself."""
    filing = services.filing_for_attorney(current_user, filing_id)
    return render_template(
        "filings/show.html",
        page=receipt_page(filing),
        filing=filing,
        refresh_seconds=CHECK_PAGE_REFRESH_SECONDS,
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


from filings import notice_views, serve_views, staff_views  # noqa: E402, F401  (on this blueprint)
