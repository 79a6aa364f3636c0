"""PDF inspection: pure functions over a binary file, no Flask, so a worker can run them.

``quick_look`` is what intake does before a receipt is issued (is this really an open, readable,
unencrypted PDF with pages and nothing attached after its end?): it reads the trailers, opens the
file and counts pages, nothing more, so it is cheap and stays in the web process. A file that
pypdf will not open strictly gets its second opinion (filings/pdfagree.py) in the sandboxed
child, like everything that decodes or walks the whole file: the deep check
(filings/deepcheck.py), run by the check job in a child process under hard limits.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any, BinaryIO

import magic
from pypdf import PdfReader

from filings.pdftrailer import read_chain
from filings.rules import MAX_PAGES

HEAD = 2048
# A ZIP archive is found from its end: the end record within the last 64 KB (its comment).
TAIL = 65_536 + 22
_WHITESPACE = b" \t\n\r\f\x00"
# More objects than this is not a document anyone should serve; stop rather than walk forever.
MAX_OBJECTS = 500_000

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings would carry document content


@dataclass(frozen=True)
class Finding:
    """A problem code (see filings.problems) and the words to fill its message."""

    code: str
    params: dict[str, Any]


@dataclass(frozen=True)
class QuickLook:
    pages: int
    findings: list[Finding]


def describe_content(head: bytes) -> str:
    """What the bytes look like, in words (python-magic), for the not-a-PDF message."""
    try:
        text = magic.from_buffer(head) or "unknown data"
    except magic.MagicException:
        text = "unknown data"
    return text.split(",")[0][:80]


def quick_look(stream: BinaryIO) -> QuickLook:
    """Check a whole file from the start: PDF by content, readable, unencrypted, has pages."""
    stream.seek(0)
    head = stream.read(HEAD)
    stream.seek(0)
    if not head:
        return QuickLook(0, [Finding("empty_file", {})])
    if not head.startswith(b"%PDF-"):
        offset = head.find(b"%PDF-")
        if offset > 0 and magic.from_buffer(head, mime=True) == "application/pdf":
            return QuickLook(0, [Finding("junk_before_header", {"count": offset})])
        return QuickLook(0, [Finding("not_pdf", {"detected": describe_content(head)})])
    attached = trailing_data(stream)
    if attached:
        return QuickLook(0, [attached])
    chain = read_chain(stream)
    if chain.encrypted:  # said by a trailer, whatever a parser can or cannot decrypt
        return QuickLook(0, [Finding("encrypted", {})])
    if chain.cycle:
        return QuickLook(0, [Finding("xref_cycle", {})])
    try:
        reader = PdfReader(stream, strict=True)
        if reader.is_encrypted:
            return QuickLook(0, [Finding("encrypted", {})])
        pages = len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds on a file it will not read strictly
        finding = unreadable(exc)
        path = getattr(stream, "name", None)
        if finding.code != "damaged" or not isinstance(path, str) or not os.path.isfile(path):
            return QuickLook(0, [finding])
        from filings.sandbox import door_check  # the second opinion, under the child's limits

        outcome = door_check(path)
        if outcome.findings:
            return QuickLook(0, [Finding(f["code"], f["params"]) for f in outcome.findings])
        pages = outcome.pages
    finally:
        stream.seek(0)
    if pages == 0:
        return QuickLook(0, [Finding("no_pages", {})])
    if pages > MAX_PAGES:
        return QuickLook(pages, [Finding("too_many_pages", {"pages": pages, "limit": MAX_PAGES})])
    return QuickLook(pages, [])


def trailing_data(stream: BinaryIO) -> Finding | None:
    """Data after the PDF's last ``%%EOF`` other than whitespace, or a ZIP archive anywhere a
    ZIP reader finds one (its end record in the last 64 KB): a file that is a PDF and
    something else at once."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(max(0, size - TAIL))
    tail = stream.read()
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    while at != -1:
        if _zip_directory_before(stream, size - len(tail) + at, tail[at : at + 22]):
            return Finding("trailing_data", {"detail": "a ZIP archive"})
        at = tail.rfind(b"PK\x05\x06", 0, at)
    end = tail.rfind(b"%%EOF")
    if end != -1:
        after = tail[end + 5 :]
        if after.strip(_WHITESPACE):
            return Finding("trailing_data", {"detail": f"{len(after):,} bytes after its end"})
    return None


def _zip_directory_before(stream: BinaryIO, end_record_at: int, record: bytes) -> bool:
    """Whether a ZIP end record has its central directory right before it, as ZIP readers
    find it (wherever the archive sits and whatever follows it): then the file is an archive
    too. Chance bytes in compressed data are not, four signature bytes in the right place."""
    directory_size = int.from_bytes(record[12:16], "little")
    if len(record) < 22 or directory_size == 0 or directory_size > end_record_at:
        return False
    stream.seek(end_record_at - directory_size)
    signature = stream.read(4)
    stream.seek(0)
    return signature == b"PK\x01\x02"


def unreadable(exc: Exception) -> Finding:
    """What a parser error means for the attorney: a page list that contains itself, or damage."""
    if "cyclic" in str(exc).lower():
        return Finding("page_tree_cycle", {})
    return Finding("damaged", {"detail": reason(exc)})


def reason(exc: Exception) -> str:
    """A short, content-free reason: the parser's message, without document bytes."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return "".join(ch for ch in text if ch.isprintable())[:120]
