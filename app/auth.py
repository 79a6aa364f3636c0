"""Logging in and out, loading the user of a request from its server-side session, the
sessions page, and role checks for views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from app import audit, db, login_steps, reauth, sessions
from app import login as login_check
from app.forms import PlainForm
from app.users import User

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to continue."
login_manager.session_protection = "strong"

bp = Blueprint("auth", __name__)

F = TypeVar("F", bound=Callable[..., Any])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a request whose cookie names a live server-side session of theirs."""
    uid, _, version = user_id.partition(":")
    if not uid.isdigit() or not version.isdigit():
        return None
    row = sessions.session_of_request(int(uid))
    if row is None:
        return None
    user = db.session.get(User, int(uid))
    if user is None or not user.active or user.session_version != int(version):
        return None  # a bumped version ends every older session of the account
    return user


@bp.before_app_request
def load_user_first() -> None:
    """Load the user as the request starts, so the session's own writes (last seen, expiry)
    commit before the view changes anything. The API authenticates by token only."""
    if request.blueprint == "api":
        g._login_user = login_manager.anonymous_user()  # Flask-Login's per-request user
    elif request.endpoint != "static":
        _ = current_user.is_authenticated


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    check = login_check.check_password_login(form.email.data or "", form.password.data or "")
    if check.user is not None:
        # The password was right: a second factor next when the account has one (or must set
        # one up), else the session starts (app.sessions.start_session).
        target = login_steps.after_password(check.user)
        wanted = reauth.safe_next(request.args.get("next"), "")
        if wanted and current_user.is_authenticated and target == url_for("home"):
            target = wanted
        elif wanted:  # pending a second factor: the home page goes there once logged in
            session[sessions.NEXT_KEY] = wanted
        return redirect(target)
    if check.retry_after:
        at = datetime.now(UTC) + timedelta(seconds=check.retry_after)
        flash(
            "Too many failed log-ins for this account or from this network. Log-in is paused: "
            f"try again in {_duration(check.retry_after)} (after {at:%H:%M:%S} UTC).",
            "error",
        )
        response = make_response(render_template("auth/login.html", form=form), 429)
        response.headers["Retry-After"] = str(check.retry_after)
        return response
    flash("That e-mail and password do not match an active account.", "error")
    return render_template("auth/login.html", form=form)


bp.after_app_request(login_check.set_known_browser_cookie)


def _duration(total: int) -> str:
    minutes, secs = divmod(total, 60)
    if not minutes:
        return f"{secs} second{'s' if secs != 1 else ''}"
    if secs:
        minutes += 1
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    if current_user.is_authenticated:
        sessions.end_current_session()
        audit.record(
            "auth.logout",
            obj_type="user",
            obj_id=current_user.id,
            session=sessions.current_session_id(),
        )
        db.session.commit()
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/session/extend", methods=["POST"])
def extend_session() -> Any:
    """ "Stay signed in": counts as activity (CSRF-checked); JSON with the session's new end."""
    row = g.get("user_session") if current_user.is_authenticated else None
    if row is None:
        return jsonify(error="session_ended", message="Your session has ended; log in again."), 401
    ends = sessions.extend(row)
    return jsonify(
        expires_at=ends.isoformat(timespec="seconds").replace("+00:00", "Z"),
        expires_in=max(0, int((ends - db.utcnow()).total_seconds())),
    )


@bp.route("/account/sessions")
@login_required
def account_sessions() -> Any:
    return render_template(
        "auth/sessions.html",
        sessions=sessions.live_sessions(current_user),
        current_id=sessions.current_session_id(),
        form=PlainForm(),
    )


@bp.route("/account/sessions/<session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: str) -> Any:
    if not PlainForm().validate_on_submit():
        abort(400)
    if not sessions.end_own_session(current_user, session_id):
        abort(404)
    if session_id == sessions.current_session_id():
        logout_user()
        session.clear()
        flash("You ended this session and are logged out.", "info")
        return redirect(url_for("auth.login"))
    flash("The session is ended: that browser must log in again.", "success")
    return redirect(url_for("auth.account_sessions"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions() -> Any:
    if not PlainForm().validate_on_submit():
        abort(400)
    ended = sessions.end_other_sessions(current_user)
    flash(f"{ended} other session{'s' if ended != 1 else ''} ended.", "success")
    return redirect(url_for("auth.account_sessions"))


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
