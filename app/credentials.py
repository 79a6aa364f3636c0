"""Changing what signs an account in: its password (changed, or reset by e-mail) and e-mail.

Links sent by e-mail are signed, built from ``ESERVICE_BASE_URL`` and single use: a reset link
names a fingerprint of the password it replaces, an e-mail-change link the address it replaces,
so each stops working once used. A reset link lasts an hour, a change link a day.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

import workers
from app import audit, db
from app import login as login_check
from app.accounts import end_access
from app.links import external_url
from app.notifications import notify
from app.password_rules import password_problem
from app.sessions import end_all_sessions, end_other_sessions
from app.users import User, normalise_email, user_by_email

RESET_MAX_AGE_SECONDS = 3600
EMAIL_CHANGE_MAX_AGE_SECONDS = 24 * 3600


class CredentialError(ValueError):
    """The change cannot be made; the message says why, for the form."""


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(user: User) -> str:
    """Changes whenever the password, the e-mail or the session version does: a link that
    names it dies with any of them."""
    state = f"{user.password_hash}|{user.session_version}|{user.email}"
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def new_password_problem(user: User, password: str, has_second_factor: bool) -> str | None:
    return password_problem(
        password, has_second_factor=has_second_factor, context=[user.email, user.full_name]
    )


def change_password(user: User, current: str, new: str, *, has_second_factor: bool) -> None:
    """The owner changes their password; every other session of the account ends."""
    if not user.check_password(current):
        audit.record("auth.password_change", obj_type="user", obj_id=user.id, outcome="failure")
        login_check.count_second_factor_failure(user)  # guessing here is throttled too
        db.session.commit()
        raise CredentialError("That is not your current password.")
    problem = new_password_problem(user, new, has_second_factor)
    if problem:
        raise CredentialError(problem)
    if user.check_password(new):
        raise CredentialError("Choose a password different from the current one.")
    user.change_password(new)
    audit.record("auth.password_changed", obj_type="user", obj_id=user.id, actor=user)
    _tell(
        user,
        "password_changed",
        "Your OCC eService password was changed",
        "The password of your OCC eService account was changed just now. If you did not do "
        "this, reset your password at once and tell OCC.",
    )
    workers.commit()
    end_other_sessions(user)


def _tell(user: User, kind: str, subject: str, text: str, to_addr: str | None = None) -> None:
    now = db.utcnow()
    notify(
        f"user:{user.id}:{kind}:{now:%Y%m%d%H%M%S%f}",
        kind,
        to_addr or user.email,
        subject,
        f"Dear {user.full_name},\n\n{text}\n",
    )


# --- e-mail change ------------------------------------------------------------------------


def request_email_change(user: User, password: str, new_email: str) -> None:
    """Send a confirmation link to the new address; the old one is told. The address changes
    only when the link is opened, so a typo cannot lock the owner out."""
    if not user.check_password(password):
        audit.record("auth.email_change", obj_type="user", obj_id=user.id, outcome="failure")
        login_check.count_second_factor_failure(user)  # guessing here is throttled too
        db.session.commit()
        raise CredentialError("That is not your current password.")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise CredentialError("That is already your e-mail address.")
    token = _serializer("eservice.email-change").dumps(
        {"uid": user.id, "old": user.email, "new": new_email, "fp": _fingerprint(user)}
    )
    audit.record("auth.email_change_requested", obj_type="user", obj_id=user.id, actor=user)
    if user_by_email(new_email) is None:
        link = external_url("account.confirm_email_change", token=token)
        _tell(
            user,
            "email_change",
            "Confirm your new e-mail for OCC eService",
            f"Open this link within 24 hours to make this your OCC eService e-mail address:"
            f"\n\n{link}\n\nIf you did not ask for this, ignore this message.",
            to_addr=new_email,
        )
    # Either way the current address hears of it, and the page says the same thing, so the
    # form does not tell whether the new address has an account.
    _tell(
        user,
        "email_change_notice",
        "A change of your OCC eService e-mail was requested",
        f"Someone signed in to your account asked to change its e-mail to {new_email}. "
        "If it was not you, change your password at once and tell OCC.",
    )
    workers.commit()


def confirm_email_change(token: str) -> User | None:
    try:
        data = _serializer("eservice.email-change").loads(
            token, max_age=EMAIL_CHANGE_MAX_AGE_SECONDS
        )
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    stale = user is None or data.get("fp") != _fingerprint(user) or user.email != data.get("old")
    if stale or user_by_email(data.get("new", "")):
        audit.record("auth.email_change", outcome="refused", reason="link used or stale")
        db.session.commit()
        return None
    assert user is not None
    user.email = data["new"]
    # Every session ends and every link made for the old address dies with the version.
    user.session_version += 1
    end_all_sessions(user)
    audit.record("auth.email_changed", obj_type="user", obj_id=user.id, actor=user, old=data["old"])
    workers.commit()
    return user


# --- password reset -------------------------------------------------------------------------


def request_reset(email: str) -> None:
    """Queue the e-mailing of a reset link to ``email``. The request does the same work whether
    or not the address has an account (an audit event and a job), so neither its answer nor its
    time tells; the job finds out and sends a link only to an active account."""
    from app.throttle import password_reset_wait

    email = normalise_email(email)[:254]
    if password_reset_wait(email):  # more than a few links an hour for one address: none sent
        audit.record("auth.password_reset_throttled", outcome="refused", actor_label=email)
        db.session.commit()
        return
    audit.record("auth.password_reset_requested", actor_label=email)
    workers.enqueue(
        "app.credentials.send_reset_link", email, secrets.token_hex(8), queue=workers.MAIL
    )
    workers.commit()


def send_reset_link(email: str, request_id: str) -> None:
    """Job: e-mail a reset link for one request, if ``email`` has an active account (once per
    request, however often the job runs)."""
    user = user_by_email(email)
    if user is None or not user.active:
        return
    token = _serializer("eservice.password-reset").dumps({"uid": user.id, "fp": _fingerprint(user)})
    link = external_url("account.reset_password", token=token)
    notify(
        f"user:{user.id}:reset:{request_id}",
        "password_reset",
        user.email,
        "Reset your OCC eService password",
        f"Dear {user.full_name},\n\nOpen this link within one hour to choose a new password:"
        f"\n\n{link}\n\nThe link works once. If you did not ask for it, ignore this message; "
        "your password stays as it is.\n",
    )
    workers.commit()


def reset_link_user(token: str) -> User | None:
    """The account a live, unused reset link is for."""
    try:
        data = _serializer("eservice.password-reset").loads(token, max_age=RESET_MAX_AGE_SECONDS)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        return None
    return user


def reset_password(token: str, new: str, *, has_second_factor: bool) -> User:
    user = reset_link_user(token)
    if user is None:
        audit.record("auth.password_reset", outcome="refused", reason="bad, used or expired link")
        db.session.commit()
        raise CredentialError("This reset link is used, expired or not valid. Ask for a new one.")
    problem = new_password_problem(user, new, has_second_factor)
    if problem:
        raise CredentialError(problem)
    user.change_password(new)
    # Whoever knew the old password may have made a token or kept a session: both end.
    end_access(user)
    audit.record("auth.password_reset", obj_type="user", obj_id=user.id, actor=user)
    _tell(
        user,
        "password_reset_done",
        "Your OCC eService password was reset",
        "The password of your OCC eService account was reset through an e-mailed link; every "
        "session of the account was ended and its API tokens were revoked (make new ones on "
        "the API tokens page). If you did not do this, tell OCC at once.",
    )
    workers.commit()
    return user
