"""Registering attorneys, confirming their e-mail, and staff decisions on them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import workers
from app import audit, db
from app.links import external_url
from app.notifications import notify
from app.users import Role, User, normalise_email, user_by_email
from registration import evidence, holders
from registration.anumbers import format_a_number
from registration.models import AttorneyProfile, ClaimedANumber, RegistrationState

CONFIRM_MAX_AGE_SECONDS = 48 * 3600
_CONFIRM_SALT = "eservice.email-confirm"


class DecisionError(ValueError):
    """The registration is not in a state that allows this decision."""


@dataclass(frozen=True)
class Registration:
    full_name: str
    email: str
    password: str
    bar_state: str | None
    bar_number: str | None
    eoir_id: str | None
    firm: str
    phone: str
    mailing_address: str
    a_numbers: list[str]
    practice_office_id: int  # checked by registration.practice_office.office_for


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_CONFIRM_SALT)


def confirmation_token(user: User) -> str:
    # The session version is in the token, so a link dies when the password changes.
    return _serializer().dumps({"uid": user.id, "email": user.email, "v": user.session_version})


def register(reg: Registration) -> None:
    """Create the account and send the confirmation link.

    An e-mail already registered gets a notice instead of a second account, and the caller
    shows the same page either way, so the form does not tell who is registered. Both ways
    hash the password, the expensive part, so they also take the same time.
    """
    email = normalise_email(reg.email)
    existing = user_by_email(email)
    user = User(email=email, full_name=reg.full_name, role=Role.ATTORNEY)
    user.set_password(reg.password)
    if existing is not None:
        _notify_existing(existing)
        return
    profile = AttorneyProfile(
        user=user,
        state=RegistrationState.EMAIL_UNCONFIRMED,
        bar_state=reg.bar_state,
        bar_number=reg.bar_number,
        eoir_id=reg.eoir_id,
        firm=reg.firm,
        phone=reg.phone,
        mailing_address=reg.mailing_address,
        practice_office_id=reg.practice_office_id,
        claims=[ClaimedANumber(a_number=n) for n in reg.a_numbers],
    )
    db.session.add_all([user, profile])
    try:
        db.session.flush()
    except IntegrityError:  # the same e-mail registered at the same moment
        workers.outbox.rollback()
        return
    audit.record(
        "registration.create",
        obj_type="user",
        obj_id=user.id,
        actor=user,
        a_numbers=len(reg.a_numbers),
    )
    _send_confirmation(user, "first")
    workers.commit()


def _send_confirmation(user: User, attempt: str) -> bool:
    """Queue a confirmation link; False when one was already queued for this attempt."""
    link = external_url("registration.confirm", token=confirmation_token(user))
    return (
        notify(
            f"user:{user.id}:confirm:{user.session_version}:{attempt}",
            "confirm_email",
            user.email,
            "Confirm your e-mail for OCC eService",
            f"Dear {user.full_name},\n\nConfirm your e-mail address by opening this link within 48 "
            f"hours:\n\n{link}\n\nAfter that, OCC staff will review your registration against "
            "E-28 appearance records. You will be e-mailed their decision.\n",
        )
        is not None
    )


class Resent(StrEnum):
    SENT = "sent"
    RECENTLY_SENT = "recently_sent"  # one went out in the last 10 minutes
    NOT_NEEDED = "not_needed"  # the e-mail is already confirmed


def resend_confirmation(user: User) -> Resent:
    """A new link for an attorney whose e-mail is still unconfirmed; at most one per 10 minutes."""
    profile = profile_of(user)
    if profile is None or profile.state != RegistrationState.EMAIL_UNCONFIRMED:
        return Resent.NOT_NEEDED
    now = db.utcnow()
    sent = _send_confirmation(user, f"{now:%Y%m%d%H}{now.minute // 10}")
    if sent:
        audit.record(
            "registration.confirmation_resent", obj_type="user", obj_id=user.id, actor=user
        )
    workers.commit()
    return Resent.SENT if sent else Resent.RECENTLY_SENT


def _notify_existing(user: User) -> None:
    audit.record("registration.duplicate_email", obj_type="user", obj_id=user.id, outcome="refused")
    notify(
        f"user:{user.id}:duplicate:{db.utcnow():%Y%m%d%H}",
        "duplicate_registration",
        user.email,
        "Someone tried to register your e-mail on OCC eService",
        "Someone tried to register a new OCC eService account with this e-mail address, which "
        "already has an account. If it was you, log in instead. If not, no action is needed.\n",
    )
    workers.commit()


class OtherAccountError(ValueError):
    """A confirmation link of one account opened while another account is logged in."""


def confirm_email(token: str, signed_in: User | None = None) -> User | None:
    """Confirm from a link; None when the link is bad or expired.

    Opened while logged in as another account, the link confirms nothing (OtherAccountError):
    the person at the keyboard may not own the address the link was sent to, and a confirmed
    registration should be the act of the address's owner, not a side effect of a shared
    browser. Opened by the account itself, logged in or not, it confirms.
    """
    try:
        data = _serializer().loads(token, max_age=CONFIRM_MAX_AGE_SECONDS)
    except (SignatureExpired, BadSignature):
        audit.record("registration.confirm", outcome="refused", reason="bad or expired link")
        db.session.commit()
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email") or user.session_version != data.get("v"):
        audit.record("registration.confirm", outcome="refused", reason="link does not match")
        db.session.commit()
        return None
    if signed_in is not None and signed_in.id != user.id:
        audit.record(
            "registration.confirm",
            obj_type="user",
            obj_id=user.id,
            actor=signed_in,
            outcome="refused",
            reason="another account is logged in",
        )
        db.session.commit()
        raise OtherAccountError("another account is logged in")
    changed = db.conditional_update(
        update(AttorneyProfile)
        .where(
            AttorneyProfile.user_id == user.id,
            AttorneyProfile.state == RegistrationState.EMAIL_UNCONFIRMED,
        )
        .values(state=RegistrationState.PENDING_REVIEW, submitted_at=db.utcnow())
    )
    if changed:
        audit.record("registration.email_confirmed", obj_type="user", obj_id=user.id, actor=user)
    db.session.commit()
    return user


def review_queue() -> list[AttorneyProfile]:
    """Registrations waiting for staff, oldest first."""
    return list(
        db.session.scalars(
            select(AttorneyProfile)
            .where(AttorneyProfile.state == RegistrationState.PENDING_REVIEW)
            .order_by(AttorneyProfile.submitted_at, AttorneyProfile.user_id)
        )
    )


def decide(staff: User, attorney_id: int, verify: bool, reason: str) -> AttorneyProfile:
    """Verify or reject a registration waiting for review, and tell the attorney.

    Verifying is refused while another account holds the attorney's EOIR ID or bar admission,
    and needs a reason when no E-28 record matches any claimed A-Number.
    """
    reason = reason.strip()
    if not verify and not reason:
        raise DecisionError("Give the reason for rejecting, so the attorney can act on it.")
    profile = db.session.get(AttorneyProfile, attorney_id)
    if profile is None or profile.state != RegistrationState.PENDING_REVIEW:
        raise DecisionError("This registration is not waiting for review (already decided?).")
    claimed = [c.a_number for c in profile.claims]
    if verify:
        try:
            _check_can_verify(profile, claimed, reason)
        except DecisionError as refused:
            audit.record(
                "registration.verified",
                obj_type="user",
                obj_id=attorney_id,
                actor=staff,
                outcome="refused",
                reason=str(refused)[:300],
            )
            db.session.commit()
            raise
    new_state = RegistrationState.VERIFIED if verify else RegistrationState.REJECTED
    try:
        changed = db.conditional_update(
            update(AttorneyProfile)
            .where(
                AttorneyProfile.user_id == attorney_id,
                AttorneyProfile.state == RegistrationState.PENDING_REVIEW,
            )
            .values(
                state=new_state,
                decided_at=db.utcnow(),
                decided_by_id=staff.id,
                decision_reason=reason or None,
            )
        )
    except IntegrityError:
        # Another account was verified with the same identifier a moment ago: the unique
        # index on holding accounts refused this one.
        db.session.rollback()
        audit.record(
            "registration.verified",
            obj_type="user",
            obj_id=attorney_id,
            actor=staff,
            outcome="refused",
            reason="identifier already held",
        )
        db.session.commit()
        raise DecisionError(
            "Another account was verified with this EOIR ID or bar admission a moment ago, so "
            "this one cannot be. Reload the page to see it."
        ) from None
    if not changed:
        db.session.rollback()
        raise DecisionError("This registration is not waiting for review (already decided?).")
    db.session.refresh(profile)
    audit.record(
        f"registration.{new_state}", obj_type="user", obj_id=attorney_id, actor=staff, reason=reason
    )
    numbers = ", ".join(format_a_number(n) for n in claimed)
    if verify:
        subject = "Your OCC eService registration is verified"
        body = (
            f"Dear {profile.user.full_name},\n\nOCC staff verified your registration "
            f"(A-Numbers reviewed: {numbers}). You can now serve documents on OCC field "
            "offices through OCC eService, on the A-Numbers for which an E-28 naming you is on "
            "record.\n"
        )
    else:
        subject = "Your OCC eService registration was not verified"
        body = (
            f"Dear {profile.user.full_name},\n\nOCC staff could not verify your "
            f"registration (A-Numbers reviewed: {numbers}).\n\nReason: {reason}\n\n"
            "If you have not yet filed an E-28 with OCC for one of your cases, serve it "
            "first, then register again or contact the field office.\n"
        )
    notify(
        f"user:{attorney_id}:decision:{new_state}",
        f"registration_{new_state}",
        profile.user.email,
        subject,
        body,
    )
    workers.commit()
    return profile


def _check_can_verify(profile: AttorneyProfile, claimed: list[str], reason: str) -> None:
    held = holders.conflicts(profile)
    if held:
        raise DecisionError(
            " ".join(c.message for c in held)
            + " It cannot be verified until that is resolved: the attorney corrects the "
            "identifier, or the other account no longer holds it."
        )
    if not reason and not evidence.gather(profile, claimed).any_match:
        raise DecisionError(
            "No E-28 record names this attorney on a claimed A-Number. To verify anyway, give "
            "the reason (for example, the E-28 you saw and where)."
        )


def correct_identifiers(
    user: User, bar_state: str | None, bar_number: str | None, eoir_id: str | None
) -> AttorneyProfile:
    """An attorney not yet verified corrects their bar admission or EOIR ID (already
    normalised by the form)."""
    changed = db.conditional_update(
        update(AttorneyProfile)
        .where(
            AttorneyProfile.user_id == user.id,
            AttorneyProfile.state.in_(
                [RegistrationState.EMAIL_UNCONFIRMED, RegistrationState.PENDING_REVIEW]
            ),
        )
        .values(bar_state=bar_state, bar_number=bar_number, eoir_id=eoir_id)
    )
    if not changed:
        db.session.rollback()
        raise DecisionError("Identifiers can be corrected only until the registration is decided.")
    audit.record("registration.identifiers_changed", obj_type="user", obj_id=user.id, actor=user)
    db.session.commit()
    profile = profile_of(user)
    assert profile is not None
    db.session.refresh(profile)
    return profile


def profile_of(user: User) -> AttorneyProfile | None:
    return db.session.get(AttorneyProfile, user.id)


def is_verified_attorney(user: User) -> bool:
    if not user.is_attorney:
        return False
    profile = profile_of(user)
    return profile is not None and profile.is_verified
