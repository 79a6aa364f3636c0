"""The reconciliation feed of ``GET /api/v1/filings``: an attorney's filings in the order their
rows last changed, (updated_at, id), a page at a time, resumable by an opaque cursor.

What a client is promised: call with ``updated_since`` (or nothing), follow ``next_cursor``
while ``has_more`` is true, keep the last ``next_cursor`` and start from it next time; every
filing created or changed after the point it started from is then listed again at least once,
in its latest state. Each answer lists every row committed when it was read, the newest too,
but a cursor never resumes past the *settled* time (see ``settled_before``): a transaction
still open when a page was read stamps its rows at or after that time, so rows committed late
with an earlier ``updated_at`` than what the client already read are listed on the next sweep,
never skipped. A row may therefore come twice; clients upsert by ``id``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import literal, select, text, tuple_
from sqlalchemy.orm import selectinload

from app import db
from app.users import User
from filings.models import Filing

DEFAULT_LIMIT = 100
MAX_LIMIT = 200
CURSOR_VERSION = 1
MAX_CURSOR_CHARS = 1000

# How far before now a resume point stays. On PostgreSQL, open transactions are also read
# (settled_before), so this only covers clocks of app hosts and the database disagreeing. On
# SQLite (one machine, one writer at a time) it covers a write that waited for the database
# lock (at most 30 s: the engine's timeout) plus the time it held it.
SETTLE = {"postgresql": timedelta(seconds=5), "sqlite": timedelta(seconds=60)}

START_OVER = "Start again with updated_since (the time of your last complete reconciliation)."


class FeedRefused(Exception):
    """A query parameter the feed cannot use: ``parameter`` names it, ``message`` says why."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Position:
    """Just after this (updated_at, id) in the feed's order; id "" is before every id."""

    updated_at: datetime
    id: str


@dataclass(frozen=True)
class FeedQuery:
    since: datetime | None
    after: Position | None
    # The earliest settled time seen in this sweep (None: a sweep starts with this page).
    watermark: datetime | None
    limit: int


@dataclass(frozen=True)
class FeedPage:
    filings: list[Filing]
    has_more: bool
    next_cursor: str

    def as_json(self) -> dict[str, Any]:
        return {
            "filings": [item(f) for f in self.filings],
            "has_more": self.has_more,
            "next_cursor": self.next_cursor,
        }


def query_from(attorney: User, args: Mapping[str, str]) -> FeedQuery:
    """The page asked for by ``updated_since``, ``cursor`` and ``limit``; a cursor carries its
    sweep's updated_since, and one given with it as well narrows the feed further."""
    raw_since = args.get("updated_since")
    since = parse_time(raw_since) if raw_since is not None else None
    limit = parse_limit(args.get("limit"))
    after, watermark = None, None
    if (raw_cursor := args.get("cursor")) is not None:
        carried, after, watermark = decode_cursor(attorney, raw_cursor)
        since = max((t for t in (since, carried) if t is not None), default=None)
    return FeedQuery(since, after, watermark, limit)


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _serializer() -> URLSafeSerializer:
    # Signed so that an edited cursor is refused rather than read as some other position.
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="api.filings.cursor")


