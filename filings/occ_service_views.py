"""Pages of OCC serving attorneys: staff serve a set on the attorneys of record for an A-Number
(looked up and shown first) and follow what their office served; attorneys find what was
served on them under "Served on me"."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField

from app.auth import role_required
from filings import occ_services
from filings.downloads import download_name
from filings.occ_service_models import OccService
from filings.problems import FilingRefused, Problem
from filings.rules import MAX_TITLE, document_type_label
from filings.views import bp, verified_attorney_required
from registration.anumbers import format_a_number

# Staff of an office: only they serve for it (other staff and administrators without an
# office get 404, like anyone else).
office_staff_required = role_required(lambda u: occ_services.office_of(u) is not None)

# How often the page of a set still being checked reloads itself.
REFRESH_SECONDS = 3


class OccServeForm(FlaskForm):
    """Only parses what was typed: the rules are occ_services'."""

    a_number = StringField("Respondent's A-Number")
    document_type = SelectField(
        "Document type",
        choices=[SelectChoice("", "— choose —")]
        + [SelectChoice(str(k), v) for k, v in occ_services.SERVABLE_TYPES.items()],
        validate_choice=False,
    )
    title = StringField("Title", render_kw={"maxlength": MAX_TITLE})
    # The attorneys shown at the lookup (user ids): the set is served only on them.
    attorneys = HiddenField()
    submission_id = HiddenField()


def _expected(raw: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(x) for x in raw.split(",") if x.strip())
    except ValueError:
        return ()  # tampered with: matches no one, so the lookup is shown again


def _page(
    form: OccServeForm, problems: list[Problem], attorneys: Any = None, status: int = 200
) -> Any:
    return render_template(
        "filings/occ_serve.html",
        form=form,
        problems=problems,
        attorneys=attorneys,
        office=current_user.office,
        format_a_number=format_a_number,
    ), status


@bp.route("/staff/serve", methods=["GET", "POST"])
@office_staff_required
def occ_serve() -> Any:
    """Step one: the A-Number, and whom it would be served on; step two: the documents."""
    form = OccServeForm()
    if not form.validate_on_submit():
        return _page(form, [], status=400 if form.is_submitted() else 200)
    if request.form.get("action") != "serve":
        try:
            a_number, attorneys = occ_services.lookup(current_user, form.a_number.data or "")
        except FilingRefused as refused:
            return _page(form, refused.problems, status=refused.status)
        form.a_number.data = format_a_number(a_number)
        form.attorneys.data = ",".join(str(p.user_id) for p in attorneys)
        form.submission_id.data = str(uuid.uuid4())
        return _page(form, [], attorneys)
    req = occ_services.OccServeRequest(
        a_number=form.a_number.data or "",
        document_type=form.document_type.data or "",
        title=form.title.data or "",
        expected=_expected(form.attorneys.data or ""),
        idempotency_key=f"form:{form.submission_id.data}" if form.submission_id.data else None,
    )
    try:
        service, _created = occ_services.serve(current_user, req, request.files.getlist("files"))
    except FilingRefused as refused:
        # Shown again with whom it would be served on now (the attorneys may have changed).
        attorneys = occ_services.whom(req.a_number)
        form.attorneys.data = ",".join(str(p.user_id) for p in attorneys)
        return _page(form, refused.problems, attorneys or None, refused.status)
    return redirect(url_for("filings.occ_served_show", service_id=service.id), code=303)


@bp.route("/staff/served")
@office_staff_required
def occ_served_list() -> Any:
    """What this office served on attorneys, newest first, with each set's state."""
    return render_template(
        "filings/occ_served_list.html",
        services=occ_services.office_services(current_user),
        office=current_user.office,
        format_a_number=format_a_number,
    )


def _staff_service(service_id: str) -> OccService:
    service = occ_services.service_for_staff(current_user, service_id)
    if service is None:
        abort(404)
    return service


@bp.route("/staff/served/<service_id>")
@office_staff_required
def occ_served_show(service_id: str) -> Any:
    """The receipt for OCC: the set, its state (and why it was refused), its documents and
    whether each attorney has opened it."""
    from filings import signed_receipts

    service = _staff_service(service_id)
    return render_template(
        "filings/occ_served_show.html",
        service=service,
        signed=signed_receipts.latest(service.receipt_number),
        type_label=document_type_label,
        format_a_number=format_a_number,
        refresh_seconds=REFRESH_SECONDS,
    )


@bp.route("/staff/served/<service_id>/documents/<document_id>")
@office_staff_required
def occ_served_download(service_id: str, document_id: str) -> Any:
    service = _staff_service(service_id)
    doc = occ_services.document_in(service, document_id)
    if doc is None:
        abort(404)
    return send_occ_document(current_user, doc, None)


# --- the attorney's side ----------------------------------------------------------------------


@bp.route("/served-on-me")
@verified_attorney_required
def served_on_me() -> Any:
    """Sets OCC served on this attorney, newest first, and whether they have opened each."""
    return render_template(
        "filings/served_on_me.html",
        rows=occ_services.served_on(current_user),
        format_a_number=format_a_number,
    )


def _attorney_service(service_id: str) -> tuple[Any, Any]:
    found = occ_services.service_for_attorney(current_user, service_id)
    if found is None:
        abort(404)
    return found


@bp.route("/served-on-me/<service_id>")
@verified_attorney_required
def served_on_me_show(service_id: str) -> Any:
    service, recipient = _attorney_service(service_id)
    return render_template(
        "filings/served_on_me_show.html",
        service=service,
        recipient=recipient,
        type_label=document_type_label,
        format_a_number=format_a_number,
    )


@bp.route("/served-on-me/<service_id>/documents/<document_id>")
@verified_attorney_required
def served_on_me_download(service_id: str, document_id: str) -> Any:
    service, recipient = _attorney_service(service_id)
    doc = occ_services.document_in(service, document_id)
    if doc is None:
        abort(404)
    return send_occ_document(current_user, doc, recipient)


def send_occ_document(user: Any, doc: Any, recipient: Any) -> Any:
    """A document of a set OCC served, always as an attachment; an attorney's first download
    is recorded as the moment they opened the set."""
    from flask import send_file

    stream = occ_services.get_storage().open(doc.storage_key)
    occ_services.record_download(user, doc, recipient)
    response = send_file(
        stream,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name(doc.filename),
        max_age=0,
        conditional=False,
    )
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-SHA256"] = doc.sha256
    return response
