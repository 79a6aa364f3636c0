"""Personal API tokens for case-management software. Only a SHA-256 of a token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from app import audit, db
from app.users import User

PREFIX = "esv_"

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
    last_used_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)

    user: Mapped[User] = relationship()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str, actor_label: str | None = None) -> str:
    """Issue a token; the plain value is returned once and never stored."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=(name.strip() or "API token")[:100],
        token_hash=_digest(token),
        hint=token[:10],
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


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def user_for_token(token: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))  # one query for the token and its user
        .where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.active:
        return None
    now = db.utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        db.session.commit()
    return row.user
