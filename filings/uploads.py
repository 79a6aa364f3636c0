"""Receiving uploads: each file part is written straight to a temporary file on disk while its
bytes are counted and hashed, so a document is never held whole in memory and never read twice
to be hashed. Past the per-document cap the bytes are counted but no longer kept.

For an attorney filing, each part is also handed to the document store as it arrives (S3: part
by part), so storing overlaps receiving; what is not committed is aborted when the request
ends, so a refused set leaves nothing in the store."""

from __future__ import annotations

import hashlib
import io
import tempfile
from typing import IO, Any

from flask import Request, current_app, g
from flask_login import current_user
from werkzeug.formparser import FormDataParser, MultiPartParser

from app.db import utcnow
from storage.base import Writer, new_key

# The views that serve documents: only their uploads are streamed to the store.
FILING_ENDPOINTS = frozenset({"filings.new", "api.create_filing"})


class HashingUpload:
    """A write-once temporary file that knows its size and SHA-256: written while the request
    arrives, then read (seek, read, tell ...) through a buffer."""

    def __init__(self, directory: str | None, cap: int) -> None:
        # Unbuffered, so a store writer reading parts by file offset sees every byte written;
        # named, so the local store can link it into place instead of copying it.
        self._file = tempfile.NamedTemporaryFile(dir=directory, buffering=0)  # noqa: SIM115
        self._hash = hashlib.sha256()
        self._reader: io.BufferedReader | None = None
        self.cap = cap
        self.size = 0
        self.writer: Writer | None = None

    @property
    def file(self) -> IO[bytes]:
        """The temporary file, for reading back what was received."""
        return self._file

    @property
    def over_cap(self) -> bool:
        return self.size > self.cap

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def write(self, data: bytes) -> int:
        if self._reader is not None:
            raise ValueError("an upload is written once, before it is read")
        self.size += len(data)
        if self.size <= self.cap:
            self._hash.update(data)
            view = memoryview(data)
            while view:  # a raw file may write less than asked
                view = view[self._file.write(view) or 0 :]
            if self.writer is not None:
                self.writer.written(data)
        elif self.writer is not None:
            self.writer.abort()
        return len(data)

    @property
    def _read_side(self) -> io.BufferedReader:
        # A parser reads a PDF in many small pieces: through a buffer that is a few system
        # calls, not one per piece. Same descriptor, so it starts where writing ended.
        if self._reader is None:
            self._reader = open(self._file.fileno(), "rb", closefd=False)  # noqa: SIM115
        return self._reader

    def read(self, size: int | None = -1) -> bytes:
        return self._read_side.read(size)

    def readinto(self, buffer: Any) -> int:
        return self._read_side.readinto(buffer)

    def readline(self, size: int | None = -1) -> bytes:
        return self._read_side.readline(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._read_side.seek(offset, whence)

    def tell(self) -> int:
        return self._read_side.tell() if self._reader is not None else self._file.tell()

    def close(self) -> None:
        if self.writer is not None and not self.writer.done:
            self.writer.abort()
        if self._reader is not None:
            self._reader.close()  # leaves the descriptor to the file
        self._file.close()

    def __getattr__(self, name: str) -> Any:  # fileno, name, closed, ... of the file
        return getattr(self._file, name)

    def __iter__(self) -> Any:
        return iter(self._read_side)


def _filing_by_an_attorney(request: Request) -> bool:
    if request.endpoint not in FILING_ENDPOINTS:
        return False
    if g.get("api_user") is not None:
        return True
    return bool(current_user and current_user.is_authenticated and current_user.is_attorney)


# Read the body a megabyte at a time, not werkzeug's 64 KB: far fewer buffer copies in the
# WSGI server (gunicorn copies what it has buffered on every read), for 1 MB of memory.
READ_SIZE = 1024 * 1024


class UploadFormDataParser(FormDataParser):
    def _parse_multipart(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str],
    ) -> Any:
        parser = MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
            buffer_size=READ_SIZE,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


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
        upload = HashingUpload(str(settings.upload_tmp_dir), settings.max_document_bytes)
        if _filing_by_an_attorney(self):
            storage = current_app.extensions["eservice.storage"]
            upload.writer = storage.writer(new_key(utcnow()), upload.name, upload.fileno())
        return upload

    form_data_parser_class = UploadFormDataParser
