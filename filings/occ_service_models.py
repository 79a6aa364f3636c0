"""Document sets an OCC office serves on the attorneys of record for an A-Number: the set, its
documents, and each attorney it is served on (with the time they first opened it)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import db
from app.offices import Office
from app.users import User
from filings.models import new_id


class OccServiceStatus(StrEnum):
    RECEIVED = "received"  # stored; checks not finished, nobody served yet
    SERVED = "served"  # passed the checks: the attorneys of record were served
    REFUSED = "refused"  # the checks refused it: nobody was served
    HELD = "held"  # no malware verdict after several tries: nobody was served


class OccService(db.Base):
    __tablename__ = "occ_services"
    __table_args__ = (UniqueConstraint("served_by_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    receipt_number: Mapped[str] = mapped_column(String(40), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    # The staff member who served it (OCC serves; the person is in the audit trail too).
    served_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    a_number: Mapped[str] = mapped_column(String(9), index=True)
    document_type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[OccServiceStatus] = mapped_column(String(16), index=True)
    received_at: Mapped[datetime] = mapped_column(db.UTCDateTime, index=True)
    checked_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    # When the checks passed and the attorneys were served (None until then).
    served_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    # Problems found by the checks: [{"code", "message", "file", "field"}].
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    check_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))

    office: Mapped[Office] = relationship()
    served_by: Mapped[User] = relationship()
    documents: Mapped[list[OccServiceDocument]] = relationship(
        back_populates="service",
        order_by="OccServiceDocument.position",
        cascade="all, delete-orphan",
    )
    recipients: Mapped[list[OccServiceRecipient]] = relationship(
        back_populates="service",
        order_by="OccServiceRecipient.position",
        cascade="all, delete-orphan",
    )


class OccServiceDocument(db.Base):
    __tablename__ = "occ_service_documents"
    __table_args__ = (UniqueConstraint("service_id", "position"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("occ_services.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))  # sanitised; shown, never a path
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    document_type: Mapped[str | None] = mapped_column(String(32))  # None: the set's type
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )

    service: Mapped[OccService] = relationship(back_populates="documents")


class OccServiceRecipient(db.Base):
    """An attorney of record the set is served on, as they were named when it was served."""

    __tablename__ = "occ_service_recipients"
    __table_args__ = (UniqueConstraint("service_id", "attorney_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("occ_services.id"), index=True)
    attorney_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    eoir_id: Mapped[str | None] = mapped_column(String(16))
    bar_state: Mapped[str | None] = mapped_column(String(2))
    bar_number: Mapped[str | None] = mapped_column(String(32))
    # The attorney's first download of any document of the set: proof of receipt.
    opened_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)

    service: Mapped[OccService] = relationship(back_populates="recipients")
    attorney: Mapped[User] = relationship()

    @property
    def bar(self) -> str | None:
        return f"{self.bar_state} {self.bar_number}" if self.bar_state and self.bar_number else None
