"""Second-factor pages: setting up an authenticator app, recovery codes and passkeys on the
account, and the second step of a log-in. Routes of the account blueprint."""

from __future__ import annotations

from typing import Any

import segno
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import audit, db, login_steps, mfa, passkeys, reauth
from app.account import bp
from app.account_forms import CodeForm, PasskeyNameForm
from app.forms import PlainForm


def _json_body() -> Any:
    """The request's JSON, or None when it is not JSON (or nested deeper than a parser goes)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def _qr(uri: str) -> str:
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _totp_page(user: Any, form: CodeForm, template: str, status: int = 200) -> Any:
    secret = mfa.pending_secret(user) or mfa.start_totp(user)
    uri = mfa.provisioning_uri(user, secret)
    return render_template(template, form=form, secret=secret, qr=_qr(uri), user=user), status


# --- on the account page --------------------------------------------------------------------


@bp.route("/account/totp", methods=["GET", "POST"])
@login_required
@reauth.recent_auth_required
def setup_totp() -> Any:
    if mfa.has_totp(current_user):
        flash("An authenticator app is already set up. Remove it first to use another.", "info")
        return redirect(url_for("account.index"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = mfa.confirm_totp(current_user, form.code.data or "")
        if codes is not None:
            return render_template("account/recovery_codes.html", codes=codes, next_url=None)
        form.code.errors = [
            "That code is not right. Check the phone's clock and try the newest code."
        ]
    status = 422 if form.is_submitted() else 200
    return _totp_page(current_user, form, "account/totp.html", status)


@bp.route("/account/totp/remove", methods=["POST"])
@login_required
@reauth.recent_auth_required
def remove_totp() -> Any:
    if PlainForm().validate_on_submit():
        if mfa.removal_leaves_none(current_user):
            flash(
                "OCC staff accounts need a second factor: add a passkey before removing the "
                "authenticator app.",
                "error",
            )
        else:
            mfa.remove_totp(current_user, current_user)
            flash("The authenticator app is removed.", "success")
    return redirect(url_for("account.index"))


@bp.route("/account/recovery-codes", methods=["POST"])
@login_required
@reauth.recent_auth_required
def renew_recovery_codes() -> Any:
    if not PlainForm().validate_on_submit() or not mfa.has_second_factor(current_user):
        return redirect(url_for("account.index"))
    codes = mfa.regenerate_recovery_codes(current_user)
    return render_template("account/recovery_codes.html", codes=codes, next_url=None)


@bp.route("/account/passkeys")
@login_required
@reauth.recent_auth_required
def passkeys_page() -> Any:
    return render_template(
        "account/passkeys.html",
        passkeys=passkeys.passkeys_of(current_user),
        form=PasskeyNameForm(),
        remove_form=PlainForm(),
    )


@bp.route("/account/passkeys/options", methods=["POST"])
@login_required
def passkey_registration_options() -> Any:
    if not reauth.is_recent():
        return jsonify(error="Confirm your password again first."), 403
    return passkeys.registration_options(current_user), 200, {"Content-Type": "application/json"}


@bp.route("/account/passkeys", methods=["POST"])
@login_required
def add_passkey() -> Any:
    if not reauth.is_recent():
        return jsonify(error="Confirm your password again first."), 403
    body = _json_body()
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        return jsonify(error="Send the browser's credential as JSON."), 400
    try:
        key = passkeys.register(current_user, body["credential"], str(body.get("name") or ""))
    except passkeys.PasskeyError as exc:
        db.session.rollback()
        return jsonify(error=str(exc)), 400
    flash(f"Passkey “{key.name}” added.", "success")
    return jsonify(id=key.id, name=key.name, redirect=url_for("account.passkeys_page"))


@bp.route("/account/passkeys/<int:passkey_id>/remove", methods=["POST"])
@login_required
@reauth.recent_auth_required
def remove_passkey(passkey_id: int) -> Any:
    if not PlainForm().validate_on_submit():
        return redirect(url_for("account.passkeys_page"))
    if mfa.removal_leaves_none(current_user):
        flash(
            "OCC staff accounts need a second factor: set up an authenticator app before "
            "removing the last passkey.",
            "error",
        )
        return redirect(url_for("account.passkeys_page"))
    if not passkeys.remove(current_user, passkey_id):
        abort(404)
    flash("The passkey is removed.", "success")
    return redirect(url_for("account.passkeys_page"))


# --- the second step of a log-in ------------------------------------------------------------


def _pending_or_login(step: str) -> Any:
    user = login_steps.pending_user(step)
    if user is None:
        flash("Log in again.", "info")
    return user


@bp.route("/login/second-factor", methods=["GET", "POST"])
def login_second_factor() -> Any:
    user = _pending_or_login(login_steps.CODE)
    if user is None:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    wait = login_steps.code_wait(user) if form.is_submitted() else 0
    if wait:
        form.code.errors = [f"Too many wrong codes. Wait {wait} seconds, then try again."]
        return (
            render_template(
                "account/login_second_factor.html",
                form=form,
                has_totp=mfa.has_totp(user),
                has_passkeys=bool(passkeys.passkeys_of(user)),
            ),
            429,
            {"Retry-After": str(wait)},
        )
    if form.validate_on_submit():
        code = form.code.data or ""
        if mfa.check_totp(user, code) or mfa.use_recovery_code(user, code):
            db.session.commit()
            return redirect(login_steps.finish(user))
        if not login_steps.wrong_code(user):
            flash("Too many wrong codes. Log in again.", "error")
            return redirect(url_for("auth.login"))
        form.code.errors = ["That code is not right. Use the newest code, or a recovery code."]
    status = 422 if form.is_submitted() else 200
    return render_template(
        "account/login_second_factor.html",
        form=form,
        has_totp=mfa.has_totp(user),
        has_passkeys=bool(passkeys.passkeys_of(user)),
    ), status


@bp.route("/login/passkey/options", methods=["POST"])
def login_passkey_options() -> Any:
    user = login_steps.pending_user(login_steps.CODE)
    if user is None:
        return jsonify(error="Log in again.", redirect=url_for("auth.login")), 401
    return passkeys.authentication_options(user), 200, {"Content-Type": "application/json"}


@bp.route("/login/passkey", methods=["POST"])
def login_passkey() -> Any:
    user = login_steps.pending_user(login_steps.CODE)
    if user is None:
        return jsonify(error="Log in again.", redirect=url_for("auth.login")), 401
    body = _json_body()
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        return jsonify(error="Send the browser's credential as JSON."), 400
    try:
        passkeys.authenticate(user, body["credential"])
    except passkeys.PasskeyError as exc:
        db.session.rollback()
        login_steps.wrong_code(user)
        return jsonify(error=str(exc)), 400
    audit.record("mfa.passkey_used", obj_type="user", obj_id=user.id, actor=user)
    db.session.commit()
    return jsonify(redirect=login_steps.finish(user))


@bp.route("/login/setup", methods=["GET", "POST"])
def login_setup() -> Any:
    """A staff account without a second factor sets one up before its session starts."""
    user = _pending_or_login(login_steps.SETUP)
    if user is None:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = mfa.confirm_totp(user, form.code.data or "")
        if codes is not None:
            next_url = login_steps.finish(user)
            return render_template("account/recovery_codes.html", codes=codes, next_url=next_url)
        form.code.errors = [
            "That code is not right. Check the phone's clock and try the newest code."
        ]
    status = 422 if form.is_submitted() else 200
    return _totp_page(user, form, "account/login_setup.html", status)
