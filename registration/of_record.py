"""The attorneys of record for an A-Number: verified attorneys an E-28 appearance record names
for it, by EOIR ID or by bar admission (the reverse of registration.appearances.names_attorney).
They are whom OCC serves on that case."""

from __future__ import annotations

from sqlalchemy import and_, exists, or_, select

from app import db
from app.users import User
from registration.models import Appearance, AttorneyProfile, RegistrationState


def attorneys_of_record(a_number: str) -> list[AttorneyProfile]:
    """Verified attorneys named by an E-28 record for ``a_number`` (nine digits), by name.

    A suspended or unverified account is not one: it cannot be served."""
    named = exists().where(
        Appearance.a_number == a_number,
        or_(
            and_(
                AttorneyProfile.eoir_id.is_not(None),
                Appearance.eoir_id == AttorneyProfile.eoir_id,
            ),
            and_(
                AttorneyProfile.bar_state.is_not(None),
                AttorneyProfile.bar_number.is_not(None),
                Appearance.bar_state == AttorneyProfile.bar_state,
                Appearance.bar_number == AttorneyProfile.bar_number,
            ),
        ),
    )
    return list(
        db.session.scalars(
            select(AttorneyProfile)
            .join(User, User.id == AttorneyProfile.user_id)
            .where(
                AttorneyProfile.state == RegistrationState.VERIFIED,
                User.active.is_(True),
                named,
            )
            .order_by(User.full_name, User.id)
        )
    )
