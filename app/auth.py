"""Logging in and out, loading the user of a request, and role checks for views."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from app import audit, db
from app.users import User, check_unknown_user_password, user_by_email

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to continue."
login_manager.session_protection = "strong"

bp = Blueprint("auth", __name__)

F = TypeVar("F", bound=Callable[..., Any])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    uid, _, version = user_id.partition(":")
    if not uid.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(uid))
    if user is None or not user.active or user.session_version != int(version):
        return None  # a bumped version ends every older session of the account
    return user


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if form.validate_on_submit():
        user = user_by_email(form.email.data or "")
        if user is None:
            check_unknown_user_password(form.password.data or "")
        ok = user is not None and user.check_password(form.password.data or "") and user.active
        if ok and user is not None:
            session.clear()  # a fresh session on login: no fixation
            login_user(user)
            session.permanent = True
            session["login_at"] = int(time.time())
            audit.record("auth.login", obj_type="user", obj_id=user.id, actor=user)
            db.session.commit()
            return redirect(url_for("home"))
        audit.record(
            "auth.login",
            obj_type="user",
            obj_id=user.id if user else None,
            outcome="failure",
            actor_label=(form.email.data or "")[:254],
        )
        db.session.commit()
        flash("That e-mail and password do not match an active account.", "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    if current_user.is_authenticated:
        audit.record("auth.logout", obj_type="user", obj_id=current_user.id)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.before_app_request
def end_old_sessions() -> Any:
    """Sessions end after the absolute lifetime, however active (the idle limit is the cookie's)."""
    if not current_user.is_authenticated:
        return None
    limit = current_app.config["ESERVICE"].session_absolute_hours * 3600
    if time.time() - session.get("login_at", 0) <= limit:
        return None
    audit.record("auth.session_expired", obj_type="user", obj_id=current_user.id)
    db.session.commit()
    logout_user()
    session.clear()
    if request.blueprint == "api":
        return None
    flash("Your session ended; log in again.", "info")
    return redirect(url_for("auth.login"))


def role_required(check: Callable[[User], bool]) -> Callable[[F], F]:
    """Views for one kind of user: anonymous users go to login, others get 404 (no leak)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if request.blueprint == "api":
                    abort(401)
                return login_manager.unauthorized()
            if not check(current_user):
                audit.record("authz.denied", outcome="denied", path=request.path)
                db.session.commit()
                abort(404)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


staff_required = role_required(lambda u: u.is_staff)
admin_required = role_required(lambda u: u.is_admin)
attorney_required = role_required(lambda u: u.is_attorney)
