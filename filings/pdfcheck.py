"""PDF inspection: pure functions over a binary file, no Flask, so a worker can run them.

``quick_look`` is what intake does before a receipt is issued (is this really an open, readable,
unencrypted PDF with pages?): it opens the file and counts pages, nothing more, so it is cheap
and stays in the web process. Everything that decodes or walks the whole file is the deep check
(filings/deepcheck.py), run by the check job in a child process under hard limits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, BinaryIO

import magic
from pypdf import PdfReader

from filings.rules import MAX_PAGES

HEAD = 2048
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
    try:
        reader = PdfReader(stream, strict=True)
        if reader.is_encrypted:
            return QuickLook(0, [Finding("encrypted", {})])
        pages = len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        return QuickLook(0, [unreadable(exc)])
    finally:
        stream.seek(0)
    if pages == 0:
        return QuickLook(0, [Finding("no_pages", {})])
    if pages > MAX_PAGES:
        return QuickLook(pages, [Finding("too_many_pages", {"pages": pages, "limit": MAX_PAGES})])
    return QuickLook(pages, [])


def unreadable(exc: Exception) -> Finding:
    """What a parser error means for the attorney: a page list that contains itself, or damage."""
    if "cyclic" in str(exc).lower():
        return Finding("page_tree_cycle", {})
    return Finding("damaged", {"detail": reason(exc)})


def reason(exc: Exception) -> str:
    """A short, content-free reason: the parser's message, without document bytes."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return "".join(ch for ch in text if ch.isprintable())[:120]
