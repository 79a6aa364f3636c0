"""The storage interface."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from typing import IO, BinaryIO, Protocol

CHUNK = 1024 * 1024


class StorageError(RuntimeError):
    """The store could not take or give the bytes; the caller should try again later."""


class IntegrityError(StorageError):
    """The bytes in the store are not the bytes that were meant to be there."""


class Storage(Protocol):
    def put(self, key: str, source: IO[bytes], sha256_hex: str) -> None:
        """Store ``source`` (read from its current position) durably under ``key``."""

    def open(self, key: str) -> BinaryIO:
        """A seekable binary file with the stored bytes; the caller closes it."""

    def delete(self, key: str) -> None:
        """Remove ``key``; no error when it is already gone."""

    def exists(self, key: str) -> bool: ...

    def check(self) -> None:
        """Raise StorageError unless the store can be written to."""

    def objects(self) -> Iterator[tuple[str, datetime]]:
        """Every stored key with the time it was written (UTC)."""

    def keys(self) -> Iterator[str]: ...


def sha256_of(source: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def check_key(key: str) -> str:
    """Keys are generated (``[a-z0-9/-]``), so anything else is a bug, not user input."""
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-/")
    if not key or set(key) - allowed or key.startswith("/") or ".." in key or "//" in key:
        raise ValueError(f"bad storage key {key!r}")
    return key
