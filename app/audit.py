"""The audit log: who did what, to what, when, from where, and how it ended. Append-only and
tamper-evident: every event is chained to the one before it by hash (app/audit_chain.py), and
the database refuses updates and deletes of the table (triggers, migration 0009).

How the chain stays one line with many writers (gunicorn workers and their threads, RQ work
horses, CLI commands): ``record`` only collects the event; the transaction's commit writes it.
Just before the commit, after every other row of the transaction is flushed, the commit takes
the lock on the single chain-head row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite a
write to the row, which takes the database's one write lock), reads the last hash, numbers and
hashes its events, inserts them and moves the head. The lock is held for those few statements
and the commit itself, and while holding it a transaction waits for nothing else (the events
have no foreign keys), so writers queue briefly in commit order and never deadlock or fork the
chain. Ids are drawn under the lock too, so ids rise with the chain's sequence numbers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Index,
    Integer,
    String,
    Table,
    event,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from app import db
from app.audit_chain import GENESIS, clean_text, event_hash, jsonable


class AuditEvent(db.Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)  # place in the chain: 1, 2, 3, ...
    at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow, index=True)
    # No foreign key: the log outlives accounts, and the chain's commit must wait on no lock
    # but its own (the e-mail in ``actor`` names the account for good).
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(254), index=True)  # e-mail, "system", "anonymous"
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), default="success")
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(db.Base):
    """The one row naming the chain's last event, so a deleted tail shows as a gap."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(default=0)
    event_id: Mapped[int | None] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


class AuditChainError(RuntimeError):
    """The chain cannot take an event (its head row is gone): nothing is committed."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(*_args: object) -> None:
    raise RuntimeError("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(*_args: object) -> None:
    raise RuntimeError("audit events are append-only")


def record(
    action: str,
    *,
    obj_type: str | None = None,
    obj_id: object = None,
    outcome: str = "success",
    actor: Any = None,
    actor_label: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the current transaction; the caller's commit makes it durable
    (and a rollback drops it).

    The actor defaults to the logged-in user of the request, or "system" outside a request.
    """
    ip = agent = None
    if has_request_context():
        ip = request.remote_addr
        agent = (request.user_agent.string or "")[:255] or None
        if actor is None and current_user and current_user.is_authenticated:
            actor = current_user
    if actor is not None:
        actor_id, label = actor.id, actor.email
    else:
        actor_id, label = None, actor_label or ("anonymous" if has_request_context() else "system")
    event_row = AuditEvent(
        at=db.utcnow(),
        actor_id=actor_id,
        actor=clean_text(actor_label or label)[:254],
        action=action,
        object_type=obj_type,
        object_id=None if obj_id is None else clean_text(str(obj_id))[:64],
        outcome=outcome,
        ip=clean_text(ip)[:64] if ip else None,
        user_agent=clean_text(agent)[:255] if agent else None,
        detail=jsonable(detail),
    )
    _pending(db.session()).append(event_row)
    return event_row


# --- writing events at the commit ---------------------------------------------------------

_PENDING_KEY = "eservice.audit"


def _pending(session: Session) -> list[AuditEvent]:
    """The events of the session's current transaction (begun now if none is)."""
    if not session.in_transaction():
        session.begin()
    transaction = session.get_nested_transaction() or session.get_transaction()
    assert transaction is not None
    by_transaction: dict[SessionTransaction, list[AuditEvent]]
    by_transaction = session.info.setdefault(_PENDING_KEY, {})
    return by_transaction.setdefault(transaction, [])


@event.listens_for(db.AppSession, "before_commit")
def _write_events(session: Session) -> None:
    by_transaction = session.info.get(_PENDING_KEY)
    if not by_transaction:
        return
    nested = session.get_nested_transaction()
    if nested is not None:  # a savepoint's events belong to the transaction around it
        events = by_transaction.pop(nested, [])
        if events and nested.parent is not None:
            by_transaction.setdefault(nested.parent, []).extend(events)
        return
    transaction = session.get_transaction()
    events = by_transaction.pop(transaction, None) if transaction else None
    if events:
        session.flush()  # every other row first: the head lock is the transaction's last
        append(session, events)


@event.listens_for(db.AppSession, "after_transaction_end")
def _forget_events(session: Session, transaction: SessionTransaction) -> None:
    by_transaction = session.info.get(_PENDING_KEY)
    if by_transaction:
        by_transaction.pop(transaction, None)


def append(session: Session, events: list[AuditEvent]) -> None:
    """Chain ``events`` after the head and insert them, under the head's lock."""
    heads = cast(Table, AuditChainHead.__table__)
    locked = select(heads.c.seq, heads.c.hash).where(heads.c.id == 1)
    if session.get_bind().dialect.name == "postgresql":
        head = session.execute(locked.with_for_update()).first()
    else:
        session.execute(update(heads).where(heads.c.id == 1).values(seq=heads.c.seq))
        head = session.execute(locked).first()
    if head is None:
        raise AuditChainError("the audit chain head row is missing; run flask audit verify")
    seq, prev_hash = head.seq, head.hash
    for event_row, event_id in zip(events, _next_ids(session, len(events)), strict=True):
        seq += 1
        event_row.id, event_row.seq, event_row.prev_hash = event_id, seq, prev_hash
        event_row.hash = prev_hash = event_hash(event_row, prev_hash)
    session.add_all(events)
    session.flush()
    session.execute(
        update(heads).where(heads.c.id == 1).values(seq=seq, event_id=events[-1].id, hash=prev_hash)
    )


def _next_ids(session: Session, count: int) -> list[int]:
    if session.get_bind().dialect.name == "postgresql":
        return list(
            session.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence('audit_events', 'id')) "
                    "FROM generate_series(1, :n)"
                ),
                {"n": count},
            )
        )
    # SQLite gives a new row the highest id plus one; under the write lock that is ours.
    top = session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0
    return list(range(top + 1, top + 1 + count))
