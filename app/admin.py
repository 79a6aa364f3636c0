"""Administration pages: staff accounts, offices and the audit log (administrators only).

Every change is a POST with a CSRF token; every page of the audit log and every export is
itself an audit event.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app import audit_log, db, office_admin, staff
from app.auth import admin_required
from app.forms import PlainForm
from app.offices import Office, all_offices, office_by_code
from app.reauth import recent_auth_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@admin_required
def index() -> Any:
    return render_template("admin/index.html")


# --- audit log ------------------------------------------------------------------------------


@bp.route("/audit")
@admin_required
def audit_events() -> Any:
    try:
        f = audit_log.parse_filter(request.args)
        before = audit_log.parse_cursor(request.args.get("before"))
    except audit_log.FilterError as exc:
        return render_template(
            "admin/audit.html", f=None, args=request.args, error=exc, page=None
        ), 400
    page = audit_log.read_page(current_user, f, before)
    return render_template(
        "admin/audit.html", f=f, args=request.args, error=None, page=page, before=before
    )


@bp.route("/audit/export.csv")
@admin_required
@recent_auth_required
def audit_export() -> Any:
    try:
        f = audit_log.parse_filter(request.args)
    except audit_log.FilterError as exc:
        return render_template(
            "admin/audit.html", f=None, args=request.args, error=exc, page=None
        ), 400
    audit_log.start_export(current_user, f)
    stamp = db.utcnow().strftime("%Y%m%dT%H%M%SZ")
    return Response(
        stream_with_context(audit_log.export_csv(f)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )


# --- staff accounts -------------------------------------------------------------------------


class StaffForm(FlaskForm):
    email = EmailField(
        "E-mail",
        validators=[
            InputRequired("Give the person's e-mail address."),
            Length(max=254, message="An e-mail address is at most 254 characters."),
        ],
    )
    full_name = StringField(
        "Full name",
        validators=[
            InputRequired("Give the person's full name."),
            Length(max=200, message="The name may be at most 200 characters."),
        ],
    )
    office = SelectField("Field office", validate_choice=False)
    admin = BooleanField("Administrator (manages staff, offices and reads the audit log)")


class DeactivateForm(FlaskForm):
    reason = TextAreaField("Reason")  # checked by deactivate_user, which names the problem


def _staff_form() -> StaffForm:
    form = StaffForm()
    form.office.choices = [(o.code, o.label) for o in all_offices()]
    return form


def _staff_page(form: StaffForm, status: int = 200) -> Any:
    return render_template(
        "admin/staff.html",
        accounts=staff.staff_accounts(),
        form=form,
        deactivate_form=DeactivateForm(formdata=None),
        button=PlainForm(),
    ), status


@bp.route("/staff")
@admin_required
@recent_auth_required
def staff_list() -> Any:
    return _staff_page(_staff_form())


@bp.route("/staff", methods=["POST"])
@admin_required
@recent_auth_required
def staff_create() -> Any:
    form = _staff_form()
    if not form.validate_on_submit():
        return _staff_page(form, 422)
    try:
        user, password = staff.create_staff(
            current_user,
            form.email.data or "",
            form.full_name.data or "",
            form.office.data or "",
            bool(form.admin.data),
        )
    except staff.StaffError as exc:
        getattr(form, exc.field).errors = [str(exc)]
        return _staff_page(form, 422)
    # Shown on this one response only (never stored in the session or a flash message).
    return render_template("admin/staff_created.html", user=user, password=password), 201


def _account_or_404(user_id: int) -> Any:
    user = staff.staff_account(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/staff/<int:user_id>/deactivate", methods=["POST"])
@admin_required
@recent_auth_required
def staff_deactivate(user_id: int) -> Any:
    from app.accounts import AccountError, deactivate_user

    user = _account_or_404(user_id)
    form = DeactivateForm()
    if form.validate_on_submit():
        try:
            deactivate_user(current_user, user, form.reason.data or "")
        except AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(f"{user.email} is deactivated; its sessions have ended.", "success")
    return redirect(url_for("admin.staff_list"))


@bp.route("/staff/<int:user_id>/reactivate", methods=["POST"])
@admin_required
@recent_auth_required
def staff_reactivate(user_id: int) -> Any:
    from app.accounts import AccountError, reactivate_user

    user = _account_or_404(user_id)
    if PlainForm().validate_on_submit():
        try:
            reactivate_user(current_user, user)
        except AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(f"{user.email} can log in again.", "success")
    return redirect(url_for("admin.staff_list"))


@bp.route("/staff/<int:user_id>/reset-mfa", methods=["POST"])
@admin_required
@recent_auth_required
def staff_reset_mfa(user_id: int) -> Any:
    from app.mfa import reset_mfa

    user = _account_or_404(user_id)
    if PlainForm().validate_on_submit():
        reset_mfa(current_user, user)
        flash(
            f"Every second factor of {user.email} is removed and its sessions have ended; "
            "it sets up a new one at its next login.",
            "success",
        )
    return redirect(url_for("admin.staff_list"))


# --- offices --------------------------------------------------------------------------------


class OfficeForm(FlaskForm):
    name = StringField(
        "Display name",
        validators=[
            InputRequired("Give the office a name."),
            Length(max=120, message="The name may be at most 120 characters."),
        ],
    )
    timezone = SelectField("Time zone", validate_choice=False)


@bp.route("/offices")
@admin_required
def offices() -> Any:
    return render_template("admin/offices.html", rows=office_admin.offices_with_staff())


def _office_or_404(code: str) -> Office:
    office = office_by_code(code)
    if office is None:
        abort(404)
    return office


@bp.route("/offices/<code>", methods=["GET", "POST"])
@admin_required
@recent_auth_required
def office_edit(code: str) -> Any:
    office = _office_or_404(code)
    form = OfficeForm(obj=office)
    form.timezone.choices = list(office_admin.time_zones())
    if form.validate_on_submit():
        try:
            changed = office_admin.update_office(
                current_user, office, form.name.data or "", form.timezone.data or ""
            )
        except office_admin.OfficeError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors = [str(exc)]
        else:
            flash(
                f"{office.code} is now {office.name}, {office.timezone}."
                if changed
                else "Nothing changed.",
                "success" if changed else "info",
            )
            return redirect(url_for("admin.offices"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/office_edit.html", office=office, form=form), status


from app import admin_appearances  # noqa: E402, F401  (the E-28 import page, on this blueprint)
