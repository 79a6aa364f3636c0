"""A set in progress: what an attorney typed and every file that passed intake, kept for a day
so a refused set, an expired session or a closed tab never makes them pick the files again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import db
from filings.models import new_id


class DraftSet(db.Base):
    """One per attorney: the serve form's fields as typed, and the files kept so far."""

    __tablename__ = "draft_sets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime)
    # Kept a day after the last change, then purged (filings.drafts.purge_expired).
    updated_at: Mapped[datetime] = mapped_column(db.UTCDateTime, index=True)
    # The form's fields as typed (strings), and "corrects": the refused filing it corrects.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    files: Mapped[list[DraftFile]] = relationship(
        back_populates="draft",
        order_by="[DraftFile.position, DraftFile.id]",
        cascade="all, delete-orphan",
    )


class DraftFile(db.Base):
    """A file that passed intake, stored under a generated key; on serving, the key becomes
    the document's (the same bytes, never uploaded again)."""

    __tablename__ = "draft_files"
    # The same bytes twice in one set are refused anyway; the constraint also makes a
    # double-submitted form keep each file once.
    __table_args__ = (UniqueConstraint("draft_id", "sha256"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    draft_id: Mapped[str] = mapped_column(ForeignKey("draft_sets.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))  # sanitised; shown, never used as a path
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    # filings.rules.DocumentType; None: the set's own type.
    document_type: Mapped[str | None] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column(db.UTCDateTime)

    draft: Mapped[DraftSet] = relationship(back_populates="files")
