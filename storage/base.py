"""The storage interface."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import IO, BinaryIO, Protocol

CHUNK = 1024 * 1024


class StorageError(RuntimeError):
    """The store could not take or give the bytes; the caller should try again later."""


class IntegrityError(StorageError):
    """The bytes in the store are not the bytes that were meant to be there."""


class Writer(Protocol):
    """A document being stored while it arrives (see ``Storage.writer``)."""

    key: str
    done: bool

    def written(self, data: bytes) -> None:
        """``data`` was just appended to the file the writer was made for."""

    def commit(self, sha256_hex: str) -> None:
        """Make the bytes durable under ``key``, verified against ``sha256_hex``."""

    def abort(self) -> None:
        """Keep nothing; safe to call twice."""


class Storage(Protocol):
    def put(self, key: str, source: IO[bytes], sha256_hex: str) -> None:
        """Store ``source`` (read from its current position) durably under ``key``."""

    def writer(self, key: str, path: str, fd: int) -> Writer | None:
        """A writer that stores the file at ``path`` (open as ``fd``) while it is still being
        written, or None when the store gains nothing from that (``put`` it afterwards)."""

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


def new_key(at: datetime) -> str:
    """A generated storage key: the day, for people and lifecycle rules, and a random name."""
    return f"{at:%Y/%m/%d}/{uuid.uuid4()}"


def check_key(key: str) -> str:
    """Keys are generated (``[a-z0-9/-]``), so anything else is a bug, not user input."""
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-/")
    if not key or set(key) - allowed or key.startswith("/") or ".." in key or "//" in key:
        raise ValueError(f"bad storage key {key!r}")
    return key
