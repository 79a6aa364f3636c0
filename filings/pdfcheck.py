"""PDF inspection: pure functions over a binary file, no Flask, so a worker can run them.

``quick_look`` is what intake does before a receipt is issued (is this really an open, readable,
unencrypted PDF with pages?). ``find_active_content`` is part of the check job: a walk over every
parsed object, so content hidden in object streams or behind hex-escaped names is still found.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, BinaryIO

import magic
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

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
    except Exception as exc:  # pypdf raises many kinds on a damaged file; all mean "damaged"
        return QuickLook(0, [Finding("damaged", {"detail": _reason(exc)})])
    finally:
        stream.seek(0)
    if pages == 0:
        return QuickLook(0, [Finding("no_pages", {})])
    if pages > MAX_PAGES:
        return QuickLook(pages, [Finding("too_many_pages", {"pages": pages, "limit": MAX_PAGES})])
    return QuickLook(pages, [])


_ACTIVE: dict[str, str] = {
    "/JavaScript": "javascript",
    "/JS": "javascript",
    "/Launch": "launch_action",
    "/GoToR": "launch_action",
    "/GoToE": "launch_action",
    "/SubmitForm": "form_action",
    "/ImportData": "form_action",
    "/EmbeddedFiles": "embedded_file",
    "/EmbeddedFile": "embedded_file",
    "/FileAttachment": "embedded_file",
    "/RichMedia": "rich_media",
    "/Movie": "rich_media",
    "/Sound": "rich_media",
    "/Screen": "rich_media",
    "/XFA": "xfa_form",
}


def find_active_content(stream: BinaryIO) -> list[Finding]:
    """Every kind of active content or attachment in the file, each named once."""
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=True)
        if reader.is_encrypted:
            return [Finding("encrypted", {})]
        found = _walk(reader)
    except Exception as exc:
        return [Finding("damaged", {"detail": _reason(exc)})]
    return [Finding(code, {}) for code in sorted(found)]


def _walk(reader: PdfReader) -> set[str]:
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            if len(seen) > MAX_OBJECTS:
                raise ValueError("the file has too many objects to check")
            stack.append(obj.get_object())
        elif isinstance(obj, DictionaryObject):
            for key, value in dict.items(obj):
                if key in _ACTIVE:
                    found.add(_ACTIVE[key])
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
        elif isinstance(obj, NameObject) and obj in _ACTIVE and obj != "/JS":
            found.add(_ACTIVE[obj])
    return found


def _reason(exc: Exception) -> str:
    """A short, content-free reason: the parser's message, without document bytes."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return "".join(ch for ch in text if ch.isprintable())[:120]
