"""Attorney registrations, the A-Numbers they claim, and E-28 appearance records."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import db
from app.offices import Office
from app.users import User


class RegistrationState(StrEnum):
    EMAIL_UNCONFIRMED = "email_unconfirmed"
    PENDING_REVIEW = "pending_review"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


# An account in these states holds its EOIR ID and bar admission: no other account may be
# verified with them. A suspended account still holds them, so a suspension cannot be used to
# hand an identifier to someone else.
HOLDING_STATES = (RegistrationState.VERIFIED, RegistrationState.SUSPENDED)
_HOLDING = text("state IN ('verified', 'suspended')")


class AttorneyProfile(db.Base):
    __tablename__ = "attorney_profiles"
    # One holding account per EOIR ID and per bar admission, enforced by the database too, so
    # two staff verifying two claimants of one identifier at once cannot both succeed.
    __table_args__ = (
        Index(
            "uq_attorney_profiles_held_eoir_id",
            "eoir_id",
            unique=True,
            sqlite_where=_HOLDING,
            postgresql_where=_HOLDING,
        ),
        Index(
            "uq_attorney_profiles_held_bar",
            "bar_state",
            "bar_number",
            unique=True,
            sqlite_where=_HOLDING,
            postgresql_where=_HOLDING,
        ),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    state: Mapped[RegistrationState] = mapped_column(String(24), index=True)
    bar_state: Mapped[str | None] = mapped_column(String(2))
    bar_number: Mapped[str | None] = mapped_column(String(32))
    eoir_id: Mapped[str | None] = mapped_column(String(16), index=True)
    firm: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32))
    mailing_address: Mapped[str] = mapped_column(Text)
    # Where most of the attorney's cases are: that office's staff see the registration in their
    # own queue. None for registrations made before the question was asked.
    practice_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    registered_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    suspended_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    suspension_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    practice_office: Mapped[Office | None] = relationship()
    claims: Mapped[list[ClaimedANumber]] = relationship(
        back_populates="attorney", order_by="ClaimedANumber.id", cascade="all, delete-orphan"
    )

    @property
    def is_verified(self) -> bool:
        return self.state == RegistrationState.VERIFIED


class ClaimedANumber(db.Base):
    """An A-Number on which the attorney says they filed an E-28."""

    __tablename__ = "claimed_a_numbers"
    __table_args__ = (UniqueConstraint("attorney_id", "a_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attorney_id: Mapped[int] = mapped_column(ForeignKey("attorney_profiles.user_id"))
    a_number: Mapped[str] = mapped_column(String(9))

    attorney: Mapped[AttorneyProfile] = relationship(back_populates="claims")


class Appearance(db.Base):
    """An E-28 (notice of appearance) on record with OCC."""

    __tablename__ = "appearances"
    __table_args__ = (Index("ix_appearances_bar", "bar_state", "bar_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    a_number: Mapped[str] = mapped_column(String(9), index=True)
    attorney_name: Mapped[str] = mapped_column(String(200))
    bar_state: Mapped[str | None] = mapped_column(String(2))
    bar_number: Mapped[str | None] = mapped_column(String(32))
    eoir_id: Mapped[str | None] = mapped_column(String(16), index=True)
    # The attorney's name as registration.names.name_key gives it, to find records of an
    # attorney whose identifiers differ.
    name_key: Mapped[str] = mapped_column(
        String(200), index=True, default="", server_default=text("''")
    )
    filed_on: Mapped[date] = mapped_column(Date)
    # A-Number, EOIR ID, bar state and number and date, joined: what makes a record the same
    # record again on re-import (a plain unique constraint would let NULLs repeat).
    natural_key: Mapped[str] = mapped_column(String(120), unique=True)
    source: Mapped[str] = mapped_column(String(16))  # "import" or "manual"
    # The file an imported record came from (the name the uploader gave it, or the CLI's path).
    import_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RequestState(StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"


class ANumberRequest(db.Base):
    """A verified attorney asks staff to add A-Numbers to their list."""

    __tablename__ = "a_number_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    attorney_id: Mapped[int] = mapped_column(ForeignKey("attorney_profiles.user_id"), index=True)
    state: Mapped[RequestState] = mapped_column(String(16), index=True)
    submitted_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    attorney: Mapped[AttorneyProfile] = relationship()
    items: Mapped[list[ANumberRequestItem]] = relationship(
        back_populates="request", order_by="ANumberRequestItem.id", cascade="all, delete-orphan"
    )

    @property
    def a_numbers(self) -> list[str]:
        return [item.a_number for item in self.items]


class ANumberRequestItem(db.Base):
    __tablename__ = "a_number_request_items"
    __table_args__ = (UniqueConstraint("request_id", "a_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("a_number_requests.id"))
    a_number: Mapped[str] = mapped_column(String(9))

    request: Mapped[ANumberRequest] = relationship(back_populates="items")
