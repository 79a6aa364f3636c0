"""Passkeys (WebAuthn): registering an authenticator and signing in with it, through py_webauthn.

The relying party is the host of ``ESERVICE_BASE_URL`` and the only origin accepted is that
URL's, so a passkey made for this site cannot be used from another. A challenge lives in the
signed session cookie for five minutes and is used once.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, session
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, select
from sqlalchemy.orm import Mapped, mapped_column
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from app import audit, db
from app.throttle import first_use
from app.users import User

CHALLENGE_SECONDS = 300
MAX_PASSKEYS = 10


class Passkey(db.Base):
    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)


class PasskeyError(ValueError):
    """The browser's answer was not a valid passkey for this request; the message says why."""


def _relying_party() -> tuple[str, str]:
    base = urlsplit(current_app.config["ESERVICE"].base_url)
    return base.hostname or "localhost", f"{base.scheme}://{base.netloc}"


def passkeys_of(user: User) -> list[Passkey]:
    return list(
        db.session.scalars(select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id))
    )


def _remember_challenge(purpose: str, challenge: bytes, user_id: int) -> None:
    session[f"webauthn.{purpose}"] = {
        "challenge": bytes_to_base64url(challenge),
        "uid": user_id,
        "at": int(time.time()),
    }


def _take_challenge(purpose: str, user_id: int) -> bytes:
    saved = session.pop(f"webauthn.{purpose}", None)
    if not saved or saved.get("uid") != user_id:
        raise PasskeyError("This passkey request was not started here; try again.")
    if time.time() - saved.get("at", 0) > CHALLENGE_SECONDS:
        raise PasskeyError("The passkey request took too long; try again.")
    # The cookie can be sent again; the server remembers that this challenge was answered.
    if not first_use(f"webauthn:{saved['challenge']}", CHALLENGE_SECONDS + 60):
        raise PasskeyError("This passkey request was answered already; try again.")
    return base64url_to_bytes(saved["challenge"])


def registration_options(user: User) -> str:
    rp_id, _origin = _relying_party()
    challenge = secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name="OCC eService",
        user_name=user.email,
        user_display_name=user.full_name,
        user_id=f"eservice-user-{user.id}".encode(),
        challenge=challenge,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=p.credential_id) for p in passkeys_of(user)
        ],
    )
    _remember_challenge("register", challenge, user.id)
    return options_to_json(options)


def register(user: User, credential: dict[str, Any], name: str) -> Passkey:
    challenge = _take_challenge("register", user.id)
    if len(passkeys_of(user)) >= MAX_PASSKEYS:
        raise PasskeyError(f"An account may have at most {MAX_PASSKEYS} passkeys.")
    rp_id, origin = _relying_party()
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyError(f"The passkey could not be registered: {exc}") from None
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=(name.strip() or "Passkey")[:100],
    )
    db.session.add(passkey)
    db.session.flush()
    audit.record("mfa.passkey_added", obj_type="passkey", obj_id=passkey.id, actor=user)
    db.session.commit()
    return passkey


def authentication_options(user: User) -> str:
    rp_id, _origin = _relying_party()
    challenge = secrets.token_bytes(32)
    options = generate_authentication_options(
        rp_id=rp_id,
        challenge=challenge,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=p.credential_id) for p in passkeys_of(user)
        ],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _remember_challenge("login", challenge, user.id)
    return options_to_json(options)


def authenticate(user: User, credential: dict[str, Any]) -> Passkey:
    """Check a signed challenge from one of ``user``'s passkeys; the caller commits."""
    challenge = _take_challenge("login", user.id)
    try:
        raw_id = base64url_to_bytes(str(credential.get("rawId") or credential.get("id") or ""))
    except (ValueError, TypeError):
        raise PasskeyError("The answer names no passkey.") from None
    passkey = db.session.scalar(
        select(Passkey).where(Passkey.user_id == user.id, Passkey.credential_id == raw_id)
    )
    if passkey is None:
        raise PasskeyError("That passkey is not registered to this account.")
    rp_id, origin = _relying_party()
    try:
        verified = verify_authentication_response(
            credential=json.dumps(credential),
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyError(f"The passkey did not sign in: {exc}") from None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = db.utcnow()
    return passkey


def remove(user: User, passkey_id: int) -> bool:
    passkey = db.session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != user.id:
        return False
    db.session.delete(passkey)
    audit.record("mfa.passkey_removed", obj_type="passkey", obj_id=passkey_id, actor=user)
    db.session.commit()
    return True
