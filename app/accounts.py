"""The life cycle of an account: ending all its access, deactivating and reactivating staff."""

from __future__ import annotations

from app import audit, db
from app.sessions import EndReason, end_all_sessions
from app.tokens import revoke_all
from app.users import User

MAX_REASON_LENGTH = 500


class AccountError(ValueError):
    """A change of an account that cannot be made; the message says why."""


def end_access(user: User, why: str = EndReason.ACCESS_ENDED) -> None:
    """End every session of ``user`` and revoke their API tokens, in the caller's transaction."""
    user.session_version += 1  # every session cookie of the account stops loading the user
    end_all_sessions(user, why)
    revoke_all(user)


def deactivate_user(actor: User | None, user: User, reason: str) -> None:
    """Deactivate a staff account: it can no longer log in and its sessions end at once.

    ``actor`` is the administrator (None: the command line). Commits; AccountError when the
    change cannot be made, with nothing changed.
    """
    reason = reason.strip()
    _check_staff(user)
    if not reason:
        raise AccountError("Give the reason for deactivating the account.")
    if len(reason) > MAX_REASON_LENGTH:
        raise AccountError(f"The reason may be at most {MAX_REASON_LENGTH} characters.")
    if actor is not None and actor.id == user.id:
        raise AccountError("You cannot deactivate your own account.")
    if not user.active:
        raise AccountError(f"{user.email} is already deactivated.")
    user.active = False
    end_access(user, "deactivated")
    _record("user.deactivate", actor, user, reason=reason)
    db.session.commit()


def reactivate_user(actor: User | None, user: User) -> None:
    """Let a deactivated staff account log in again (its old sessions stay ended). Commits."""
    _check_staff(user)
    if user.active:
        raise AccountError(f"{user.email} is already active.")
    user.active = True
    _record("user.reactivate", actor, user)
    db.session.commit()


def _check_staff(user: User) -> None:
    if not user.is_staff:
        raise AccountError(
            f"{user.email} is not a staff account; an attorney's access ends by suspending "
            "their registration."
        )


def _record(action: str, actor: User | None, user: User, **detail: str) -> None:
    audit.record(
        action,
        obj_type="user",
        obj_id=user.id,
        actor=actor,
        actor_label=None if actor else "cli",
        **detail,
    )
