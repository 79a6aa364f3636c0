"""Accounts: attorneys, OCC staff and administrators, and their passwords."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app import db
from app.offices import Office

MIN_PASSWORD_LENGTH = 12


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
        method = current_app.config["ESERVICE"].password_hash_method
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# A hash to check against when the e-mail is unknown, so a failed login takes the same time
# whether or not the account exists.
_DUMMY_HASH: dict[str, str] = {}


def check_unknown_user_password(password: str) -> None:
    method = current_app.config["ESERVICE"].password_hash_method
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash("not-a-real-password", method=method)
    check_password_hash(_DUMMY_HASH[method], password)
