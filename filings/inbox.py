"""An office's inbox: the served sets its staff work, and how they are found.

Lists are paged by keyset (the sort key of the last row seen, never an OFFSET), so a page costs
the same on the first day and after years of filings, and a set served while someone reads does
not shift the rows under them. A cursor is a filing's id: its sort key is read from the row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from app import db
from app.users import User
from filings.inbox_filters import InboxFilters, parse
from filings.models import IN_INBOX, Filing, FilingRider, FilingStatus, InboxStateCount

PAGE_SIZE = 50


@dataclass(frozen=True)
class Key:
    """One column of a sort: ascending unless ``descending``; a nullable one puts NULL last."""

    column: InstrumentedAttribute[Any]
    descending: bool = False
    nullable: bool = False


SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "urgent": (
        Key(Filing.detained, descending=True),
        Key(Filing.next_hearing_on, nullable=True),
        Key(Filing.received_at),
        Key(Filing.id),
    ),
    "newest": (Key(Filing.received_at, descending=True), Key(Filing.id, descending=True)),
    "oldest": (Key(Filing.received_at), Key(Filing.id)),
    "hearing": (
        Key(Filing.next_hearing_on, nullable=True),
        Key(Filing.received_at),
        Key(Filing.id),
    ),
}


def _order(keys: Sequence[Key], reverse: bool) -> list[Any]:
    clauses = []
    for key in keys:
        clause = key.column.desc() if key.descending != reverse else key.column.asc()
        if key.nullable:
            clause = clause.nulls_first() if reverse else clause.nulls_last()
        clauses.append(clause)
    return clauses


def _after(keys: Sequence[Key], values: Sequence[Any], reverse: bool) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order of ``keys`` (before them when ``reverse``)."""
    if not keys:
        return false()
    key, value, column = keys[0], values[0], keys[0].column
    descending, nulls_last = key.descending != reverse, not reverse
    if value is None:
        later: ColumnElement[bool] = false() if nulls_last else column.is_not(None)
        same: ColumnElement[bool] = column.is_(None)
    elif isinstance(value, bool):  # SQL compares booleans with = and IS only
        later = column.is_(not value) if value == descending else false()
        same = column.is_(value)
    else:
        later = column < value if descending else column > value
        if key.nullable and nulls_last:
            later = or_(later, column.is_(None))
        same = column == value
    return or_(later, and_(same, _after(keys[1:], values[1:], reverse)))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


MAX_ATTORNEY_IDS = 500


def _attorneys_named(prefix: str) -> ColumnElement[bool]:
    """Sets served by an account whose e-mail, name or a later word of it (the surname) starts
    with ``prefix``.

    The accounts are looked up first: a few hundred become a list of ids, which the planner
    reads well (filings by attorney, on an index); more stay a subquery, which it then reads
    as "nearly everyone" and walks the list in order.
    """
    like = _like(prefix) + "%"
    named = select(User.id).where(
        or_(
            User.email.ilike(like, escape="\\"),
            User.full_name.ilike(like, escape="\\"),
            User.full_name.ilike("% " + like, escape="\\"),
        )
    )
    ids = list(db.session.scalars(named.limit(MAX_ATTORNEY_IDS + 1)))
    return Filing.attorney_id.in_(named if len(ids) > MAX_ATTORNEY_IDS else ids)


MAX_FAMILY_IDS = 500


def _for_a_number(a_number: str) -> ColumnElement[bool]:
    """Sets served for this A-Number: as the lead, or as a rider of a family.

    The families are looked up first (filing_riders by A-Number, an index), and their ids join
    the lead's index in one OR the planner reads as two index lookups; an A-Number in more
    families than that (never seen) stays a subquery.
    """
    ridden = select(FilingRider.filing_id).where(FilingRider.a_number == a_number)
    ids = list(db.session.scalars(ridden.limit(MAX_FAMILY_IDS + 1)))
    if not ids:
        return Filing.a_number == a_number
    return or_(
        Filing.a_number == a_number,
        Filing.id.in_(ridden if len(ids) > MAX_FAMILY_IDS else ids),
    )


