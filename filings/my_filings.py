"""An attorney's own filings, a page at a time: newest first, keyset paging on (received_at,
id) so the thousandth page costs what the first does, filtered by state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from app import db
from app.users import User
from filings.models import Filing, FilingStatus

PAGE_SIZE = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The states an attorney filters by, in the order of the filter's list, with their words.
STATE_CHOICES: tuple[tuple[FilingStatus, str], ...] = (
    (FilingStatus.RECEIVED, "Received: checking"),
    (FilingStatus.SERVED, "Served"),
    (FilingStatus.ACCEPTED, "Accepted by OCC"),
    (FilingStatus.REJECTED, "Rejected by OCC"),
    (FilingStatus.REFUSED, "Not served: refused"),
    (FilingStatus.HELD, "Held for OCC review"),
)


class BadListRequest(ValueError):
    """A state or page marker in the query string that is not one of ours."""


@dataclass(frozen=True)
class Page:
    filings: list[Filing]
    newer: str | None  # cursor for the page before (newer filings), None on the first
    older: str | None  # cursor for the page after (older filings), None on the last
    counts: dict[str, int]  # filings per state, all of this attorney's


def cursor_of(filing: Filing) -> str:
    """A page marker: the row's received_at in microseconds since 1970, and its id."""
    micros = (filing.received_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{filing.id}"


def _parse_cursor(cursor: str) -> tuple[datetime, str]:
    micros, _, filing_id = cursor.partition(".")
    if not micros.isdigit() or not filing_id or len(filing_id) > 36 or len(micros) > 18:
        raise BadListRequest("That page of your filings does not exist; start from the newest.")
    return _EPOCH + timedelta(microseconds=int(micros)), filing_id


def parse_state(value: str | None) -> FilingStatus | None:
    if not value:
        return None
    try:
        return FilingStatus(value)
    except ValueError:
        raise BadListRequest("Choose a state from the list.") from None


def counts_of(attorney: User) -> dict[str, int]:
    rows = db.session.execute(
        select(Filing.status, func.count())
        .where(Filing.attorney_id == attorney.id)
        .group_by(Filing.status)
    )
    return {str(status): count for status, count in rows}


def page_of(
    attorney: User,
    state: FilingStatus | None = None,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of the attorney's filings: the first, the one older than ``after`` or the one
    newer than ``before``."""
    # The riders of the families on the page: one query for the page, not one a row.
    query = (
        select(Filing).where(Filing.attorney_id == attorney.id).options(selectinload(Filing.riders))
    )
    if state is not None:
        query = query.where(Filing.status == state)
    newest_first = before is None
    if after or before:
        at, filing_id = _parse_cursor(after or before or "")
        if newest_first:
            query = query.where(
                or_(Filing.received_at < at, and_(Filing.received_at == at, Filing.id < filing_id))
            )
        else:
            query = query.where(
                or_(Filing.received_at > at, and_(Filing.received_at == at, Filing.id > filing_id))
            )
    order = (
        (Filing.received_at.desc(), Filing.id.desc())
        if newest_first
        else (Filing.received_at.asc(), Filing.id.asc())
    )
    rows = list(db.session.scalars(query.order_by(*order).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    if not newest_first:
        rows.reverse()
    # A page reached by "newer" has older ones behind it; one reached by "older", newer ones.
    has_newer = (more if not newest_first else bool(after)) and bool(rows)
    has_older = (more if newest_first else True) and bool(rows)
    return Page(
        filings=rows,
        newer=cursor_of(rows[0]) if has_newer else None,
        older=cursor_of(rows[-1]) if has_older else None,
        counts=counts_of(attorney),
    )
