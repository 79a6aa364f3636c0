"""Signed receipts: each state a served set (or a set OCC served) reaches, signed as a JWS by the
receipt key of the day, with its RFC 3161 time-stamp when an authority is configured."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app import db


class SignedReceipt(db.Base):
    __tablename__ = "signed_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_number: Mapped[str] = mapped_column(String(40), index=True)
    # The attorney's filing it proves (None for a set OCC served: see receipt_number).
    filing_id: Mapped[str | None] = mapped_column(ForeignKey("filings.id"), index=True)
    kid: Mapped[str] = mapped_column(String(64))
    # The signed payload as data (what the JWS says), and the JWS itself (compact form).
    claims: Mapped[dict[str, Any]] = mapped_column(JSON)
    jws: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(db.UTCDateTime)
    # The RFC 3161 time-stamp response (DER) over the JWS, when ESERVICE_TSA_URL is set.
    timestamp_token: Mapped[bytes | None] = mapped_column(LargeBinary)
    timestamped_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
