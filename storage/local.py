"""Documents in a local folder: written to a temporary file, fsynced, renamed into place."""

from __future__ import annotations

import hmac
import os
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, BinaryIO

from storage.base import CHUNK, IntegrityError, StorageError, check_key, sha256_of


class LocalStorage:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, source: IO[bytes], sha256_hex: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as out:
                    while chunk := source.read(CHUNK):
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                with open(tmp_name, "rb") as written:
                    if not hmac.compare_digest(sha256_of(written), sha256_hex):
                        raise IntegrityError(f"stored bytes for {key} do not match their SHA-256")
                os.replace(tmp_name, path)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
            _fsync_dir(path.parent)
        except OSError as exc:
            raise StorageError(f"could not store {key}: {exc.strerror}") from exc

    def writer(self, key: str, path: str, fd: int) -> LocalWriter:
        return LocalWriter(self, key, path, fd)

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except OSError as exc:
            raise StorageError(f"could not read {key}: {exc.strerror}") from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".incoming-check-"):
                pass
        except OSError as exc:
            raise StorageError(f"cannot write to {self.root}: {exc.strerror}") from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def objects(self) -> Iterator[tuple[str, datetime]]:
        if not self.root.exists():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".incoming-"):
                written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                yield path.relative_to(self.root).as_posix(), written

    def keys(self) -> Iterator[str]:
        return (key for key, _ in self.objects())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalWriter:
    """Puts a finished upload in place by a hard link to its temporary file (no copy, no second
    hash: the bytes were hashed as they arrived); copies when the link is not possible."""

    def __init__(self, store: LocalStorage, key: str, path: str, fd: int) -> None:
        self.store, self.key, self.path, self.fd = store, key, path, fd
        self.done = False

    def written(self, data: bytes) -> None:
        pass  # the bytes are in the file already

    def commit(self, sha256_hex: str) -> None:
        target = self.store._path(self.key)
        try:
            os.fsync(self.fd)
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = target.parent / f".incoming-{uuid.uuid4().hex}"
            try:
                os.link(self.path, staging)
            except OSError:  # another filesystem: copy it
                with open(self.path, "rb") as source:
                    self.store.put(self.key, source, sha256_hex)
                self.done = True
                return
            try:
                os.replace(staging, target)
            except BaseException:
                staging.unlink(missing_ok=True)
                raise
            _fsync_dir(target.parent)
        except OSError as exc:
            raise StorageError(f"could not store {self.key}: {exc.strerror}") from exc
        self.done = True

    def abort(self) -> None:
        self.done = True  # nothing was put in place before commit
