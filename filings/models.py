"""Filings (a document set served on an OCC office) and their documents."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import db
from app.offices import Office
from app.users import User


class FilingStatus(StrEnum):
    RECEIVED = "received"  # stored and acknowledged; checks not finished
    SERVED = "served"  # passed the checks: service complete at received_at
    ACCEPTED = "accepted"  # OCC staff accepted the set
    REJECTED = "rejected"  # served, then rejected by OCC staff
    REFUSED = "refused"  # not served: refused by the checks (or, held, by OCC staff)
    HELD = "held"  # the checks could not finish (no malware verdict): waits for OCC staff


def new_id() -> str:
    return str(uuid.uuid4())


# Which sets an office's inbox holds: served ones (whatever staff decided since), held ones, and
# held ones staff decided on. Written once in SQL so that the partial indexes below and the
# inbox's queries say exactly the same thing (PostgreSQL uses a partial index only then).
IN_INBOX_SQL = "passed_checks OR status = 'held' OR decided_by_id IS NOT NULL"


def _inbox_index(name: str, *columns: Any) -> Index:
    where = text(IN_INBOX_SQL)
    return Index(name, "office_id", *columns, postgresql_where=where, sqlite_where=where)


class Filing(db.Base):
    __tablename__ = "filings"
    __table_args__ = (
        UniqueConstraint("attorney_id", "idempotency_key"),
        # Each inbox list reads one of these in its own order and stops after a page; the
        # (office, state) ones also count the states without touching the table.
        _inbox_index(
            "ix_filings_inbox_urgent",
            column("detained").desc(),
            "next_hearing_on",
            "received_at",
            "id",
        ),
        _inbox_index(
            "ix_filings_inbox_state_urgent",
            "status",
            column("detained").desc(),
            "next_hearing_on",
            "received_at",
            "id",
        ),
        _inbox_index("ix_filings_inbox_received", "received_at", "id"),
        _inbox_index("ix_filings_inbox_state_received", "status", "received_at", "id"),
        _inbox_index("ix_filings_inbox_hearing", "next_hearing_on", "received_at", "id"),
        _inbox_index("ix_filings_inbox_attorney", "attorney_id"),
        Index("ix_filings_updated", "updated_at", "id"),
        Index(
            "ix_filings_claimed_by",
            "claimed_by_id",
            postgresql_where=text("claimed_by_id IS NOT NULL"),
            sqlite_where=text("claimed_by_id IS NOT NULL"),
        ),
        # Title words are found anywhere in a title: trigrams on PostgreSQL (pg_trgm, made by
        # the migration); a plain index on SQLite, which scans.
        Index(
            "ix_filings_title_trgm",
            "title",
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    receipt_number: Mapped[str] = mapped_column(String(40), unique=True)
    attorney_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    a_number: Mapped[str] = mapped_column(String(9), index=True)
    document_type: Mapped[str] = mapped_column(String(32))
    includes_e28: Mapped[bool] = mapped_column(Boolean, default=False)
    # Served only because the set declared an E-28 (no E-28 record named the attorney for this
    # A-Number then): it let this one set through and gave no right to serve again.
    self_declared_e28: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )
    title: Mapped[str] = mapped_column(String(300))
    next_hearing_on: Mapped[date | None] = mapped_column(Date)
    detained: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[FilingStatus] = mapped_column(String(16), index=True)
    received_at: Mapped[datetime] = mapped_column(db.UTCDateTime, index=True)
    checked_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    # True once the checks passed: the set was served and sits in the office's inbox.
    passed_checks: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # The staff member working the set, so two do not (the inbox's "claimed by me").
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    # Problems found by the checks: [{"code", "message", "file", "field"}].
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    # Check runs that ended without a verdict (scanner unavailable); at the limit, held.
    check_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Moved by every change to the row (state, decision, claim): the API's reconciliation feed
    # lists filings by (updated_at, id).
    updated_at: Mapped[datetime] = mapped_column(
        db.UTCDateTime,
        default=db.utcnow,
        onupdate=db.utcnow,
        server_default=text("CURRENT_TIMESTAMP"),
    )
    # The refused set this one corrects (served within the correction window); each keeps its
    # own received_at.
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("filings.id"), index=True)

    attorney: Mapped[User] = relationship(foreign_keys=[attorney_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    office: Mapped[Office] = relationship()
    documents: Mapped[list[Document]] = relationship(
        back_populates="filing", order_by="Document.position", cascade="all, delete-orphan"
    )
    # A family: the riders served with the lead A-Number (``a_number``).
    riders: Mapped[list[FilingRider]] = relationship(
        order_by="FilingRider.position", cascade="all, delete-orphan"
    )
    corrects: Mapped[Filing | None] = relationship(remote_side=[id])

    @property
    def total_bytes(self) -> int:
        return sum(d.size_bytes for d in self.documents)


# The same rule for queries on the filings table alone (columns unqualified: no joins).
IN_INBOX = text(f"({IN_INBOX_SQL})")

# The inbox finds attorneys by the start of their e-mail, name or surname (ILIKE 'x%' and
# '% x%'): trigrams make that an index lookup on PostgreSQL instead of a scan of every account.
for _column in (User.__table__.c.email, User.__table__.c.full_name):
    Index(
        f"ix_users_{_column.name}_trgm",
        _column,
        postgresql_using="gin",
        postgresql_ops={_column.name: "gin_trgm_ops"},
    )


class Document(db.Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("filing_id", "position"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    filing_id: Mapped[str] = mapped_column(ForeignKey("filings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))  # sanitised; shown, never used as a path
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    # What this document is (filings.rules.DocumentType); None: the set's own document_type.
    document_type: Mapped[str | None] = mapped_column(String(32))
    # Found by the deep check; served anyway: [{"code", "message", "file"}].
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    # The copy staff read, each page stamped "Served on OCC ..." (made by a job after the
    # check); the original bytes under storage_key stay what the receipt proves.
    stamped_storage_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    stamped_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)

    filing: Mapped[Filing] = relationship(back_populates="documents")


class FilingRider(db.Base):
    """A rider's A-Number in a family served as one set under the lead's (Filing.a_number)."""

    __tablename__ = "filing_riders"

    filing_id: Mapped[str] = mapped_column(ForeignKey("filings.id"), primary_key=True)
    a_number: Mapped[str] = mapped_column(String(9), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class InboxStateCount(db.Base):
    """How many sets of an office's inbox are in a state: kept by database triggers on filings
    (migration 0012), read by the inbox instead of counting years of filings."""

    __tablename__ = "inbox_state_counts"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)
