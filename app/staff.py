"""OCC staff accounts as administrators manage them: listing and creating them (deactivating
and reactivating is app/accounts.py's, resetting second factors app/mfa.py's)."""

from __future__ import annotations

import secrets

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import audit, db
from app.offices import office_by_code
from app.users import Role, User, normalise_email, user_by_email

MAX_NAME_LENGTH = 200


class StaffError(ValueError):
    """A staff account that cannot be created; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def new_password() -> str:
    """A first password of 24 random characters, shown once and changed at the first login."""
    return secrets.token_urlsafe(18)


def create_staff(
    actor: User | None, email: str, name: str, office_code: str, admin: bool
) -> tuple[User, str]:
    """Create an OCC staff (or administrator) account; return it and its first password.

    Commits, with the audit event; StaffError names the field at fault, with nothing stored.
    """
    address = _checked_email(email)
    full_name = " ".join((name or "").split())
    if not full_name:
        raise StaffError("full_name", "Give the person's full name.")
    if len(full_name) > MAX_NAME_LENGTH:
        raise StaffError("full_name", f"The name may be at most {MAX_NAME_LENGTH} characters.")
    office = office_by_code(office_code or "")
    if office is None:
        raise StaffError("office", f"There is no field office with code {office_code!r}.")
    if user_by_email(address) is not None:
        raise StaffError("email", f"{address} already has an account.")
    password = new_password()
    role = Role.ADMIN if admin else Role.STAFF
    user = User(email=address, full_name=full_name, role=role, office=office)
    user.set_password(password)
    user.must_change_password = True
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # the same address, created a moment before by someone else
        db.session.rollback()
        raise StaffError("email", f"{address} already has an account.") from None
    audit.record(
        "user.create",
        obj_type="user",
        obj_id=user.id,
        actor=actor,
        actor_label=None if actor else "cli",
        email=address,
        role=role.value,
        office=office.code,
    )
    db.session.commit()
    return user, password


def _checked_email(email: str) -> str:
    address = normalise_email(email or "")
    if not address:
        raise StaffError("email", "Give the person's e-mail address.")
    if len(address) > 254:
        raise StaffError("email", "An e-mail address is at most 254 characters.")
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise StaffError("email", f"That is not an e-mail address: {exc}") from None
    return address


def staff_accounts() -> list[User]:
    """Every staff and administrator account, by e-mail."""
    return list(
        db.session.scalars(
            select(User)
            .options(joinedload(User.office))
            .where(User.role.in_([Role.STAFF, Role.ADMIN]))
            .order_by(User.email)
        )
    )


def staff_account(user_id: int) -> User | None:
    """The staff or administrator account with that id; None for any other (or none)."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_staff else None
