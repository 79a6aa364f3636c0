"""The E-28 records staff weigh when they verify an attorney or grant A-Numbers.

Every record that matches or nearly matches is shown, each with how: the same EOIR ID, the
same bar admission, the same bar number in another state, the same name with other
identifiers, or a record of another attorney on an A-Number the attorney claims. A record
*matches* when it names the attorney by EOIR ID or bar admission on an A-Number they claim:
knowing a client's A-Number and holding the identifier on that client's E-28 is the evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select

from app import db
from registration.identifiers import match_kind
from registration.models import Appearance, AttorneyProfile
from registration.names import name_key

# Enough to judge by; an identifier on more records than this is listed in part (and says so).
MAX_RECORDS = 200


@dataclass(frozen=True)
class RecordEvidence:
    record: Appearance
    how: list[str]  # each way the record matches or nearly matches, in words
    matches: bool  # names the attorney on a claimed A-Number


@dataclass(frozen=True)
class Evidence:
    records: list[RecordEvidence]
    truncated: bool

    @property
    def any_match(self) -> bool:
        return any(r.matches for r in self.records)

    def matched_a_numbers(self) -> set[str]:
        return {r.record.a_number for r in self.records if r.matches}


def gather(profile: AttorneyProfile, a_numbers: Iterable[str]) -> Evidence:
    """Records that match or nearly match ``profile`` and the A-Numbers it claims."""
    claimed = list(dict.fromkeys(a_numbers))
    key = name_key(profile.user.full_name)
    conditions: list[ColumnElement[bool]] = []
    if claimed:
        conditions.append(Appearance.a_number.in_(claimed))
    if profile.eoir_id:
        conditions.append(Appearance.eoir_id == profile.eoir_id)
    if profile.bar_number:
        conditions.append(Appearance.bar_number == profile.bar_number)
    if key:
        conditions.append(Appearance.name_key == key)
    if not conditions:
        return Evidence([], False)
    rows = list(
        db.session.scalars(
            select(Appearance)
            .where(or_(*conditions))
            .order_by(Appearance.filed_on.desc(), Appearance.id)
            .limit(MAX_RECORDS + 1)
        )
    )
    found = [_weigh(profile, claimed, key, r) for r in rows[:MAX_RECORDS]]
    found.sort(key=lambda e: (not e.matches, e.record.a_number not in claimed))
    return Evidence(found, len(rows) > MAX_RECORDS)


def _weigh(
    profile: AttorneyProfile, claimed: list[str], key: str, record: Appearance
) -> RecordEvidence:
    how: list[str] = []
    kind = match_kind(
        (profile.eoir_id, profile.bar_state, profile.bar_number),
        (record.eoir_id, record.bar_state, record.bar_number),
    )
    on_claimed = record.a_number in claimed
    if kind:
        how.append(f"same {kind}")
    elif profile.bar_number and record.bar_number == profile.bar_number:
        how.append(f"same bar number, but admitted in {record.bar_state or 'no state'}")
    if key and record.name_key == key:
        if kind:
            how.append("same name")
        else:
            how.append(f"same name, other identifiers ({_identifiers(record)})")
    if on_claimed:
        how.append(
            "on a claimed A-Number"
            if kind
            else f"on a claimed A-Number, record of another attorney ({_identifiers(record)})"
        )
    elif kind:
        how.append("on an A-Number the attorney did not list")
    return RecordEvidence(record, how, matches=bool(kind) and on_claimed)


def _identifiers(record: Appearance) -> str:
    parts = []
    if record.eoir_id:
        parts.append(f"EOIR ID {record.eoir_id}")
    if record.bar_state and record.bar_number:
        parts.append(f"bar {record.bar_state} {record.bar_number}")
    return ", ".join(parts) or "none"
