"""Second factors: authenticator-app codes (TOTP, RFC 6238) and single-use recovery codes.

A TOTP secret is kept encrypted with a key derived from the app's secret key; a code is
accepted once (its time step is remembered), within one step of the clock either way. Recovery
codes are random, shown once, and only their SHA-256 is kept. Passkeys live in app/passkeys.py.
Staff and administrators must have a second factor; attorneys may turn one on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, delete, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from app import audit, db
from app import login as login_check
from app.passkeys import Passkey, passkeys_of
from app.users import User

ISSUER = "OCC eService"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10


class TotpFactor(db.Base):
    __tablename__ = "totp_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    confirmed_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    last_step: Mapped[int] = mapped_column(Integer, default=0)  # a code is good once
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)


class RecoveryCode(db.Base):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)


def second_factor_required(user: User) -> bool:
    return user.is_staff


def removal_leaves_none(user: User) -> bool:
    """Whether removing one of ``user``'s factors would leave an account that must have one
    with none."""
    count = int(has_totp(user)) + len(passkeys_of(user))
    return second_factor_required(user) and count <= 1


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"eservice totp secrets"
    ).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _secret(factor: TotpFactor) -> str:
    return _fernet().decrypt(factor.secret_encrypted).decode()


def totp_of(user: User) -> TotpFactor | None:
    return db.session.get(TotpFactor, user.id)


def has_totp(user: User) -> bool:
    factor = totp_of(user)
    return factor is not None and factor.confirmed_at is not None


def has_second_factor(user: User) -> bool:
    return has_totp(user) or bool(passkeys_of(user))


def start_totp(user: User, secret: str | None = None) -> str:
    """A new, unconfirmed secret for ``user`` (replacing an unconfirmed one); its base32 text.

    A confirmed factor is never replaced this way: it is removed first, on purpose.
    """
    factor = totp_of(user)
    if factor is not None and factor.confirmed_at is not None:
        raise ValueError("an authenticator app is already set up")
    secret = secret or pyotp.random_base32()
    encrypted = _fernet().encrypt(secret.encode())
    if factor is None:
        db.session.add(TotpFactor(user_id=user.id, secret_encrypted=encrypted))
    else:
        factor.secret_encrypted, factor.last_step = encrypted, 0
    db.session.commit()
    return secret


def set_up_totp(user: User, secret: str) -> None:
    """An authenticator already holding ``secret`` (demo accounts), turned on without a code."""
    start_totp(user, secret)
    factor = totp_of(user)
    assert factor is not None
    factor.confirmed_at = db.utcnow()
    db.session.commit()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def pending_secret(user: User) -> str | None:
    factor = totp_of(user)
    if factor is None or factor.confirmed_at is not None:
        return None
    try:
        return _secret(factor)
    except InvalidToken:
        return None


def _matching_step(secret: str, code: str, now: float) -> int | None:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_code(factor: TotpFactor, code: str) -> bool:
    try:
        secret = _secret(factor)
    except InvalidToken:
        return False
    step = _matching_step(secret, code, time.time())
    if step is None:
        return False
    # The step moves forward in the database only if no other request used it first.
    return bool(
        db.conditional_update(
            update(TotpFactor)
            .where(TotpFactor.user_id == factor.user_id, TotpFactor.last_step < step)
            .values(last_step=step)
        )
    )


def confirm_totp(user: User, code: str) -> list[str] | None:
    """Turn the pending secret on if ``code`` is right; the new recovery codes, or None."""
    factor = totp_of(user)
    if factor is None or factor.confirmed_at is not None or not _use_code(factor, code):
        db.session.rollback()
        return None
    factor.confirmed_at = db.utcnow()
    audit.record("mfa.totp_enabled", obj_type="user", obj_id=user.id, actor=user)
    codes = _new_recovery_codes(user)
    db.session.commit()
    return codes


def check_totp(user: User, code: str) -> bool:
    """A code from the user's confirmed authenticator, not used before; the caller commits."""
    factor = totp_of(user)
    return factor is not None and factor.confirmed_at is not None and _use_code(factor, code)


def remove_totp(actor: User, user: User) -> None:
    db.session.execute(delete(TotpFactor).where(TotpFactor.user_id == user.id))
    audit.record("mfa.totp_removed", obj_type="user", obj_id=user.id, actor=actor)
    db.session.commit()


def _code_hash(code: str) -> str:
    return hashlib.sha256("".join(code.split()).replace("-", "").lower().encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)  # 40 bits each, single use, only after the password
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_code_hash(raw)))
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    audit.record("mfa.recovery_codes_renewed", obj_type="user", obj_id=user.id, actor=user)
    db.session.commit()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one recovery code; the caller commits."""
    used = db.conditional_update(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=db.utcnow())
    )
    if used:
        audit.record("mfa.recovery_code_used", obj_type="user", obj_id=user.id, actor=user)
    return bool(used)


def recovery_codes_left(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def reset_mfa(actor: User, user: User) -> None:
    """An administrator clears every second factor of ``user`` (a lost phone): the next login
    asks them to set one up again where one is required. Their sessions end."""
    from app.accounts import end_access

    db.session.execute(delete(TotpFactor).where(TotpFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(Passkey).where(Passkey.user_id == user.id))
    end_access(user)
    audit.record("mfa.reset", obj_type="user", obj_id=user.id, actor=actor)
    db.session.commit()


def confirm_identity(user: User, password: str, code: str) -> bool:
    """The password, or a code from the authenticator, again before a sensitive change."""
    ok = bool(password) and user.check_password(password)
    if not ok and code:
        ok = check_totp(user, code)
    if not ok:
        login_check.count_second_factor_failure(user)
    audit.record(
        "auth.reauthenticate",
        obj_type="user",
        obj_id=user.id,
        actor=user,
        outcome="success" if ok else "failure",
    )
    db.session.commit()
    return ok
