"""Receiving request bodies, and uploads: each file part is written straight to a temporary file
on disk while its bytes are counted and hashed, so a document is never held whole in memory and
never read twice to be hashed. Past the per-document cap the bytes are counted but no longer kept.

For an attorney filing, each part is also handed to the document store as it arrives (S3: part
by part), so storing overlaps receiving; what is not committed is aborted when the request
ends, so a refused set leaves nothing in the store.

Only the upload routes, called by someone signed in, take a large body. Every other body is
refused past ``SMALL_BODY_BYTES`` before it is read: by its Content-Length at once, and a
chunked body as it passes the limit. A request holds at most the files a set may hold (plus a
little headroom, so the intake can name the problem), each refused before it is written."""

from __future__ import annotations

import hashlib
import io
import tempfile
from typing import IO, Any, cast

from flask import Request, current_app, g
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

from app.db import utcnow
from storage.base import Writer, new_key

# The views that serve documents: only their uploads are streamed to the store.
FILING_ENDPOINTS = frozenset({"filings.new", "api.create_filing"})
# The views that take files: a document set, or files to check before serving them.
# E-28 records imported as a CSV file, by an administrator.
ADMIN_UPLOAD_ENDPOINTS = frozenset({"admin.appearances_import"})
# A set an office's staff serve on the attorneys of record (filings.occ_service_views).
STAFF_UPLOAD_ENDPOINTS = frozenset({"filings.occ_serve"})
UPLOAD_ENDPOINTS = (
    FILING_ENDPOINTS
    | {"filings.check", "api.create_check"}
    | ADMIN_UPLOAD_ENDPOINTS
    | STAFF_UPLOAD_ENDPOINTS
)

# The most any other request may send: a form of a few fields (the largest, registration,
# is a few kilobytes). Everything else is refused with 413 before it is read.
SMALL_BODY_BYTES = 64 * 1024
# Files one upload may carry beyond the most a set may hold: up to this many more reach the
# intake, which names the problem (too_many_files) the way it names every other; past it the
# request is refused before the next file is written.
EXTRA_FILES = 5
# Parts of an upload that are not files: the serve form has nine fields.
FORM_FIELDS = 20
# Parts of any other form: a few fields, no files.
SMALL_FORM_PARTS = 50


class BodyRefused(RequestEntityTooLarge):
    """A request body refused before it is read (413), saying what the address takes."""

    def __init__(self, description: str) -> None:
        super().__init__(description=description)


def _may_upload(request: Request) -> bool:
    """An upload route, called with an API token or by a logged-in attorney (an administrator,
    for the E-28 import; an office's staff, serving attorneys): only these may send more than a
    small form. (The API checks its
    token before any view reads the body.)"""
    if request.endpoint not in UPLOAD_ENDPOINTS:
        return False
    if request.endpoint in ADMIN_UPLOAD_ENDPOINTS:
        return bool(current_user and current_user.is_authenticated and current_user.is_admin)
    if request.endpoint in STAFF_UPLOAD_ENDPOINTS:
        return bool(
            current_user
            and current_user.is_authenticated
            and current_user.is_staff
            and current_user.office_id
        )
    if g.get("api_user") is not None:
        return True
    return bool(current_user and current_user.is_authenticated and current_user.is_attorney)


def body_limit_message(request: Request) -> str:
    """What the address of ``request`` takes, for the 413 that refused its body."""
    settings = current_app.config["ESERVICE"]
    if _may_upload(request):
        return (
            f"A document set may be at most {settings.max_filing_mb} MB in all and hold at most "
            f"{settings.max_documents_per_filing} files. Nothing was served. Split the documents "
            "into two or more sets."
        )
    if request.endpoint in UPLOAD_ENDPOINTS:
        return "Only a logged-in attorney may send documents here. Nothing was received."
    return (
        f"This address takes a form of at most {SMALL_BODY_BYTES // 1024} KB and no files. "
        "Nothing was received."
    )


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


class CappedStream(LimitedStream):
    """A body of unknown length (chunked), refused with 413 once more than ``cap`` bytes came.
    (Werkzeug's own stream stops quietly at its limit when read whole, and a form would be
    parsed from a truncated body.)"""

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        super().__init__(stream, cap + 1, is_max=True)
        self.cap = cap

    def readinto(self, b: Any) -> int | None:
        n = super().readinto(b)
        if self.tell() > self.cap:
            raise RequestEntityTooLarge()
        return n


class UploadRequest(Request):
    """The app's request: body limits by route, and uploads written to hashing temp files."""

    form_data_parser_class = UploadFormDataParser

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._uploads: list[HashingUpload] = []

    @cached_property
    def stream(self) -> IO[bytes]:
        cap = self.max_content_length
        chunked = self.content_length is None and self.environ.get("wsgi.input_terminated")
        if self.shallow or cap is None or not chunked:
            stream: IO[bytes] = super().stream
            return stream
        return cast(IO[bytes], CappedStream(self.environ["wsgi.input"], cap))

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:  # set for this request
            return self._max_content_length
        if _may_upload(self):
            return super().max_content_length
        return SMALL_BODY_BYTES

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property  # type: ignore[override]
    def max_form_parts(self) -> int | None:
        if self._max_form_parts is not None:
            return self._max_form_parts
        if _may_upload(self):
            settings = current_app.config["ESERVICE"]
            return settings.max_documents_per_filing + EXTRA_FILES + FORM_FIELDS
        return SMALL_FORM_PARTS

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self._max_form_parts = value

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> Any:
        settings = current_app.config["ESERVICE"]
        if not _may_upload(self):
            raise BodyRefused(body_limit_message(self))
        most = settings.max_documents_per_filing + EXTRA_FILES
        if len(self._uploads) >= most:
            raise BodyRefused(
                f"A document set may hold at most {settings.max_documents_per_filing} files; "
                f"this request has more than {most}. Nothing was served. Serve the rest as "
                "another set."
            )
        settings.upload_tmp_dir.mkdir(parents=True, exist_ok=True)
        upload = HashingUpload(str(settings.upload_tmp_dir), settings.max_document_bytes)
        self._uploads.append(upload)
        if _filing_by_an_attorney(self):
            storage = current_app.extensions["eservice.storage"]
            upload.writer = storage.writer(new_key(utcnow()), upload.name, upload.fileno())
        return upload

    def close(self) -> None:
        """Close every upload of the request, also those of a body refused half-way through
        (the parser drops them without closing them)."""
        super().close()
        for upload in self._uploads:
            upload.close()
