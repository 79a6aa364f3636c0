"""The steps of a log-in after the password: a second factor, or setting one up.

Between the password and the second factor, the browser's session holds only a pending log-in
(the account, when the password was accepted, the account's session version): nothing is
reachable with it but these steps. It lasts five minutes and allows five wrong codes; after
that the password is asked again (and the password throttle counts again).
"""

from __future__ import annotations

import time

from flask import session, url_for

from app import audit, db, mfa, reauth, sessions
from app import login as login_check
from app.users import User

PENDING_SECONDS = 300
MAX_WRONG_CODES = 5
_KEY = "pending_login"


def after_password(user: User) -> str:
    """Where a browser goes once the password was right: into the account, or to the second
    factor (or to setting one up, where one is required)."""
    if mfa.has_second_factor(user):
        _pend(user, CODE)
        return url_for("account.login_second_factor")
    if mfa.second_factor_required(user):
        _pend(user, SETUP)
        return url_for("account.login_setup")
    return finish(user)


# The step a pending log-in is at: a code from a factor the account has, or setting one up
# (only for an account that has none and must).
CODE, SETUP = "code", "setup"


def _pend(user: User, step: str) -> None:
    session.clear()
    session[_KEY] = {
        "uid": user.id,
        "v": user.session_version,
        "at": int(time.time()),
        "wrong": 0,
        "step": step,
    }


def pending_user(step: str) -> User | None:
    """The account of this browser's pending log-in at ``step``, or None.

    Setting up a factor is allowed only while the account still has none: a pending log-in of
    an account with a factor can only answer it, never add another.
    """
    state = session.get(_KEY)
    if not isinstance(state, dict) or time.time() - state.get("at", 0) > PENDING_SECONDS:
        return None
    if state.get("step") != step:
        return None
    user = db.session.get(User, state.get("uid"))
    if user is None or not user.active or user.session_version != state.get("v"):
        return None
    if step == SETUP and mfa.has_second_factor(user):
        return None
    return user


def code_wait(user: User) -> int:
    """Seconds before a code of ``user`` may be looked at from here (the log-in throttle)."""
    return login_check.second_factor_wait(user)


def wrong_code(user: User) -> bool:
    """Count a wrong code, here and in the log-in throttle; True while more tries are allowed."""
    login_check.count_second_factor_failure(user)
    state = dict(session.get(_KEY) or {})
    state["wrong"] = state.get("wrong", 0) + 1
    audit.record(
        "auth.second_factor",
        obj_type="user",
        obj_id=user.id,
        outcome="failure",
        actor_label=user.email,
        attempt=state["wrong"],
    )
    db.session.commit()
    if state["wrong"] >= MAX_WRONG_CODES:
        session.pop(_KEY, None)
        return False
    session[_KEY] = state
    return True


def finish(user: User) -> str:
    """Start the session (every check passed) and say where to go first."""
    sessions.start_session(user)
    reauth.mark_authenticated()
    if user.must_change_password:
        return url_for("account.change_password")
    return url_for("home")
