"""Password hashing: Argon2id at OWASP's parameters, older hashes upgraded at login.

``ESERVICE_PASSWORD_HASH`` names the parameters as ``argon2id:m=<KiB>,t=<passes>,p=<lanes>``.
A hash made with other parameters, or by the scrypt of earlier versions, still verifies, and
``verify`` says it should be made again with the current ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

from config import parse_password_hash


@lru_cache(maxsize=8)
def _hasher(method: str) -> PasswordHasher:
    memory, passes, lanes = parse_password_hash(method)
    return PasswordHasher(time_cost=passes, memory_cost=memory, parallelism=lanes, type=Type.ID)


def hash_password(password: str, method: str) -> str:
    return _hasher(method).hash(password)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    needs_rehash: bool = False


def verify(stored: str, password: str, method: str) -> Verdict:
    """Does ``password`` match ``stored``, and should it be hashed again with ``method``?"""
    hasher = _hasher(method)
    if stored.startswith("$argon2"):
        try:
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return Verdict(ok=False)
        return Verdict(ok=True, needs_rehash=hasher.check_needs_rehash(stored))
    if stored.startswith(("scrypt:", "pbkdf2:")):  # hashes of earlier versions
        return Verdict(ok=check_password_hash(stored, password), needs_rehash=True)
    return Verdict(ok=False)


@lru_cache(maxsize=8)
def _dummy_hash(method: str) -> str:
    return hash_password("not-a-real-password", method)


def spend_as_verify(password: str, method: str) -> None:
    """Cost the same as checking a real password, for an account that does not exist."""
    verify(_dummy_hash(method), password, method)
