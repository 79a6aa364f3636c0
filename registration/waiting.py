"""How long OCC staff usually take to decide a registration, from recent decisions, in words."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import select

from app import db
from registration.models import AttorneyProfile, RegistrationState

WINDOW_DAYS = 90
# Fewer decisions than this say little about the next one: the page then speaks generally.
MIN_DECISIONS = 5
GENERAL_WORDING = "OCC staff usually decide within a few working days."


def working_days_between(start: datetime, end: datetime) -> float:
    """Weekdays (Monday to Friday) elapsed from ``start`` to ``end``, in fractions of a day."""
    if end <= start:
        return 0.0
    total = 0.0
    cursor = start
    while cursor < end:
        next_midnight = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time())
        next_midnight = next_midnight.replace(tzinfo=cursor.tzinfo)
        step_end = min(next_midnight, end)
        if cursor.weekday() < 5:
            total += (step_end - cursor).total_seconds() / 86400
        cursor = step_end
    return total


def usual_wait_wording(waits: list[float]) -> str:
    """The median of ``waits`` (in working days) as a sentence an attorney can plan around."""
    if len(waits) < MIN_DECISIONS:
        return GENERAL_WORDING
    middle = median(waits)
    if middle <= 1:
        return "OCC staff usually decide within 1 working day."
    return f"OCC staff usually decide within {math.ceil(middle)} working days."


def recent_waits(now: datetime | None = None) -> list[float]:
    """Working days from e-mail confirmed to decision, for registrations decided lately."""
    now = now or db.utcnow()
    rows = db.session.execute(
        select(AttorneyProfile.submitted_at, AttorneyProfile.decided_at).where(
            AttorneyProfile.decided_at >= now - timedelta(days=WINDOW_DAYS),
            AttorneyProfile.submitted_at.is_not(None),
            AttorneyProfile.state.in_(
                [
                    RegistrationState.VERIFIED,
                    RegistrationState.REJECTED,
                    RegistrationState.SUSPENDED,
                ]
            ),
        )
    )
    return [working_days_between(s, d) for s, d in rows if s is not None and d is not None]


def usual_wait() -> str:
    """The sentence for the status page: how long a decision usually takes now."""
    return usual_wait_wording(recent_waits())
