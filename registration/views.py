"""Registration pages for attorneys; the staff pages are in registration.staff_views
and registration.queue_views."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_limiter import RequestLimit
from flask_login import current_user

from app.auth import attorney_required
from app.forms import PlainForm
from app.throttle import limiter
from registration import additions, appearances, practice_office, services
from registration import waiting as waiting_times
from registration.forms import (
    ANumberRequestForm,
    IdentifierForm,
    PracticeOfficeForm,
    RegistrationForm,
)
from registration.models import RegistrationState

bp = Blueprint("registration", __name__, template_folder="templates")

# Per client address. Registering sends an e-mail and hashes a password; a firm behind one
# address may register several attorneys in a day, a script may not. Only registrations that
# get as far as an e-mail count; a form sent back with errors costs nothing.
REGISTER_LIMIT = "10 per hour;30 per day"
RESEND_LIMIT = "5 per hour;20 per day"


def _throttled(limit: RequestLimit) -> Response:
    retry_at = datetime.fromtimestamp(limit.reset_at, UTC)
    page = render_template("registration/throttled.html", retry_at=retry_at, limit=str(limit.limit))
    return make_response(page, 429)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(
    REGISTER_LIMIT,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 200,
    on_breach=_throttled,
)
def register() -> Any:
    form = RegistrationForm()
    form.practice_office.choices = practice_office.choices()
    if form.validate_on_submit():
        services.register(
            services.Registration(
                full_name=form.full_name.data,
                email=form.email.data,
                password=form.password.data,
                bar_state=form.bar_state.data or None,
                bar_number=form.bar_number.data,
                eoir_id=form.eoir_id.data,
                firm=form.firm.data or "",
                phone=form.phone.data.strip(),
                mailing_address=form.mailing_address.data.strip(),
                a_numbers=form.parsed_a_numbers,
                practice_office_id=form.chosen_office_id,
            )
        )
        return render_template("registration/check_email.html"), 200
    status = 422 if form.is_submitted() else 200
    return render_template("registration/register.html", form=form), status


@bp.route("/register/confirm/<token>")
def confirm(token: str) -> Any:
    signed_in = current_user if current_user.is_authenticated else None
    try:
        user = services.confirm_email(token, signed_in=signed_in)
    except services.OtherAccountError:
        return render_template("registration/confirm_other_account.html"), 409
    if user is None:
        return render_template("registration/confirm_failed.html"), 400
    flash("Your e-mail is confirmed. OCC staff will now review your registration.", "success")
    if signed_in is not None:
        return redirect(url_for("registration.status"))
    return redirect(url_for("auth.login", next=url_for("registration.status")))


def _status_page(office_form: PracticeOfficeForm | None = None, status: int = 200) -> Any:
    profile = services.profile_of(current_user)
    on_record = set(appearances.a_numbers_on_record(profile)) if profile else set()
    waiting = profile is not None and profile.state in (
        RegistrationState.EMAIL_UNCONFIRMED,
        RegistrationState.PENDING_REVIEW,
    )
    if office_form is None:
        chosen = profile.practice_office if profile else None
        office_form = PracticeOfficeForm(practice_office=chosen.code if chosen else "")
    office_form.practice_office.choices = practice_office.choices()
    return render_template(
        "registration/status.html",
        profile=profile,
        office_form=office_form,
        on_record=on_record,
        requests=additions.requests_of(current_user),
        States=RegistrationState,
        resend_form=PlainForm(),
        usual_wait=waiting_times.usual_wait() if waiting else None,
    ), status


@bp.route("/registration")
@attorney_required
def status() -> Any:
    return _status_page()


@bp.route("/registration/office", methods=["POST"])
@attorney_required
def change_office() -> Any:
    form = PracticeOfficeForm()
    form.practice_office.choices = practice_office.choices()
    if form.validate_on_submit():
        try:
            office = practice_office.change(current_user, form.practice_office.data)
        except practice_office.PracticeOfficeError as exc:
            form.practice_office.errors = [str(exc)]
        else:
            flash(f"Your field office is now {office.label}.", "success")
            return redirect(url_for("registration.status"))
    return _status_page(form, 422)


_RESENT_MESSAGES = {
    services.Resent.SENT: (
        "We sent a new confirmation link to {email}. It works for 48 hours.",
        "success",
    ),
    services.Resent.RECENTLY_SENT: (
        "A link was sent to {email} in the last 10 minutes, so we did not send another. Look "
        "for it in your e-mail, including the spam folder; it can take a few minutes to arrive.",
        "info",
    ),
    services.Resent.NOT_NEEDED: ("Your e-mail is already confirmed; no link is needed.", "info"),
}


@bp.route("/registration/resend-confirmation", methods=["POST"])
@limiter.limit(RESEND_LIMIT, on_breach=_throttled)
@attorney_required
def resend_confirmation() -> Any:
    if PlainForm().validate_on_submit():
        message, category = _RESENT_MESSAGES[services.resend_confirmation(current_user)]
        flash(message.format(email=current_user.email), category)
    return redirect(url_for("registration.status"))


@bp.route("/registration/identifiers", methods=["GET", "POST"])
@attorney_required
def identifiers() -> Any:
    profile = services.profile_of(current_user)
    if profile is None or profile.state not in (
        RegistrationState.EMAIL_UNCONFIRMED,
        RegistrationState.PENDING_REVIEW,
    ):
        abort(404)
    form = IdentifierForm(obj=profile)
    if form.validate_on_submit():
        try:
            services.correct_identifiers(
                current_user, form.bar_state.data or None, form.bar_number.data, form.eoir_id.data
            )
        except services.DecisionError as exc:
            flash(str(exc), "error")
        else:
            flash("Your bar admission and EOIR ID are updated.", "success")
        return redirect(url_for("registration.status"))
    status = 422 if form.is_submitted() else 200
    return render_template("registration/identifiers.html", form=form), status


@bp.route("/registration/a-numbers", methods=["GET", "POST"])
@attorney_required
def request_a_numbers() -> Any:
    profile = services.profile_of(current_user)
    if profile is None or profile.state != RegistrationState.VERIFIED:
        abort(404)
    form = ANumberRequestForm()
    if form.validate_on_submit():
        try:
            additions.submit(current_user, form.parsed_a_numbers)
        except additions.RequestError as exc:
            form.a_numbers.errors = exc.problems
        else:
            flash("Your request is with OCC staff; you will be e-mailed their decision.", "success")
            return redirect(url_for("registration.status"))
    status = 422 if form.is_submitted() else 200
    return render_template("registration/a_number_request_form.html", form=form), status


# The staff pages, on this blueprint.
from registration import queue_views, staff_views  # noqa: E402, F401
