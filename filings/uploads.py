"""Receiving uploads: each file part is written straight to a temporary file on disk while its
bytes are counted and hashed, so a document is never held whole in memory and never read twice
to be hashed. Past the per-document cap the bytes are counted but no longer kept."""

from __future__ import annotations

import hashlib
import tempfile
from typing import IO, Any

from flask import Request, current_app


class HashingUpload:
    """A write-once temporary file that knows its size and SHA-256."""

    def __init__(self, directory: str | None, cap: int) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115
        self._hash = hashlib.sha256()
        self.cap = cap
        self.size = 0

    @property
    def over_cap(self) -> bool:
        return self.size > self.cap

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size <= self.cap:
            self._hash.update(data)
            self._file.write(data)
        return len(data)

    def __getattr__(self, name: str) -> Any:  # read, seek, tell, close, ... of the file
        return getattr(self._file, name)

    def __iter__(self) -> Any:
        return iter(self._file)


class UploadRequest(Request):
    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> Any:
        settings = current_app.config["ESERVICE"]
        settings.upload_tmp_dir.mkdir(parents=True, exist_ok=True)
        return HashingUpload(str(settings.upload_tmp_dir), settings.max_document_bytes)
