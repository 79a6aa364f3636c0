"""Accounts: attorneys, OCC staff and administrators, and their passwords."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import db, passwords
from app.offices import Office


class Role(StrEnum):
    ATTORNEY = "attorney"
    STAFF = "staff"
    ADMIN = "admin"


class User(UserMixin, db.Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(16))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped to end every session of the account (suspension, password change).
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Set on a password someone else chose (a new staff account): changed at the next login.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)

    office: Mapped[Office | None] = relationship()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_attorney(self) -> bool:
        return self.role == Role.ATTORNEY

    def set_password(self, password: str) -> None:
        self.password_hash = passwords.hash_password(password, _hash_method())

    def change_password(self, password: str) -> None:
        """A new password chosen by the account's owner."""
        self.set_password(password)
        self.must_change_password = False
        self.password_changed_at = db.utcnow()

    def check_password(self, password: str) -> bool:
        """Whether ``password`` is this account's; a match on old parameters is hashed again
        (the caller's commit stores it)."""
        verdict = passwords.verify(self.password_hash, password, _hash_method())
        if verdict.ok and verdict.needs_rehash:
            self.set_password(password)
        return verdict.ok


def _hash_method() -> str:
    method: str = current_app.config["ESERVICE"].password_hash_method
    return method


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_unknown_user_password(password: str) -> None:
    """Take as long as a real check, so a failed login does not tell whether the account exists."""
    passwords.spend_as_verify(password, _hash_method())
