"""E-28 appearance records: adding them, and matching them to attorneys (importing from CSV is
in registration.appearance_import)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select

from app import audit, db
from app.users import User
from registration.anumbers import ANumberError, normalise_a_number
from registration.identifiers import (
    IdentifierError,
    match_kind,
    normalise_bar_number,
    normalise_bar_state,
    normalise_eoir_id,
)
from registration.models import Appearance, AttorneyProfile
from registration.names import name_key


class AppearanceError(ValueError):
    pass


def build_appearance(
    a_number: str,
    attorney_name: str,
    bar_state: str | None,
    bar_number: str | None,
    eoir_id: str | None,
    filed_on: str | date,
    source: str,
) -> Appearance:
    """Validate one record; raise AppearanceError naming the problem."""
    try:
        digits = normalise_a_number(a_number)
        state = normalise_bar_state(bar_state)
        number = normalise_bar_number(bar_number, state)
        eoir = normalise_eoir_id(eoir_id)
    except (ANumberError, IdentifierError) as exc:
        raise AppearanceError(str(exc)) from None
    name = " ".join((attorney_name or "").split())
    if not name:
        raise AppearanceError("attorney_name is empty")
    if bool(state) != bool(number):
        raise AppearanceError("bar_state and bar_number go together")
    if not eoir and not (state and number):
        raise AppearanceError("needs an EOIR ID or a bar state and number")
    if isinstance(filed_on, date):
        when = filed_on
    else:
        try:
            when = date.fromisoformat((filed_on or "").strip())
        except ValueError:
            raise AppearanceError(f"filed_on “{filed_on}” is not a date like 2024-03-31") from None
    if when > date.today():
        raise AppearanceError(f"filed_on {when} is in the future")
    key = "|".join([digits, eoir or "", state or "", number or "", when.isoformat()])
    return Appearance(
        a_number=digits,
        attorney_name=name[:200],
        bar_state=state,
        bar_number=number,
        eoir_id=eoir,
        filed_on=when,
        natural_key=key,
        name_key=name_key(name),
        source=source,
    )


def add_appearance(staff: User, **values: str) -> Appearance:
    """Staff add one record by hand."""
    record = build_appearance(**values, source="manual")
    if db.session.scalar(select(Appearance.id).where(Appearance.natural_key == record.natural_key)):
        raise AppearanceError("this appearance record is already on file")
    record.created_by_id = staff.id
    db.session.add(record)
    db.session.flush()
    audit.record("appearance.add", obj_type="appearance", obj_id=record.id, actor=staff)
    db.session.commit()
    return record


@dataclass(frozen=True)
class ClaimCheck:
    a_number: str
    match: str | None  # "EOIR ID", "bar admission", ... or None
    record: Appearance | None


def check_claims(profile: AttorneyProfile, a_numbers: Iterable[str]) -> list[ClaimCheck]:
    """For each A-Number, whether an appearance record names this attorney, and how."""
    numbers = list(a_numbers)
    records = db.session.scalars(
        select(Appearance).where(Appearance.a_number.in_(numbers)).order_by(Appearance.filed_on)
    ).all()
    ident = (profile.eoir_id, profile.bar_state, profile.bar_number)
    checks = []
    for number in numbers:
        best: tuple[str | None, Appearance | None] = (None, None)
        for rec in records:
            if rec.a_number != number:
                continue
            kind = match_kind(ident, (rec.eoir_id, rec.bar_state, rec.bar_number))
            if kind and (best[0] is None or len(kind) > len(best[0])):
                best = (kind, rec)
        checks.append(ClaimCheck(number, *best))
    return checks


def names_attorney(profile: AttorneyProfile) -> list[ColumnElement[bool]]:
    """SQL conditions under which an E-28 record names this attorney (none: no record can)."""
    conditions: list[ColumnElement[bool]] = []
    if profile.eoir_id:
        conditions.append(Appearance.eoir_id == profile.eoir_id)
    if profile.bar_state and profile.bar_number:
        conditions.append(
            and_(
                Appearance.bar_state == profile.bar_state,
                Appearance.bar_number == profile.bar_number,
            )
        )
    return conditions


def a_numbers_on_record(profile: AttorneyProfile) -> list[str]:
    """A-Numbers with an E-28 on record naming this attorney."""
    conditions = names_attorney(profile)
    if not conditions:
        return []
    return sorted(set(db.session.scalars(select(Appearance.a_number).where(or_(*conditions)))))


def on_record(profile: AttorneyProfile, a_number: str) -> bool:
    """Whether an E-28 record names this attorney for this A-Number."""
    conditions = names_attorney(profile)
    if not conditions:
        return False
    found = db.session.scalar(
        select(Appearance.id).where(Appearance.a_number == a_number, or_(*conditions)).limit(1)
    )
    return found is not None
