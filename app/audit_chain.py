"""The hash chain of the audit log: the canonical form of an event, its hash, and the walk that
checks a stored chain. Pure functions plus one read-only walk over a database connection.

Each event's hash is SHA-256 over the canonical JSON of its fields and the hash of the event
before it, so editing, deleting or reordering any row breaks the chain from that row on; the
chain head (one row) records the last event, so a deleted tail shows too.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, inspect, select

GENESIS = "0" * 64  # the prev_hash of the first event
FORMAT_VERSION = 1
HASHED_FIELDS = (
    "id",
    "seq",
    "at",
    "actor_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "ip",
    "user_agent",
    "detail",
)


class Chained(Protocol):
    """What the hash reads: an ORM event or a row of the audit_events table."""

    id: int
    seq: int
    at: datetime
    actor_id: int | None
    actor: str
    action: str
    object_type: str | None
    object_id: str | None
    outcome: str
    ip: str | None
    user_agent: str | None
    detail: Any
    prev_hash: str
    hash: str


def jsonable(value: Any) -> Any:
    """The JSON value that ``value`` stores as, so what is hashed is what a read gives back.

    Keys become strings, tuples and sets lists, non-finite floats and other objects strings;
    NUL characters (which PostgreSQL text cannot hold) become U+FFFD.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {clean_text(str(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return clean_text(str(value))


def clean_text(value: str) -> str:
    return str(value).replace("\x00", "\ufffd")


def canonical_time(at: datetime) -> str:
    """Microseconds in UTC: what both PostgreSQL and SQLite give back unchanged."""
    if at.tzinfo is None:
        raise ValueError("audit times are aware datetimes")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(event: Chained, prev_hash: str) -> bytes:
    """The bytes an event's hash is taken over: sorted keys, no spaces, ASCII only."""
    doc: dict[str, Any] = {name: getattr(event, name) for name in HASHED_FIELDS}
    doc["at"] = canonical_time(event.at)
    doc["detail"] = jsonable(event.detail)
    doc["prev_hash"] = prev_hash
    doc["v"] = FORMAT_VERSION
    text = json.dumps(
        doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )
    return text.encode("ascii")


def event_hash(event: Chained, prev_hash: str) -> str:
    return hashlib.sha256(canonical(event, prev_hash)).hexdigest()


# --- checking a stored chain --------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    seq: int
    event_id: int | None
    hash: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a walk: how many events were checked, and the first fault if any."""

    checked: int
    head: Head | None
    event_id: int | None = None  # the row at fault
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def walk(head: Head | None, rows: Iterable[Chained], *, first_seq: int = 1) -> ChainReport:
    """Check ``rows`` (ordered by seq, starting at ``first_seq``) against each other and the head.

    With ``first_seq`` above 1 the first row's link to the event before it is taken as given.
    """
    if head is None:
        return ChainReport(0, None, None, "the chain head row is missing")
    expected = first_seq
    prev_hash: str | None = GENESIS if first_seq == 1 else None
    prev_id: int | None = None
    checked = 0
    for row, after in _with_next(rows):
        fault = _fault(row, after, expected, prev_hash, prev_id, head)
        if fault:
            return ChainReport(checked, head, row.id, fault)
        checked += 1
        expected, prev_hash, prev_id = row.seq + 1, row.hash, row.id
    last_seq = expected - 1
    if head.seq > last_seq:
        lost = head.seq - last_seq
        where = f"after event id {prev_id}" if prev_id is not None else "in the window checked"
        return ChainReport(
            checked,
            head,
            head.event_id,
            f"the head records {head.seq} events ending at id {head.event_id}, but the chain "
            f"stops at seq {last_seq}: {lost} events {where} were deleted",
        )
    if head.seq and (head.hash != prev_hash or head.event_id != prev_id):
        return ChainReport(
            checked,
            head,
            prev_id,
            f"the last event (seq {last_seq}) does not match the hash or id the head records",
        )
    return ChainReport(checked, head)


def _fault(
    row: Chained,
    after: Chained | None,
    expected: int,
    prev_hash: str | None,
    prev_id: int | None,
    head: Head,
) -> str | None:
    if row.seq > head.seq:
        return (
            f"seq {row.seq} lies beyond the head (seq {head.seq}): "
            "inserted outside the chain, or the head was moved back"
        )
    if row.seq < expected:
        return f"seq {row.seq} is out of the chain's order (seq {expected} was due)"
    if row.seq > expected:
        gap = f"seq {expected}" if row.seq == expected + 1 else f"seq {expected} to {row.seq - 1}"
        return f"the events before it ({gap}) are missing: deleted"
    if after is not None and after.id < row.id:
        return f"out of order: it comes before event id {after.id} in the chain (swapped)"
    if prev_id is not None and row.id <= prev_id:
        return f"out of order: it comes after event id {prev_id} in the chain but has a lower id"
    if prev_hash is not None and row.prev_hash != prev_hash:
        return (
            f"its prev_hash is not the hash of the event before it (id {prev_id}): that event "
            "was edited and hashed again, or this row's link was changed"
        )
    if event_hash(row, row.prev_hash) != row.hash:
        return "its fields do not match its hash: the row was edited"
    return None


def _with_next(rows: Iterable[Chained]) -> Iterator[tuple[Chained, Chained | None]]:
    it = iter(rows)
    current = next(it, None)
    while current is not None:
        following = next(it, None)
        yield current, following
        current = following


def verify(engine: Engine, *, last: int | None = None) -> ChainReport:
    """Walk the whole chain (or its ``last`` events) in one consistent snapshot of the database."""
    from app.audit import AuditChainHead, AuditEvent

    events, heads = AuditEvent.__table__, AuditChainHead.__table__
    with _snapshot(engine) as conn:
        row = conn.execute(select(heads.c.seq, heads.c.event_id, heads.c.hash)).first()
        head = Head(row.seq, row.event_id, row.hash) if row else None
        if head is None:
            return walk(None, [])
        # The window starts where the head says it should: a row missing inside it shows.
        first = 1 if last is None else max(1, head.seq - last + 1)
        query = select(events).order_by(events.c.seq)
        if first > 1:
            query = query.where(events.c.seq >= first)
        rows = conn.execution_options(yield_per=1000).execute(query)
        try:
            return walk(head, rows, first_seq=first)
        finally:
            rows.close()  # a walk that stops early leaves the server-side cursor open


class _snapshot:
    """A read-only connection that sees one moment of the database for all its statements."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Connection:
        self.conn = self.engine.connect()
        if self.engine.dialect.name == "postgresql":
            self.conn = self.conn.execution_options(isolation_level="REPEATABLE READ")
            self.conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        else:
            # pysqlite opens transactions only for writes; a read one is begun by hand.
            self.conn.exec_driver_sql("BEGIN")
        return self.conn

    def __exit__(self, *_exc: object) -> None:
        self.conn.rollback()
        self.conn.close()


def chain_ready(engine: Engine) -> bool:
    """Whether the schema has the chain (a database not yet upgraded has nothing to check)."""
    with engine.connect() as conn:
        return inspect(conn).has_table("audit_chain_head")
