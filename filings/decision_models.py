"""Rows of staff decisions: each decision with its undo window and its notice, and the
rejection reasons an office keeps at hand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import db
from app.users import User


class FilingDecision(db.Base):
    """One decision by staff on a filing. The attorney's notice waits until ``undo_until`` has
    passed (``notified_at``) and is never sent for a decision undone before that
    (``undone_at``)."""

    __tablename__ = "filing_decisions"
    __table_args__ = (
        # The notice sweep looks only at decisions still waiting for their notice.
        Index(
            "ix_filing_decisions_waiting",
            "undo_until",
            postgresql_where=text("notified_at IS NULL AND undone_at IS NULL"),
            sqlite_where=text("notified_at IS NULL AND undone_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[str] = mapped_column(ForeignKey("filings.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # what the decision made the filing
    previous_status: Mapped[str] = mapped_column(String(16))  # what undo puts back
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(db.UTCDateTime)
    undo_until: Mapped[datetime] = mapped_column(db.UTCDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notified_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)

    decided_by: Mapped[User] = relationship(foreign_keys=[decided_by_id])


class ReasonTemplate(db.Base):
    """A rejection reason an office uses often: a short title and the words sent."""

    __tablename__ = "reason_templates"
    __table_args__ = (UniqueConstraint("office_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
    updated_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
