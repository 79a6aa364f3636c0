"""The signed-in user's own account (password, e-mail, identity check) and password reset."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import credentials, mfa, passkeys, reauth
from app import login as login_check
from app.account_forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmIdentityForm,
    NewPasswordForm,
    ResetRequestForm,
)
from app.throttle import limiter

bp = Blueprint("account", __name__)


# What a user whose password was chosen by someone else may reach before changing it.
_BEFORE_OWN_PASSWORD = {"account.change_password", "auth.logout", "static"}


@bp.before_app_request
def require_own_password() -> Any:
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.blueprint != "api"
        and request.endpoint not in _BEFORE_OWN_PASSWORD
    ):
        return redirect(url_for("account.change_password"))
    return None


def _throttled(form: Any, template: str, **context: Any) -> Any:
    """A 429 page when this account's wrong passwords and codes make it wait (the log-in
    throttle), before any secret on this form is looked at; None otherwise."""
    if request.method != "POST":
        return None
    wait = login_check.second_factor_wait(current_user)
    if not wait:
        return None
    flash(f"Too many wrong passwords or codes. Wait {wait} seconds, then try again.", "error")
    return render_template(template, form=form, **context), 429, {"Retry-After": str(wait)}


@bp.route("/account/")
@login_required
def index() -> Any:
    return render_template(
        "account/index.html",
        user=current_user,
        has_totp=mfa.has_totp(current_user),
        codes_left=mfa.recovery_codes_left(current_user),
        passkeys=passkeys.passkeys_of(current_user),
        required=mfa.second_factor_required(current_user),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Any:
    form = ChangePasswordForm()
    context = {
        "forced": current_user.must_change_password,
        "has_second_factor": mfa.has_second_factor(current_user),
    }
    if throttled := _throttled(form, "account/password.html", **context):
        return throttled
    if form.validate_on_submit():
        try:
            credentials.change_password(
                current_user,
                form.current.data or "",
                form.new.data or "",
                has_second_factor=mfa.has_second_factor(current_user),
            )
        except credentials.CredentialError as exc:
            field = form.current if "current password" in str(exc) else form.new
            field.errors = [str(exc)]
        else:
            reauth.mark_authenticated()
            flash("Your password is changed. Your other sessions were ended.", "success")
            return redirect(url_for("account.index"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "account/password.html",
        form=form,
        forced=current_user.must_change_password,
        has_second_factor=mfa.has_second_factor(current_user),
    ), status


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def change_email() -> Any:
    form = ChangeEmailForm()
    if throttled := _throttled(form, "account/email.html"):
        return throttled
    if form.validate_on_submit():
        try:
            credentials.request_email_change(
                current_user, form.password.data or "", form.new_email.data or ""
            )
        except credentials.CredentialError as exc:
            field = form.password if "password" in str(exc) else form.new_email
            field.errors = [str(exc)]
        else:
            flash(
                "We sent a link to the new address. Your e-mail changes when you open it "
                "(within 24 hours).",
                "success",
            )
            return redirect(url_for("account.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("account/email.html", form=form), status


@bp.route("/account/email/confirm/<token>")
def confirm_email_change(token: str) -> Any:
    user = credentials.confirm_email_change(token)
    if user is None:
        return render_template(
            "error.html",
            title="This link does not work",
            message="It was used already, has expired, or the address is taken. "
            "Ask for the change again from your account page.",
        ), 400
    flash(f"Your e-mail address is now {user.email}.", "success")
    return redirect(url_for("account.index" if current_user.is_authenticated else "auth.login"))


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
def confirm_identity() -> Any:
    form = ConfirmIdentityForm()
    target = reauth.safe_next(request.args.get("next") or form.next.data, url_for("account.index"))
    form.next.data = target
    has_totp = mfa.has_totp(current_user)
    if throttled := _throttled(form, "account/confirm.html", has_totp=has_totp):
        return throttled
    if form.validate_on_submit():
        if mfa.confirm_identity(current_user, form.password.data or "", form.code.data or ""):
            reauth.mark_authenticated()
            return redirect(target)
        form.password.errors = ["That password or code is not right."]
    status = 422 if form.is_submitted() else 200
    return render_template("account/confirm.html", form=form, has_totp=has_totp), status


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def request_reset() -> Any:
    form = ResetRequestForm()
    if form.validate_on_submit():
        credentials.request_reset(form.email.data or "")
        return render_template("account/reset_sent.html")
    status = 422 if form.is_submitted() else 200
    return render_template("account/reset_request.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token: str) -> Any:
    user = credentials.reset_link_user(token)
    if user is None:
        return render_template(
            "error.html",
            title="This reset link does not work",
            message="It was used already, is more than an hour old, or was changed. "
            "Ask for a new one.",
        ), 400
    form = NewPasswordForm()
    has_factor = mfa.has_second_factor(user)
    if form.validate_on_submit():
        try:
            credentials.reset_password(token, form.new.data or "", has_second_factor=has_factor)
        except credentials.CredentialError as exc:
            form.new.errors = [str(exc)]
        else:
            flash("Your password is changed. Log in with it.", "success")
            return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "account/reset_password.html", form=form, has_second_factor=has_factor
    ), status


from app import second_factor  # noqa: E402,F401  (its routes are on this blueprint)
