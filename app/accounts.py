"""The life cycle of an account: ending all access when it is suspended or deactivated."""

from __future__ import annotations

from sqlalchemy import update

from app import db
from app.users import User


def end_access(user: User) -> None:
    """End every session of ``user`` and revoke their API tokens, in the caller's transaction."""
    from filings.tokens import ApiToken

    user.session_version += 1  # every session cookie of the account stops loading the user
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=db.utcnow())
    )
