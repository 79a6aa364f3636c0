"""Intake of a document set: every file checked by its content before anything is stored.

Every problem in the set is reported at once, so an attorney fixes everything in one go.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import IO, Any

from werkzeug.datastructures import FileStorage

from filings import pdfcheck
from filings.problems import FilingRefused, Problem, problem
from filings.uploads import HashingUpload
from storage.base import Writer

MAX_FILENAME = 200


@dataclass
class ReceivedDocument:
    filename: str
    stream: IO[bytes]  # positioned at 0; closed by whoever stores it
    size: int
    sha256: str
    pages: int
    writer: Writer | None = None  # already on its way to the store


def sanitise_filename(raw: str | None, position: int) -> str:
    """The attorney's file name as safe metadata: no path, no control characters, NFC."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(" ")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if not stem.strip(" ."):  # empty, or nothing but an extension
        return f"document-{position}.pdf"
    if len(name) > MAX_FILENAME:
        stem, dot, ext = name.rpartition(".")
        name = (
            (stem[: MAX_FILENAME - len(ext) - 2] + "…" + dot + ext) if dot else name[:MAX_FILENAME]
        )
    return name


def _as_hashing_upload(storage: FileStorage) -> HashingUpload:
    """Every upload comes through UploadRequest, which receives it as a HashingUpload."""
    stream: Any = storage.stream
    if not isinstance(stream, HashingUpload):
        raise TypeError("uploads must be received through filings.uploads.UploadRequest")
    stream.seek(0)
    return stream


@dataclass
class Examined:
    """One file of a set after the intake checks."""

    filename: str
    upload: HashingUpload
    pages: int
    problems: list[Problem]


def examine(
    files: list[FileStorage],
    *,
    max_document_bytes: int,
    max_filing_bytes: int,
    max_files: int,
) -> tuple[list[Problem], list[Examined]]:
    """The intake checks of every file: (problems of the set as a whole, each file's result)."""
    uploads = [(f.filename, _as_hashing_upload(f)) for f in files]
    # A browser sends an empty part for a file input left empty: that is no file at all.
    uploads = [(name, upload) for name, upload in uploads if name or upload.size]
    if not uploads:
        return [problem("no_files", field="files")], []
    set_problems: list[Problem] = []
    if len(uploads) > max_files:
        set_problems.append(problem("too_many_files", limit=max_files, field="files"))
    if sum(upload.size for _, upload in uploads) > max_filing_bytes:
        set_problems.append(
            problem("set_too_large", limit=max_filing_bytes // 2**20, field="files")
        )
    examined: list[Examined] = []
    by_hash: dict[str, str] = {}
    for position, (raw_name, upload) in enumerate(uploads, start=1):
        name = sanitise_filename(raw_name, position)
        item = Examined(name, upload, 0, [])
        examined.append(item)
        if upload.size == 0:
            item.problems.append(problem("empty_file", name))
            continue
        if upload.over_cap:
            item.problems.append(problem("file_too_large", name, limit=max_document_bytes // 2**20))
            continue
        look = pdfcheck.quick_look(upload)  # type: ignore[arg-type]
        item.pages = look.pages
        item.problems += [problem(f.code, name, **f.params) for f in look.findings]
        if look.findings:
            continue
        if upload.sha256 in by_hash:
            item.problems.append(
                problem("duplicate_file", name, other=f"“{by_hash[upload.sha256]}”")
            )
            continue
        by_hash[upload.sha256] = name
    return set_problems, examined


def receive(
    files: list[FileStorage],
    *,
    max_document_bytes: int,
    max_filing_bytes: int,
    max_files: int,
) -> list[ReceivedDocument]:
    """Check every file of a set; raise FilingRefused with every problem, else the documents."""
    set_problems, examined = examine(
        files,
        max_document_bytes=max_document_bytes,
        max_filing_bytes=max_filing_bytes,
        max_files=max_files,
    )
    problems = [p for item in examined for p in item.problems] + set_problems
    if problems:
        raise FilingRefused(problems)
    return [
        ReceivedDocument(
            item.filename,
            item.upload,  # type: ignore[arg-type]
            item.upload.size,
            item.upload.sha256,
            item.pages,
            item.upload.writer,
        )
        for item in examined
    ]
