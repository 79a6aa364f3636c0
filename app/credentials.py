"""Changing what signs an account in: its password (changed, or reset by e-mail) and e-mail.

Links sent by e-mail are signed, built from ``ESERVICE_BASE_URL`` and single use: a reset link
names a fingerprint of the password it replaces, an e-mail-change link the address it replaces,
so each stops working once used. A reset link lasts an hour, a change link a day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

import workers
from app import audit, db
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
    return hashlib.sha256(f"{user.password_hash}|{user.session_version}".encode()).hexdigest()[:32]


def new_password_problem(user: User, password: str, has_second_factor: bool) -> str | None:
    return password_problem(
        password, has_second_factor=has_second_factor, context=[user.email, user.full_name]
    )


def change_password(user: User, current: str, new: str, *, has_second_factor: bool) -> None:
    """The owner changes their password; every other session of the account ends."""
    if not user.check_password(current):
        audit.record("auth.password_change", obj_type="user", obj_id=user.id, outcome="failure")
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
        db.session.commit()
        raise CredentialError("That is not your current password.")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise CredentialError("That is already your e-mail address.")
    token = _serializer("eservice.email-change").dumps(
        {"uid": user.id, "old": user.email, "new": new_email}
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
    if user is None or user.email != data.get("old") or user_by_email(data.get("new", "")):
        audit.record("auth.email_change", outcome="refused", reason="link used or stale")
        db.session.commit()
        return None
    user.email = data["new"]
    audit.record("auth.email_changed", obj_type="user", obj_id=user.id, actor=user, old=data["old"])
    workers.commit()
    return user


# --- password reset -------------------------------------------------------------------------


@dataclass(frozen=True)
class ResetLink:
    user: User
    token: str


def request_reset(email: str) -> None:
    """E-mail a reset link if the address has an active account. The caller answers the same
    either way; the work done is the same too (the signature is computed in both cases)."""
    from app.throttle import password_reset_wait

    if password_reset_wait(email):  # more than a few links an hour for one address: none sent
        audit.record("auth.password_reset_throttled", outcome="refused", actor_label=email[:254])
        db.session.commit()
        return
    user = user_by_email(email)
    serializer = _serializer("eservice.password-reset")
    if user is None or not user.active:
        serializer.dumps({"uid": 0, "fp": "0" * 32})
        audit.record("auth.password_reset_requested", outcome="unknown", actor_label=email[:254])
        db.session.commit()
        return
    token = serializer.dumps({"uid": user.id, "fp": _fingerprint(user)})
    link = external_url("account.reset_password", token=token)
    audit.record("auth.password_reset_requested", obj_type="user", obj_id=user.id)
    now = db.utcnow()
    notify(
        f"user:{user.id}:reset:{now:%Y%m%d%H%M%S%f}",
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
    user.session_version += 1  # every session of the account ends; the link dies with it
    end_all_sessions(user)
    audit.record("auth.password_reset", obj_type="user", obj_id=user.id, actor=user)
    _tell(
        user,
        "password_reset_done",
        "Your OCC eService password was reset",
        "The password of your OCC eService account was reset through an e-mailed link, and "
        "every session of the account was ended. If you did not do this, tell OCC at once.",
    )
    workers.commit()
    return user
