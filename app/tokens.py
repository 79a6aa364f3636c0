"""Personal API tokens for case-management software. Only a SHA-256 of a token is stored.

A token belongs to an account: it expires (``ESERVICE_API_TOKEN_DAYS`` by default, or a
lifetime chosen when it is made) and is revoked with the account's other access
(app.accounts.end_access).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from app import audit, db
from app.users import User

PREFIX = "esv_"
# The bounds of a lifetime chosen when a token is made.
MIN_DAYS = 1
MAX_DAYS = 730

# The tokens page shows the last use to the minute, so it is written at most once a minute:
# a program calling many times a minute costs no write and no commit on each call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiToken(db.Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))  # the first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
    expires_at: Mapped[datetime] = mapped_column(db.UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)

    user: Mapped[User] = relationship()

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now


class TokenLifetimeError(ValueError):
    """A lifetime out of bounds; the message says which are allowed."""


class TokenRefused(Exception):
    """A token that does not authenticate: ``code`` and ``message`` go to the API client."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime_days(days: int | None) -> int:
    """The lifetime of a new token: ``days`` when given (within bounds), else the setting."""
    if days is None:
        return int(current_app.config["ESERVICE"].api_token_days)
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise TokenLifetimeError(
            f"A token lasts between {MIN_DAYS} and {MAX_DAYS} days; {days} is out of bounds."
        )
    return days


def create_token(
    user: User, name: str, actor_label: str | None = None, days: int | None = None
) -> str:
    """Issue a token lasting ``days`` (default: the setting); the plain value is returned once
    and never stored. Raises TokenLifetimeError before storing anything."""
    lifetime = lifetime_days(days)
    token = PREFIX + secrets.token_urlsafe(32)
    now = db.utcnow()
    row = ApiToken(
        user_id=user.id,
        name=(name.strip() or "API token")[:100],
        token_hash=_digest(token),
        hint=token[:10],
        created_at=now,
        expires_at=now + timedelta(days=lifetime),
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "api_token.create",
        obj_type="api_token",
        obj_id=row.id,
        actor=None if actor_label else user,
        actor_label=actor_label,
        owner=user.id,
        expires_at=row.expires_at.isoformat(timespec="seconds"),
    )
    db.session.commit()
    return token


def revoke_token(user: User, token_id: int) -> bool:
    changed = db.conditional_update(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=db.utcnow())
    )
    if changed:
        audit.record("api_token.revoke", obj_type="api_token", obj_id=token_id, actor=user)
    db.session.commit()
    return bool(changed)


def revoke_all(user: User) -> int:
    """Revoke every live token of ``user``, in the caller's transaction; returns how many."""
    return db.conditional_update(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=db.utcnow())
    )


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def owner_of_token(token: str) -> User:
    """The active user a live, unexpired token belongs to; raises TokenRefused saying why not."""
    invalid = TokenRefused("unauthorized", "Send a valid API token: Authorization: Bearer <token>.")
    if not token.startswith(PREFIX) or len(token) > 100:
        raise invalid
    digest = _digest(token)
    row = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))  # one query for the token and its user
        .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.active:
        raise invalid
    now = db.utcnow()
    if row.expired(now):
        raise TokenRefused(
            "token_expired",
            f"This API token expired on {row.expires_at:%Y-%m-%d %H:%M} UTC. "
            "Create a new one on the API tokens page and put it in your software.",
        )
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        db.session.commit()
    return row.user