def _listed(staff: User, filters: InboxFilters) -> Select[Filing]:
    """The sets of the staff member's office in the list ``filters`` describe, unordered."""
    query = select(Filing).where(Filing.office_id == staff.office_id, IN_INBOX)
    if filters.view == "new":
        query = query.where(Filing.status == FilingStatus.SERVED, Filing.claimed_by_id.is_(None))
    elif filters.view == "mine":
        query = query.where(Filing.status == FilingStatus.SERVED, Filing.claimed_by_id == staff.id)
    if filters.state:
        query = query.where(Filing.status == filters.state)
    if filters.receipt:
        query = query.where(Filing.receipt_number == filters.receipt)
    if filters.a_number:
        query = query.where(_for_a_number(filters.a_number))
    if filters.attorney:
        query = query.where(_attorneys_named(filters.attorney))
    for word in filters.title_words:
        query = query.where(Filing.title.ilike(f"%{_like(word)}%", escape="\\"))
    zone = staff.office.zone if staff.office else ZoneInfo("UTC")
    if filters.received_from:
        query = query.where(Filing.received_at >= _local_midnight(filters.received_from, zone))
    if filters.received_to:
        end = _local_midnight(filters.received_to + timedelta(days=1), zone)
        query = query.where(Filing.received_at < end)
    return query


@dataclass
class InboxPage:
    filings: list[Filing]
    # Cursors for the links: ?before=<prev_before> and ?after=<next_after>; None at an end.
    prev_before: str | None
    next_after: str | None


def _key_of(filing: Filing, keys: Sequence[Key]) -> list[Any]:
    return [getattr(filing, key.column.key) for key in keys]


def _cursor(staff: User, filing_id: str | None, keys: Sequence[Key]) -> list[Any] | None:
    if not filing_id or len(filing_id) > 36:
        return None
    columns = [key.column for key in keys]
    row = db.session.execute(
        select(*columns).where(Filing.id == filing_id, Filing.office_id == staff.office_id)
    ).first()
    return list(row) if row else None


def _any_beyond(
    listed: Select[Filing], keys: Sequence[Key], values: list[Any], reverse: bool
) -> bool:
    query = listed.with_only_columns(Filing.id).where(_after(keys, values, reverse)).limit(1)
    return db.session.scalar(query) is not None


def page(
    staff: User,
    filters: InboxFilters,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> InboxPage:
    """One page of the list: the first, the one after the filing ``after`` or the one before
    the filing ``before`` (an unknown cursor reads as the first page)."""
    keys, listed = SORT_KEYS[filters.sort], _listed(staff, filters)
    reverse = before is not None and after is None
    cursor = _cursor(staff, before if reverse else after, keys)
    query = listed.options(
        selectinload(Filing.attorney), selectinload(Filing.claimed_by), selectinload(Filing.riders)
    )
    if cursor is not None:
        query = query.where(_after(keys, cursor, reverse))
    rows = list(db.session.scalars(query.order_by(*_order(keys, reverse)).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        if not more:  # back at the start: show the first page whole
            return page(staff, filters, size=size)
        rows.reverse()
        return InboxPage(rows, rows[0].id, rows[-1].id)
    has_prev = cursor is not None and (
        _any_beyond(listed, keys, _key_of(rows[0], keys), True) if rows else True
    )
    prev_before = (rows[0].id if rows else after) if has_prev else None
    return InboxPage(rows, prev_before, rows[-1].id if more else None)


def neighbours(
    staff: User, filing_id: str, args: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """The filings before and after ``filing_id`` in the list that the query string ``args``
    describes (the list it was opened from); None at an end or for a list with bad filters."""
    parsed = parse(args)
    keys = SORT_KEYS[parsed.filters.sort]
    cursor = _cursor(staff, filing_id, keys)
    if parsed.errors or cursor is None:
        return None, None
    listed = _listed(staff, parsed.filters).with_only_columns(Filing.id)
    found = []
    for reverse in (True, False):
        query = listed.where(_after(keys, cursor, reverse)).order_by(*_order(keys, reverse))
        found.append(db.session.scalar(query.limit(1)))
    return found[0], found[1]


def counts(staff: User) -> dict[str, int]:
    """How many sets of the office's inbox are in each state (kept by the database as states
    change), and how many are new or claimed by the staff member (among the served ones)."""
    office = Filing.office_id == staff.office_id
    by_state = db.session.execute(
        select(InboxStateCount.status, InboxStateCount.n).where(
            InboxStateCount.office_id == staff.office_id, InboxStateCount.n > 0
        )
    )
    result: dict[str, int] = {str(state): n for state, n in by_state}
    served = db.session.execute(
        select(Filing.claimed_by_id, func.count())
        .where(office, IN_INBOX, Filing.status == FilingStatus.SERVED)
        .group_by(Filing.claimed_by_id)
    )
    claimed = {claimer: n for claimer, n in served}
    result["new"], result["mine"] = claimed.get(None, 0), claimed.get(staff.id, 0)
    return result


def inbox(staff: User, filters: InboxFilters | None = None) -> list[Filing]:
    """The first page of a list (all of the office's inbox, most urgent first, by default)."""
    return page(staff, filters or InboxFilters()).filings
