"""Suspending a verified attorney, and reinstating them.

A suspension ends every session of the account and revokes its API tokens in the same
transaction as the change of state, so nothing the attorney holds keeps working after it. A
suspended account still holds its EOIR ID and bar admission (see registration.holders).
"""

from __future__ import annotations

from sqlalchemy import update

import workers
from app import audit, db
from app.accounts import end_access
from app.notifications import notify
from app.users import User, user_by_email
from registration.models import AttorneyProfile, RegistrationState


class SuspensionError(ValueError):
    """The attorney cannot be suspended or reinstated now; the message says why."""


def attorney_by_email(email: str) -> AttorneyProfile:
    user = user_by_email(email)
    profile = db.session.get(AttorneyProfile, user.id) if user is not None else None
    if profile is None:
        raise SuspensionError(f"No attorney account with the e-mail {email}.")
    return profile


def _move(
    attorney_id: int,
    from_state: RegistrationState,
    refusal: str,
    **values: object,
) -> AttorneyProfile:
    """Move the attorney out of ``from_state`` by a conditional update; the profile, reloaded,
    or SuspensionError(``refusal``) when it was not in that state."""
    changed = db.conditional_update(
        update(AttorneyProfile)
        .where(AttorneyProfile.user_id == attorney_id, AttorneyProfile.state == from_state)
        .values(**values)
    )
    if not changed:
        db.session.rollback()
        raise SuspensionError(refusal)
    profile = db.session.get(AttorneyProfile, attorney_id)
    assert profile is not None
    db.session.refresh(profile)
    return profile


def suspend(
    attorney_id: int, reason: str, actor: User | None = None, actor_label: str | None = None
) -> AttorneyProfile:
    """Suspend a verified attorney: they can no longer log in to serve, nor use the API."""
    reason = reason.strip()
    if not reason:
        raise SuspensionError("Give the reason for the suspension; the attorney is told it.")
    now = db.utcnow()
    profile = _move(
        attorney_id,
        RegistrationState.VERIFIED,
        "Only a verified attorney can be suspended.",
        state=RegistrationState.SUSPENDED,
        suspended_at=now,
        suspension_reason=reason,
    )
    end_access(profile.user)
    audit.record(
        "registration.suspended",
        obj_type="user",
        obj_id=attorney_id,
        actor=actor,
        actor_label=actor_label,
        reason=reason,
    )
    notify(
        f"user:{attorney_id}:suspended:{now.isoformat()}",
        "registration_suspended",
        profile.user.email,
        "Your OCC eService account is suspended",
        f"Dear {profile.user.full_name},\n\nOCC staff suspended your OCC eService account: "
        "you cannot serve documents, and your API tokens no longer work.\n\n"
        f"Reason: {reason}\n\nContact the OCC field office if you think this is a mistake.\n",
    )
    workers.commit()
    return profile


def reinstate(
    attorney_id: int, actor: User | None = None, actor_label: str | None = None
) -> AttorneyProfile:
    """Reinstate a suspended attorney; they log in again and make new API tokens."""
    now = db.utcnow()
    profile = _move(
        attorney_id,
        RegistrationState.SUSPENDED,
        "Only a suspended attorney can be reinstated.",
        state=RegistrationState.VERIFIED,
        suspended_at=None,
        suspension_reason=None,
    )
    audit.record(
        "registration.reinstated",
        obj_type="user",
        obj_id=attorney_id,
        actor=actor,
        actor_label=actor_label,
    )
    notify(
        f"user:{attorney_id}:reinstated:{now.isoformat()}",
        "registration_reinstated",
        profile.user.email,
        "Your OCC eService account is reinstated",
        f"Dear {profile.user.full_name},\n\nOCC staff reinstated your OCC eService account. "
        "Log in again to serve documents; API tokens revoked by the suspension stay revoked, so "
        "make new ones.\n",
    )
    workers.commit()
    return profile


def revoke(attorney_id: int, reason: str, actor: User) -> AttorneyProfile:
    """End a suspended attorney's verification for good (rejected), which releases their EOIR
    ID and bar admission to the account that rightly holds them."""
    reason = reason.strip()
    if not reason:
        raise SuspensionError("Give the reason for revoking; the attorney is told it.")
    now = db.utcnow()
    profile = _move(
        attorney_id,
        RegistrationState.SUSPENDED,
        "Suspend the attorney first; only a suspension can be revoked.",
        state=RegistrationState.REJECTED,
        decided_at=now,
        decided_by_id=actor.id,
        decision_reason=reason,
    )
    audit.record(
        "registration.revoked", obj_type="user", obj_id=attorney_id, actor=actor, reason=reason
    )
    notify(
        f"user:{attorney_id}:revoked:{now.isoformat()}",
        "registration_revoked",
        profile.user.email,
        "Your OCC eService verification is revoked",
        f"Dear {profile.user.full_name},\n\nOCC staff revoked the verification of your OCC "
        f"eService account.\n\nReason: {reason}\n",
    )
    workers.commit()
    return profile
