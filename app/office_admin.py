"""Field offices as administrators see them: staff counts, and a change of display name or time
zone (the code a filing names an office by never changes)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from sqlalchemy import case, func, select

from app import audit, db
from app.offices import Office
from app.users import Role, User

MAX_NAME_LENGTH = 120


class OfficeError(ValueError):
    """A change that cannot be made; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class OfficeRow:
    office: Office
    active_staff: int
    inactive_staff: int


def offices_with_staff() -> list[OfficeRow]:
    """Every office by name, with how many active and deactivated staff accounts it has."""
    staff = User.role.in_([Role.STAFF, Role.ADMIN])
    active = func.count(case((staff & User.active, User.id)))
    inactive = func.count(case((staff & ~User.active, User.id)))
    rows = db.session.execute(
        select(Office, active, inactive)
        .outerjoin(User, User.office_id == Office.id)
        .group_by(Office.id)
        .order_by(Office.name)
    )
    return [OfficeRow(office, a, i) for office, a, i in rows]


@cache
def time_zones() -> tuple[str, ...]:
    """The IANA zone names this system knows, sorted (``UTC`` and the like included)."""
    return tuple(sorted(available_timezones()))


def update_office(actor: User, office: Office, name: str, timezone: str) -> bool:
    """Change the office's display name and time zone; return whether anything changed.

    Commits with the audit event (the values before and after); OfficeError names the field.
    """
    new_name = " ".join((name or "").split())
    if not new_name:
        raise OfficeError("name", "Give the office a name.")
    if len(new_name) > MAX_NAME_LENGTH:
        raise OfficeError("name", f"The name may be at most {MAX_NAME_LENGTH} characters.")
    zone = (timezone or "").strip()
    if zone not in time_zones():
        raise OfficeError(
            "timezone", f"{zone[:64]!r} is not an IANA time zone (e.g. America/New_York)."
        )
    before = {"name": office.name, "timezone": office.timezone}
    after = {"name": new_name, "timezone": zone}
    if before == after:
        return False
    office.name, office.timezone = new_name, zone
    audit.record(
        "office.update",
        obj_type="office",
        obj_id=office.code,
        actor=actor,
        before=before,
        after=after,
    )
    db.session.commit()
    return True
