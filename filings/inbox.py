"""An office's inbox: the served sets its staff work, and how they are found."""

from __future__ import annotations

from sqlalchemy import or_, select

from app import db
from app.users import User
from filings.models import Filing, FilingStatus

# What an office's staff see: sets that were served, and sets held for them to review (and
# what they decided on those). Sets the automatic checks refused never reach the office.
_IN_INBOX = or_(
    Filing.passed_checks.is_(True),
    Filing.status == FilingStatus.HELD,
    Filing.decided_by_id.is_not(None),
)


def inbox(staff: User, a_number: str | None = None, status: str | None = None) -> list[Filing]:
    """The served sets of the staff member's office, newest first."""
    query = select(Filing).where(Filing.office_id == staff.office_id, _IN_INBOX)
    if a_number:
        query = query.where(Filing.a_number == a_number)
    if status:
        query = query.where(Filing.status == status)
    return list(db.session.scalars(query.order_by(Filing.received_at.desc(), Filing.id)))
