"""Who holds an identifier: one verified (or suspended) account per EOIR ID and bar admission.

An EOIR ID or bar admission names one attorney, and E-28 records are matched to accounts by
them, so a second account verified with the same one would gain every A-Number of the first.
A claim of an identifier another account holds is shown to staff and cannot be verified until
it is resolved; the partial unique indexes on attorney_profiles hold the line at the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app import db
from registration.models import HOLDING_STATES, AttorneyProfile


@dataclass(frozen=True)
class Conflict:
    identifier: str  # "EOIR ID XY123456" or "bar admission GA 448812"
    holder: AttorneyProfile

    @property
    def message(self) -> str:
        user = self.holder.user
        return (
            f"The {self.identifier} is already held by {user.full_name} <{user.email}> "
            f"({self.holder.state})."
        )


def conflicts(profile: AttorneyProfile) -> list[Conflict]:
    """The other holding accounts with this profile's EOIR ID or bar admission."""
    found: list[Conflict] = []
    others = select(AttorneyProfile).where(
        AttorneyProfile.user_id != profile.user_id,
        AttorneyProfile.state.in_(HOLDING_STATES),
    )
    if profile.eoir_id:
        for holder in db.session.scalars(others.where(AttorneyProfile.eoir_id == profile.eoir_id)):
            found.append(Conflict(f"EOIR ID {profile.eoir_id}", holder))
    if profile.bar_state and profile.bar_number:
        same_bar = others.where(
            AttorneyProfile.bar_state == profile.bar_state,
            AttorneyProfile.bar_number == profile.bar_number,
        )
        for holder in db.session.scalars(same_bar):
            found.append(
                Conflict(f"bar admission {profile.bar_state} {profile.bar_number}", holder)
            )
    return found
