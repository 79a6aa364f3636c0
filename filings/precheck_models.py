"""Check before you serve: a check of an attorney's files (not a filing), its files while they
wait for the check job in the document store, and the report the job writes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import db
from filings.models import new_id


class CheckStatus(StrEnum):
    PENDING = "pending"  # files stored, the check job has not finished
    DONE = "done"  # report written, files deleted


class FileCheck(db.Base):
    __tablename__ = "file_checks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[CheckStatus] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    # How many files were sent: what the per-account quota counts.
    file_count: Mapped[int] = mapped_column(Integer)
    # {"ok", "problems", "documents"} once done (see filings.precheck.CheckReport).
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    files: Mapped[list[CheckedFile]] = relationship(
        back_populates="check", order_by="CheckedFile.position", cascade="all, delete-orphan"
    )


class CheckedFile(db.Base):
    """One file of a check as it was received; its bytes are in the store under
    ``storage_key`` until the check is done (none when there was nothing to keep: an empty
    file, or one over the size limit, whose bytes were counted but not kept)."""

    __tablename__ = "checked_files"
    __table_args__ = (UniqueConstraint("check_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[str] = mapped_column(ForeignKey("file_checks.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))  # sanitised; shown, never used as a path
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))  # empty when over the size limit
    storage_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    check: Mapped[FileCheck] = relationship(back_populates="files")
