"""What the deep check finds while walking a parsed PDF: every object reachable from the
trailer, once and without recursion, each dictionary judged by its own keys
(filings/activecontent.py), every stream measured through its general-purpose filters
(filings/pdfstreams.py); and the page warnings. Pure: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    StreamObject,
    TextStringObject,
)

from filings import activecontent, pdfstreams
from filings.pdfcheck import MAX_OBJECTS
from filings.rules import MAX_PAGES

MB = 1024 * 1024
TEXT_SEARCH_BYTES = 8 * MB  # of each content stream, looking for a text operator


@dataclass(frozen=True)
class Limits:
    max_decoded_bytes: int = 256 * MB  # all streams of the file, decoded, together
    # Containers directly inside each other in one object. Real producers nest a few dozen
    # levels; what we walk is iterative, so this only bounds pathological files.
    max_depth: int = 500
    max_objects: int = MAX_OBJECTS
    max_pages: int = MAX_PAGES
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


class Stop(Exception):
    """A finding that ends the check is already in the report."""


def _name(value: Any) -> str | None:
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, NameObject) else None


def _text(value: Any) -> str | None:
    """A string's text as a reader would take it: UTF-16 or UTF-8 when it starts with their
    byte-order mark, else byte for byte; NOT_TEXT for a value that is there but no string."""
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, TextStringObject):
        raw = value.original_bytes
    elif isinstance(value, ByteStringObject):
        raw = bytes(value)
    elif value is None or isinstance(value, NullObject):
        return None
    else:
        return activecontent.NOT_TEXT
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def _filters(stream: StreamObject) -> list[str]:
    value = stream.get("/Filter")
    if isinstance(value, ArrayObject):
        return [str(item.get_object()) for item in value]
    return [str(value)] if value is not None else []


class Walk:
    """Every object reachable from the trailer, once, without recursion."""

    def __init__(self, reader: PdfReader, limits: Limits, report: Report) -> None:
        self.reader, self.limits, self.report = reader, limits, report
        self.decoded = 0
        # Streams whose text operators tell whether a page has searchable text.
        self.content_ids = _content_stream_ids(reader)
        self.with_text: set[tuple[int, int]] = set()

    def run(self) -> set[tuple[int, int]]:
        seen: set[tuple[int, int]] = set()
        stack: list[tuple[Any, int, tuple[int, int] | None]] = [(self.reader.trailer, 0, None)]
        while stack:
            obj, depth, ref = stack.pop()
            if isinstance(obj, IndirectObject):
                key = (obj.idnum, obj.generation)
                if key in seen:
                    continue
                seen.add(key)
                if len(seen) > self.limits.max_objects:
                    self._stop("too_complex", detail=f"more than {self.limits.max_objects} objects")
                stack.append((obj.get_object(), 0, key))  # nesting counts within one object
                continue
            if depth > self.limits.max_depth:
                self._stop("too_complex", detail=f"nested more than {self.limits.max_depth} levels")
            if isinstance(obj, DictionaryObject):
                is_stream = isinstance(obj, StreamObject)
                for code, params in activecontent.judge(obj, is_stream, _name, _text):
                    self.report.find(code, **params)
                stack.extend((value, depth + 1, None) for value in dict.values(obj))
                if isinstance(obj, StreamObject):
                    self._measure(obj, ref)
            elif isinstance(obj, ArrayObject):
                stack.extend((item, depth + 1, None) for item in list.__iter__(obj))
        return self.with_text

    def _stop(self, code: str, **params: Any) -> None:
        self.report.find(code, **params)
        raise Stop

    def _measure(self, stream: StreamObject, ref: tuple[int, int] | None) -> None:
        sink = None
        if ref is not None and ref in self.content_ids and ref not in self.with_text:
            tail, seen = [b""], [0]

            def sink(piece: bytes) -> None:
                # Real pages show text in their first megabytes; past that, stop looking (a
                # bomb's hundreds of megabytes need not be searched, only counted).
                if seen[0] > TEXT_SEARCH_BYTES or ref in self.with_text:
                    return
                seen[0] += len(piece)
                # The piece, and where it meets the one before (an operator cut in two).
                for window in (tail[0] + piece[:8], piece):
                    if pdfstreams.may_show_text(window) and pdfstreams.TEXT_OPERATOR.search(window):
                        self.with_text.add(ref)
                tail[0] = piece[-8:]

        budget = self.limits.max_decoded_bytes - self.decoded
        try:
            self.decoded += pdfstreams.measure(stream._data, _filters(stream), budget, sink)
        except pdfstreams.TooMuchData:
            self._stop("decompression_bomb", limit=self.limits.max_decoded_bytes // MB)
        except pdfstreams.UnreachableFilter as exc:
            self.report.find("damaged", detail=str(exc))
        except pdfstreams.Undecodable:
            pass  # damaged image or content data: a reader shows less, nothing runs


def _refs(value: Any) -> list[tuple[int, int]]:
    if isinstance(value, IndirectObject):
        resolved = value.get_object()
        if isinstance(resolved, ArrayObject):
            return _refs(resolved)
        return [(value.idnum, value.generation)]
    if isinstance(value, ArrayObject):
        return [ref for item in list.__iter__(value) for ref in _refs(item)]
    return []


def _form_xobjects(resources: Any) -> list[tuple[int, int]]:
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, DictionaryObject):
        return []
    found = []
    for ref in dict.values(xobjects):
        target = ref.get_object() if isinstance(ref, IndirectObject) else None
        if isinstance(target, StreamObject) and _name(dict.get(target, "/Subtype")) == "/Form":
            found.append((ref.idnum, ref.generation))
    return found


def _content_stream_ids(reader: PdfReader) -> set[tuple[int, int]]:
    ids: set[tuple[int, int]] = set()
    for page in reader.pages:
        ids.update(_refs(dict.get(page, "/Contents")))
        ids.update(_form_xobjects(page.get("/Resources")))
    return ids


def form_findings(reader: PdfReader, report: Report) -> None:
    form = reader.root_object.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if isinstance(form, DictionaryObject) and "/XFA" in form:
        report.find("xfa_form")


def page_warnings(reader: PdfReader, report: Report, with_text: set[tuple[int, int]]) -> None:
    sizes: dict[tuple[float, float], int] = {}
    no_text = 0
    for page in reader.pages:
        box = page.mediabox
        width, height = round(float(box.width) / 72, 1), round(float(box.height) / 72, 1)
        sizes[(width, height)] = sizes.get((width, height), 0) + 1
        resources = page.get("/Resources")
        shown = _refs(dict.get(page, "/Contents")) + _form_xobjects(resources)
        has_text = any(ref in with_text for ref in shown)
        resources = resources.get_object() if resources is not None else None
        has_images = isinstance(resources, DictionaryObject) and "/XObject" in resources
        if has_images and not has_text:
            no_text += 1
    if no_text:
        report.warn("image_only_pages", count=no_text, pages=report.pages)
    if len(sizes) > 1:
        shown_sizes = ", ".join(
            f"{w} x {h} in ({n})"
            for (w, h), n in sorted(sizes.items(), key=lambda item: -item[1])[:4]
        )
        report.warn("mixed_page_sizes", sizes=shown_sizes)
    form = reader.root_object.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if isinstance(form, DictionaryObject) and form.get("/Fields") and "/XFA" not in form:
        report.warn("fillable_form")
