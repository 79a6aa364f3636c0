"""Registration pages for attorneys and the verification queue for staff."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app import db
from app.auth import attorney_required, staff_required
from app.forms import PlainForm
from registration import appearances, services
from registration.forms import AppearanceForm, DecisionForm, RegistrationForm
from registration.identifiers import normalise_bar_state
from registration.models import AttorneyProfile, RegistrationState

bp = Blueprint("registration", __name__, template_folder="templates")


@bp.route("/register", methods=["GET", "POST"])
def register() -> Any:
    form = RegistrationForm()
    if form.validate_on_submit():
        services.register(
            services.Registration(
                full_name=" ".join(form.full_name.data.split()),
                email=form.email.data,
                password=form.password.data,
                bar_state=normalise_bar_state(form.bar_state.data),
                bar_number=form.bar_number.data,
                eoir_id=form.eoir_id.data,
                firm=(form.firm.data or "").strip(),
                phone=form.phone.data.strip(),
                mailing_address=form.mailing_address.data.strip(),
                a_numbers=form.parsed_a_numbers,
            )
        )
        return render_template("registration/check_email.html"), 200
    status = 422 if form.is_submitted() else 200
    return render_template("registration/register.html", form=form), status


@bp.route("/register/confirm/<token>")
def confirm(token: str) -> Any:
    user = services.confirm_email(token)
    if user is None:
        return render_template("registration/confirm_failed.html"), 400
    flash("Your e-mail is confirmed. OCC staff will now review your registration.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/registration")
@attorney_required
def status() -> Any:
    profile = services.profile_of(current_user)
    on_record = set(appearances.a_numbers_on_record(profile)) if profile else set()
    return render_template(
        "registration/status.html",
        profile=profile,
        on_record=on_record,
        States=RegistrationState,
        resend_form=PlainForm(),
    )


@bp.route("/registration/resend-confirmation", methods=["POST"])
@attorney_required
def resend_confirmation() -> Any:
    if PlainForm().validate_on_submit():
        if services.resend_confirmation(current_user):
            flash("We sent a new confirmation link. It works for 48 hours.", "success")
        else:
            flash("A link was sent in the last 10 minutes; check your e-mail (and spam).", "info")
    return redirect(url_for("registration.status"))


@bp.route("/staff/registrations")
@staff_required
def queue() -> Any:
    items = [
        (p, appearances.check_claims(p, [c.a_number for c in p.claims]))
        for p in services.review_queue()
    ]
    return render_template("registration/queue.html", items=items)


@bp.route("/staff/registrations/<int:attorney_id>", methods=["GET", "POST"])
@staff_required
def review(attorney_id: int) -> Any:
    profile = db.session.get(AttorneyProfile, attorney_id)
    if profile is None:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide(
                current_user, attorney_id, form.decision.data == "verify", form.reason.data or ""
            )
        except services.DecisionError as exc:
            form.reason.errors = [str(exc)]
        else:
            flash(
                f"Registration of {profile.user.full_name} recorded as "
                f"{'verified' if form.decision.data == 'verify' else 'rejected'}.",
                "success",
            )
            return redirect(url_for("registration.queue"))
    checks = appearances.check_claims(profile, [c.a_number for c in profile.claims])
    status = 422 if form.is_submitted() else 200
    return render_template(
        "registration/review.html", profile=profile, checks=checks, form=form
    ), status


@bp.route("/staff/appearances/new", methods=["GET", "POST"])
@staff_required
def add_appearance() -> Any:
    form = AppearanceForm()
    if form.validate_on_submit():
        try:
            record = appearances.add_appearance(
                current_user,
                a_number=form.a_number.data,
                attorney_name=form.attorney_name.data,
                bar_state=form.bar_state.data,
                bar_number=form.bar_number.data,
                eoir_id=form.eoir_id.data,
                filed_on=form.filed_on.data,
            )
        except appearances.AppearanceError as exc:
            form.a_number.errors = [str(exc)]
        else:
            flash(
                f"E-28 appearance record added for A-Number ending {record.a_number[-4:]}.",
                "success",
            )
            return redirect(url_for("registration.add_appearance"))
    status = 422 if form.is_submitted() else 200
    return render_template("registration/appearance_form.html", form=form), status
