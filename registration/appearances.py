"""E-28 appearance records: adding, importing from CSV, and matching them to attorneys."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

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

CSV_HEADER = ["a_number", "attorney_name", "bar_state", "bar_number", "eoir_id", "filed_on"]


class AppearanceError(ValueError):
    pass


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)  # "line N: problem"


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


def import_csv(stream: TextIO, actor_label: str = "cli") -> ImportReport:
    """Import records; bad rows are reported by line and skipped, good rows kept.

    Re-importing the same file adds nothing (records are matched on their natural key).
    """
    report = ImportReport()
    reader = csv.DictReader(stream)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if header != CSV_HEADER:
        report.errors.append(f"line 1: header must be {','.join(CSV_HEADER)}")
        return report
    reader.fieldnames = header
    seen: set[str] = set()
    existing = set(db.session.scalars(select(Appearance.natural_key)))
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            report.errors.append(f"line {line}: expected {len(CSV_HEADER)} columns")
            continue
        try:
            record = build_appearance(**{k: row[k] for k in CSV_HEADER}, source="import")
        except AppearanceError as exc:
            report.errors.append(f"line {line}: {exc}")
            continue
        if record.natural_key in existing or record.natural_key in seen:
            report.duplicates += 1
            continue
        seen.add(record.natural_key)
        db.session.add(record)
        report.added += 1
    audit.record(
        "appearance.import",
        actor_label=actor_label,
        added=report.added,
        duplicates=report.duplicates,
        errors=len(report.errors),
    )
    db.session.commit()
    return report


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
