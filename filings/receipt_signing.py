"""Signing receipts as JWS (RFC 7515, compact serialization, EdDSA over Ed25519) and checking
them. Pure: keys in, text out; where the keys live is filings/receipt_keys.py.

The algorithm is named "EdDSA" in the header, as RFC 8037 defines it and as every JOSE library
reads it; RFC 9864 later added the fully-specified name "Ed25519" for the same signature.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any, Literal

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey

from filings.receipt_claims import RECEIPT_TYPE

ALGORITHM = "EdDSA"
CURVE: Literal["Ed25519"] = "Ed25519"
# A receipt of twenty documents is about 6 KB; anything far larger is not one of ours.
MAX_JWS_CHARS = 64 * 1024
# What every receipt's payload holds (the README lists them).
REQUIRED_CLAIMS = ("receipt_number", "office", "received_at", "status", "documents")


class ReceiptInvalid(ValueError):
    """Not a receipt signed by one of our keys; ``reason`` says why in one word."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@contextmanager
def _quiet() -> Iterator[None]:
    # joserfc warns that RFC 9864 deprecates the name "EdDSA"; the name is this format's.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")
        yield


def new_key(made_on: date) -> OKPKey:
    """A fresh Ed25519 key; its kid is the day it was made and its RFC 7638 thumbprint."""
    key = OKPKey.generate_key(CURVE)
    return OKPKey.import_key(
        key.as_dict(private=True), {"kid": f"{made_on:%Y-%m-%d}.{key.thumbprint()}"}
    )


def payload_bytes(claims: Mapping[str, Any]) -> bytes:
    """The payload as signed: JSON with sorted keys and no spaces, UTF-8."""
    return json.dumps(claims, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(claims: Mapping[str, Any], key: OKPKey) -> str:
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": "JOSE"}
    with _quiet():
        return jws.serialize_compact(header, payload_bytes(claims), key, algorithms=[ALGORITHM])


def public_jwk(key: OKPKey) -> dict[str, Any]:
    return {**key.as_dict(private=False), "use": "sig", "alg": ALGORITHM}


def verify(token: str, keys: Mapping[str, Any]) -> dict[str, Any]:
    """The claims of ``token`` if one of ``keys`` (a JWKS as a dict) signed it as a receipt;
    raises ReceiptInvalid otherwise."""
    token = "".join(token.split())  # pasted text may be wrapped
    if not token or len(token) > MAX_JWS_CHARS or token.count(".") != 2:
        raise ReceiptInvalid("malformed", "This is not a signed receipt (a JWS in three parts).")
    try:
        with _quiet():
            header = jws.extract_compact(token.encode()).protected
    except (JoseError, ValueError, TypeError):
        raise ReceiptInvalid("malformed", "This is not a signed receipt (a JWS).") from None
    if header.get("alg") != ALGORITHM:
        raise ReceiptInvalid("algorithm", f"The receipt is not signed with {ALGORITHM}.")
    kid = header.get("kid")
    candidates = [k for k in keys.get("keys", []) if isinstance(k, dict) and k.get("kid") == kid]
    if not kid or not candidates:
        raise ReceiptInvalid("unknown_key", "The receipt is signed by a key that is not ours.")
    try:
        key = OKPKey.import_key({k: v for k, v in candidates[0].items() if k != "d"})
        with _quiet():
            found = jws.deserialize_compact(token, KeySet([key]), algorithms=[ALGORITHM])
    except (JoseError, ValueError, TypeError):
        raise ReceiptInvalid(
            "altered", "The receipt's signature does not match: it was altered."
        ) from None
    try:
        claims = json.loads(found.payload)
    except ValueError:
        raise ReceiptInvalid("not_a_receipt", "The signed text is not a receipt.") from None
    if (
        not isinstance(claims, dict)
        or claims.get("typ") != RECEIPT_TYPE
        or any(name not in claims for name in REQUIRED_CLAIMS)
    ):
        raise ReceiptInvalid("not_a_receipt", "The signed text is not a receipt.")
    return claims
