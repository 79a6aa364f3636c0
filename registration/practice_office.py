"""The OCC field office where most of an attorney's cases are: chosen at registration, changed
by the attorney, and used to give each office's staff their own verification queue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from app import audit, db
from app.offices import Office, all_offices, office_by_code
from app.users import User
from registration.models import AttorneyProfile

QUESTION = "The OCC field office where most of your cases are"
MISSING = "Choose the OCC field office where most of your cases are."


def choices() -> list[tuple[str, str]]:
    """The select's options, labelled as on the serve form."""
    return [("", "— choose —")] + [(o.code, o.label) for o in all_offices()]


class PracticeOfficeError(ValueError):
    """The office given is missing or is not an OCC field office."""


def office_for(code: str | None) -> Office:
    """The field office of a code from the form; PracticeOfficeError in words for a person."""
    code = (code or "").strip()
    if not code:
        raise PracticeOfficeError(MISSING)
    office = office_by_code(code) if len(code) <= 8 else None
    if office is None:
        raise PracticeOfficeError(
            f"“{code[:20]}” is not an OCC field office: choose one from the list."
        )
    return office


def change(user: User, code: str | None) -> Office:
    """The attorney names another practice office; audited with the old and the new office."""
    office = office_for(code)
    profile = db.session.get(AttorneyProfile, user.id)
    if profile is None:
        raise PracticeOfficeError("You have no registration to change.")
    before = profile.practice_office.code if profile.practice_office else None
    if before == office.code:
        return office
    db.session.execute(
        update(AttorneyProfile)
        .where(AttorneyProfile.user_id == user.id)
        .values(practice_office_id=office.id)
    )
    audit.record(
        "registration.practice_office_changed",
        obj_type="user",
        obj_id=user.id,
        actor=user,
        before=before,
        after=office.code,
    )
    db.session.commit()
    db.session.refresh(profile)
    return office


@dataclass(frozen=True)
class OfficeScope:
    """Which registrations a staff member's queue shows: their own office's, or all."""

    key: str  # "mine" or "all"
    office: Office | None  # the staff member's office (None: an account without one)

    def includes(self, profile: AttorneyProfile) -> bool:
        if self.key == "all":
            return True
        return self.office is not None and profile.practice_office_id == self.office.id


def scope_of(staff: User, asked: str | None) -> OfficeScope:
    """``?office=mine|all``; staff with an office see theirs by default, others see all."""
    office = staff.office
    if office is None:  # an account with no office of its own has only "all"
        return OfficeScope(key="all", office=None)
    return OfficeScope(key="all" if asked == "all" else "mine", office=office)


def counts(waiting: list[AttorneyProfile], office: Office | None) -> dict[str, int]:
    """How many waiting registrations are of ``office`` ("mine"), in all, and with no office."""
    return {
        "mine": sum(1 for p in waiting if office is not None and p.practice_office_id == office.id),
        "all": len(waiting),
        "none": sum(1 for p in waiting if p.practice_office_id is None),
    }