def parse_time(raw: str) -> datetime:
    """An ISO 8601 time with its offset, as UTC; a time without one is refused, not guessed."""
    value = raw.strip()
    if re.search(r"\d \d\d(:?\d\d)?$", value):
        raise FeedRefused(
            "updated_since",
            "updated_since has a space where its offset's + should be: encode + as %2B in "
            "the query string (or use Z for UTC).",
        )
    try:
        parsed = datetime.fromisoformat(value.upper())  # RFC 3339 allows t and z
    except ValueError:
        raise FeedRefused(
            "updated_since",
            "updated_since must be an ISO 8601 time with an offset, like 2026-11-23T15:04:05Z.",
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise FeedRefused(
            "updated_since",
            "updated_since has no time zone: add Z (UTC) or an offset like -05:00.",
        )
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise FeedRefused("updated_since", "updated_since is out of range.") from None


def parse_limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not re.fullmatch(r"\d{1,4}", raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise FeedRefused("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


def encode_cursor(attorney: User, query: FeedQuery, after: Position | None, *, done: bool) -> str:
    """The cursor of the next page; at the end of a sweep it resumes no later than the sweep's
    settled time, so that rows committed late are read then."""
    watermark = query.watermark
    if done and after is not None and watermark is not None:
        after = min(after, Position(watermark, ""), key=lambda p: (p.updated_at, p.id))
    payload = {
        "v": CURSOR_VERSION,
        "a": attorney.id,
        "s": _stamp(query.since) if query.since else None,
        "u": _stamp(after.updated_at) if after else None,
        "i": after.id if after else None,
        "w": None if done or watermark is None else _stamp(watermark),
    }
    return str(_serializer().dumps(payload))


def decode_cursor(
    attorney: User, raw: str
) -> tuple[datetime | None, Position | None, datetime | None]:
    """(since, position, watermark) of a cursor this API gave this attorney."""
    if len(raw) > MAX_CURSOR_CHARS:
        raise FeedRefused("cursor", f"cursor is not one this API gave. {START_OVER}")
    try:
        payload = _serializer().loads(raw)
        if payload.get("v") != CURSOR_VERSION:
            raise FeedRefused("cursor", f"cursor is from another version of the API. {START_OVER}")
        if payload["a"] != attorney.id:
            raise FeedRefused("cursor", f"cursor was given to another account. {START_OVER}")

        def when(key: str) -> datetime | None:
            value = payload[key]
            return None if value is None else datetime.fromisoformat(value).astimezone(UTC)

        since, updated_at, watermark = when("s"), when("u"), when("w")
        position = None
        if updated_at is not None:
            position = Position(updated_at, str(payload["i"]))
    except FeedRefused:
        raise
    except (BadData, KeyError, TypeError, ValueError, AttributeError):
        raise FeedRefused(
            "cursor", f"cursor is not one this API gave (altered or cut short). {START_OVER}"
        ) from None
    return since, position, watermark


def settled_before() -> datetime:
    """The time before which every row is committed or will never be: no open transaction can
    still commit a row stamped earlier. On PostgreSQL the start of the oldest transaction that
    has written (each row's updated_at is stamped after its transaction began) bounds it too."""
    engine = db.session.get_bind()
    now = db.utcnow()
    settle = SETTLE.get(engine.dialect.name, SETTLE["sqlite"])
    if engine.dialect.name != "postgresql":
        return now - settle
    # Backend statuses are read once per transaction unless the snapshot is cleared.
    db.session.execute(text("SELECT pg_stat_clear_snapshot()"))
    oldest = db.session.scalar(
        text(
            "SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )
    )
    if oldest is not None:
        now = min(now, oldest.astimezone(UTC))
    return now - settle


def read_page(attorney: User, query: FeedQuery) -> FeedPage:
    """One page of the attorney's feed and the cursor after it."""
    settled = settled_before()
    watermark = settled if query.watermark is None else min(query.watermark, settled)
    statement = (
        select(Filing)
        .where(Filing.attorney_id == attorney.id)
        .options(
            selectinload(Filing.office),
            selectinload(Filing.riders),
            selectinload(Filing.corrects),
        )
        .order_by(Filing.updated_at, Filing.id)
        .limit(query.limit + 1)
    )
    if query.since is not None:
        statement = statement.where(Filing.updated_at >= query.since)
    if query.after is not None:
        statement = statement.where(
            tuple_(Filing.updated_at, Filing.id)
            > tuple_(
                literal(query.after.updated_at, Filing.updated_at.type),
                literal(query.after.id, Filing.id.type),
            )
        )
    rows = list(db.session.scalars(statement))
    has_more = len(rows) > query.limit
    rows = rows[: query.limit]
    after = query.after
    if rows:
        after = Position(rows[-1].updated_at, rows[-1].id)
    elif after is None and query.since is not None:
        after = Position(query.since, "")
    swept = FeedQuery(query.since, after, watermark, query.limit)
    return FeedPage(rows, has_more, encode_cursor(attorney, swept, after, done=not has_more))


def item(filing: Filing) -> dict[str, Any]:
    """A filing as the feed lists it."""
    return {
        "id": filing.id,
        "receipt_number": filing.receipt_number,
        "status": str(filing.status),
        "received_at": _stamp(filing.received_at),
        "updated_at": _stamp(filing.updated_at),
        "decided_at": _stamp(filing.decided_at) if filing.decided_at else None,
        "decision_reason": filing.decision_reason,
        "office": filing.office.code,
        "a_number": filing.a_number,
        "rider_a_numbers": [r.a_number for r in filing.riders],
        "title": filing.title,
        "corrects": filing.corrects.receipt_number if filing.corrects else None,
    }
