"""The deep check of one PDF, meant to run in a child process under hard limits (see
filings/sandbox.py): ``python -m filings.deepcheck PATH`` prints a JSON report.

Pure: no Flask, no database. It parses strictly (pypdf, strict=True: no lenient repair that
could change what the document says), walks every object reachable from the trailer with
decoded names, decodes every stream while counting the total, and reports:
- findings (rejections): active content, attachments, encryption, decompression bombs, nesting
  too deep, cycles in the cross-reference chain, damage;
- warnings (served anyway, shown on the receipt and to staff): pages without searchable text,
  mixed page sizes, fillable forms, a large document.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.errors import LimitReachedError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    EncodedStreamObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from filings.pdfcheck import MAX_OBJECTS, unreadable
from filings.rules import MAX_PAGES

logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its messages would carry content

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_decoded_bytes: int = 256 * MB  # all streams of the file, decoded, together
    max_depth: int = 64  # arrays and dictionaries inside each other
    max_objects: int = MAX_OBJECTS
    max_pages: int = MAX_PAGES
    max_xref_sections: int = 64
    large_document_bytes: int = 10 * MB  # over this, suggest splitting


@dataclass
class Report:
    pages: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def find(self, code: str, **params: Any) -> None:
        if all(f["code"] != code for f in self.findings):
            self.findings.append({"code": code, "params": params})

    def warn(self, code: str, **params: Any) -> None:
        self.warnings.append({"code": code, "params": params})


ACTIVE: dict[str, str] = {
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


class _Stop(Exception):
    """A limit was reached; the finding is already in the report."""


def inspect(path: str, limits: Limits, size: int | None = None) -> Report:
    report = Report()
    try:
        _xref_chain(path, limits, report)
        reader = PdfReader(path, strict=True)
        if reader.is_encrypted:
            report.find("encrypted")
            return report
        report.pages = len(reader.pages)
        if report.pages == 0:
            report.find("no_pages")
        elif report.pages > limits.max_pages:
            report.find("too_many_pages", pages=report.pages, limit=limits.max_pages)
            return report
        _walk(reader, limits, report)
        _page_warnings(reader, report)
    except _Stop:
        pass
    except LimitReachedError:
        report.find("decompression_bomb", limit=limits.max_decoded_bytes // MB)
    except RecursionError:
        report.find("too_complex", detail="nested too deeply")
    except MemoryError:
        report.find("too_complex", detail="it needs more memory than the check allows")
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        finding = unreadable(exc)
        report.find(finding.code, **finding.params)
    if size is not None and size > limits.large_document_bytes and not report.findings:
        report.warn(
            "large_document", mb=round(size / MB, 1), suggested=limits.large_document_bytes // MB
        )
    return report


def _xref_chain(path: str, limits: Limits, report: Report) -> None:
    """Follow startxref and each /Prev; a section seen twice is a cycle."""
    with open(path, "rb") as stream:
        stream.seek(0, 2)
        end = stream.tell()
        stream.seek(max(0, end - 2048))
        tail = stream.read()
        found = re.findall(rb"startxref\s+(\d+)", tail)
        if not found:
            return  # pypdf's strict open will name the damage
        offset: int | None = int(found[-1])
        seen: set[int] = set()
        while offset is not None:
            if offset in seen:
                report.find("xref_cycle")
                raise _Stop
            seen.add(offset)
            if len(seen) > limits.max_xref_sections:
                report.find("too_complex", detail="too many cross-reference sections")
                raise _Stop
            stream.seek(offset)
            chunk = stream.read(64 * 1024)
            if chunk.startswith(b"xref"):
                at = chunk.find(b"trailer")
                section = chunk[at:] if at != -1 else b""
            else:
                section = chunk[: chunk.find(b"stream")] if b"stream" in chunk else chunk
            match = re.search(rb"/Prev\s+(\d+)", section[:4096])
            offset = int(match.group(1)) if match else None


def _walk(reader: PdfReader, limits: Limits, report: Report) -> None:
    seen: set[tuple[int, int]] = set()
    decoded = 0
    stack: list[tuple[Any, int]] = [(reader.trailer, 0)]
    while stack:
        obj, depth = stack.pop()
        if depth > limits.max_depth:
            report.find("too_complex", detail=f"nested more than {limits.max_depth} levels")
            raise _Stop
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            if len(seen) > limits.max_objects:
                report.find("too_complex", detail=f"more than {limits.max_objects} objects")
                raise _Stop
            stack.append((obj.get_object(), depth))
        elif isinstance(obj, DictionaryObject):
            for key, value in dict.items(obj):
                if key in ACTIVE:
                    report.find(ACTIVE[key])
                stack.append((value, depth + 1))
            if isinstance(obj, StreamObject):
                decoded += len(obj.get_data())
                if isinstance(obj, EncodedStreamObject):
                    obj.decoded_self = None  # measured; do not keep it in memory
                if decoded > limits.max_decoded_bytes:
                    report.find("decompression_bomb", limit=limits.max_decoded_bytes // MB)
                    raise _Stop
        elif isinstance(obj, ArrayObject):
            stack.extend((item, depth + 1) for item in list.__iter__(obj))
        elif isinstance(obj, NameObject) and obj in ACTIVE and obj != "/JS":
            report.find(ACTIVE[obj])


def _page_warnings(reader: PdfReader, report: Report) -> None:
    sizes: dict[tuple[float, float], int] = {}
    no_text = 0
    for page in reader.pages:
        box = page.mediabox
        width, height = round(float(box.width) / 72, 1), round(float(box.height) / 72, 1)
        sizes[(width, height)] = sizes.get((width, height), 0) + 1
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        has_text = b"Tj" in data or b"TJ" in data  # text-showing operators
        resources = page.get("/Resources")
        has_images = bool(resources and "/XObject" in resources.get_object())
        if has_images and not has_text:
            no_text += 1
    if no_text:
        report.warn("image_only_pages", count=no_text, pages=report.pages)
    if len(sizes) > 1:
        shown = ", ".join(
            f"{w} x {h} in ({n})"
            for (w, h), n in sorted(sizes.items(), key=lambda item: -item[1])[:4]
        )
        report.warn("mixed_page_sizes", sizes=shown)
    form = reader.root_object.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if isinstance(form, DictionaryObject) and form.get("/Fields") and "/XFA" not in form:
        report.warn("fillable_form")


def main(argv: list[str]) -> int:
    path, size = argv[1], int(argv[2]) if len(argv) > 2 else None
    sys.setrecursionlimit(5000)
    report = inspect(path, Limits(), size)
    sys.stdout.write(json.dumps(asdict(report)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
