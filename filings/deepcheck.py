"""The deep check of one PDF, meant to run in a child process under hard limits (see
filings/sandbox.py): ``python -m filings.deepcheck PATH [SIZE]`` prints a JSON report.

Pure: no Flask, no database. It reads the cross-reference chain from the raw bytes (cycles,
encryption), opens the file strictly with pypdf (or, where the strict parse fails, by the
two-parser rule of filings/pdfagree.py), walks every object reachable from the trailer once,
judges each dictionary by its own keys (filings/activecontent.py), measures what every stream
expands to through its general-purpose filters (filings/pdfstreams.py), and reports:
- findings (refusals): active content, attachments, unsafe links, external streams,
  encryption, decompression bombs, objects nested too deeply, cross-reference cycles, damage;
- warnings (served anyway): pages without searchable text, mixed page sizes, fillable forms,
  a large document.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf._utils import read_non_whitespace
from pypdf.errors import LimitReachedError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    StreamObject,
    TextStringObject,
    read_object,
)

from filings import activecontent, pdfstreams
from filings.pdfagree import Disagreement, agreeing_reader
from filings.pdfcheck import MAX_OBJECTS, reason, trailing_data, unreadable
from filings.pdftrailer import read_chain, table_in_use
from filings.rules import MAX_PAGES
from filings.sandbox import apply_limits

# pypdf's messages can quote document content: never printed, only collected (see _Repairs).
_pypdf_log = logging.getLogger("pypdf")
_pypdf_log.setLevel(logging.WARNING)
_pypdf_log.propagate = False
_pypdf_log.addHandler(logging.NullHandler())

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
    # Hybrid-reference sections (table, stream) of the file, for the check; not reported.
    hybrids: list[tuple[int, int]] = field(default_factory=list, repr=False)

    def find(self, code: str, **params: Any) -> None:
        if all(f["code"] != code for f in self.findings):
            self.findings.append({"code": code, "params": params})

    def warn(self, code: str, **params: Any) -> None:
        self.warnings.append({"code": code, "params": params})


class _Stop(Exception):
    """A finding that ends the check is already in the report."""


class _Repairs(logging.Handler):
    """What pypdf repaired while reading: even its strict mode finds a misplaced object by
    searching the file, and a search can pick another revision's copy."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    # Said of a string, not of the file's structure: a backslash before a letter that is no
    # escape, which the standard says to ignore (pypdf keeps it; nothing is looked up by it).
    NOT_REPAIRS = ("Unexpected escaped string",)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(self.NOT_REPAIRS):
            self.messages.append(message)

    def __enter__(self) -> _Repairs:
        logging.getLogger("pypdf").addHandler(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger("pypdf").removeHandler(self)


def _second_opinion(path: str, why: str) -> PdfReader:
    """The two-parser rule (filings/pdfagree.py); raises _Damaged, with both parsers' words,
    when it does not hold."""
    try:
        return agreeing_reader(path)
    except (RecursionError, MemoryError, LimitReachedError):
        raise
    except Disagreement as exc:
        raise _Damaged(f"{why}; {exc}"[:160]) from None
    except Exception:  # the tolerant parser gave up too
        raise _Damaged(why) from None


class _Damaged(Exception):
    """Neither the strict reading nor the two-parser rule reads the file."""


def _read(path: str, limits: Limits, report: Report, examine: Any) -> None:
    """Run ``examine(reader, limits, report)`` on pypdf's strict reading of the file; where the
    strict reading fails or needed a repair, start again on the two-parser rule's reading."""
    with _Repairs() as repairs:
        try:
            examine(PdfReader(path, strict=True), limits, report)
            if not repairs.messages:
                return
            why = "it needed repair: " + reason(Exception(repairs.messages[0]))
        except (_Stop, RecursionError, MemoryError, LimitReachedError):
            raise
        except Exception as exc:  # pypdf raises many kinds on a file it will not read strictly
            finding = unreadable(exc)
            if finding.code != "damaged":  # a page list that contains itself: no second opinion
                report.find(finding.code, **finding.params)
                raise _Stop from None
            why = reason(exc)
    report.findings.clear()
    report.warnings.clear()
    examine(_second_opinion(path, why), limits, report)


def hybrid_disagreement(reader: PdfReader, hybrids: list[tuple[int, int]]) -> bool:
    """Whether a hybrid-reference section's cross-reference stream places an object that the
    section's own table already places elsewhere: readers that take the table and readers that
    take the stream would then show different objects (as Word writes them, the two agree)."""
    stream = reader.stream
    data = stream.getvalue() if hasattr(stream, "getvalue") else b""
    for table_at, stream_at in hybrids:
        in_use = table_in_use(data, table_at)
        stream.seek(stream_at)
        read_non_whitespace(stream)
        stream.seek(-1, 1)
        reader.read_object_header(stream)
        xref = read_object(stream, reader)
        if not isinstance(xref, StreamObject):
            return True
        widths = [int(w) for w in xref.get("/W", [])]
        if len(widths) != 3 or min(widths) < 0 or not 0 < sum(widths) <= 32:
            return True  # no reader can read such a table the same way as another
        index = [int(n) for n in xref.get("/Index", [0, xref.get("/Size", 0)])]
        rows, size = xref.get_data(), sum(widths)
        at = 0
        for first, count in zip(index[0::2], index[1::2], strict=False):
            for number in range(first, first + count):
                row = rows[at : at + size]
                at += size
                if len(row) < size:
                    return False
                kind = int.from_bytes(row[: widths[0]], "big") if widths[0] else 1
                place = int.from_bytes(row[widths[0] : widths[0] + widths[1]], "big")
                listed = in_use.get(number)
                if listed is not None and (kind == 2 or (kind == 1 and place != listed)):
                    return True
    return False


def _pages(reader: PdfReader, limits: Limits, report: Report) -> None:
    if reader.is_encrypted:
        report.find("encrypted")
        raise _Stop
    report.pages = len(reader.pages)
    if report.pages == 0:
        report.find("no_pages")
    elif report.pages > limits.max_pages:
        report.find("too_many_pages", pages=report.pages, limit=limits.max_pages)
        raise _Stop


def _everything(reader: PdfReader, limits: Limits, report: Report) -> None:
    _pages(reader, limits, report)
    if report.hybrids and hybrid_disagreement(reader, report.hybrids):
        report.find("damaged", detail="its two cross-reference tables place objects differently")
        raise _Stop
    texts = _Walk(reader, limits, report).run()
    _form_findings(reader, report)
    _page_warnings(reader, report, texts)


def _guarded(report: Report, limits: Limits, run: Any) -> None:
    """Run one check, turning every way it can end into findings."""
    try:
        run()
    except _Stop:
        pass
    except _Damaged as exc:
        report.find("damaged", detail=str(exc))
    except LimitReachedError:
        report.find("decompression_bomb", limit=limits.max_decoded_bytes // MB)
    except RecursionError:
        report.find("too_complex", detail="nested too deeply")
    except MemoryError:
        report.find("too_complex", detail="it needs more memory than the check allows")
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        finding = unreadable(exc)
        report.find(finding.code, **finding.params)


def inspect(path: str, limits: Limits, size: int | None = None) -> Report:
    report = Report()

    def run() -> None:
        with open(path, "rb") as stream:
            chain = read_chain(stream)
            attached = trailing_data(stream)
        if attached:
            report.find(attached.code, **attached.params)
        elif chain.encrypted:
            report.find("encrypted")
        elif chain.cycle:
            report.find("xref_cycle")
        elif chain.too_long:
            report.find("too_complex", detail="too many cross-reference sections")
        else:
            report.hybrids = chain.hybrids
            _read(path, limits, report, _everything)

    _guarded(report, limits, run)
    if size is not None and size > limits.large_document_bytes and not report.findings:
        report.warn(
            "large_document", mb=round(size / MB, 1), suggested=limits.large_document_bytes // MB
        )
    return report


def door(path: str, limits: Limits) -> Report:
    """What intake needs: the file opens (strictly or by the two-parser rule) and has pages."""
    report = Report()
    _guarded(report, limits, lambda: _read(path, limits, report, _pages))
    return report


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


class _Walk:
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
        raise _Stop

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


def _form_findings(reader: PdfReader, report: Report) -> None:
    form = reader.root_object.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if isinstance(form, DictionaryObject) and "/XFA" in form:
        report.find("xfa_form")


def _page_warnings(reader: PdfReader, report: Report, with_text: set[tuple[int, int]]) -> None:
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


def _peak_kb() -> int | None:
    """This process's peak resident memory since it started (Linux), for the benchmarks."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main(argv: list[str]) -> int:
    """``PATH [SIZE | --door] [--limits ADDRESS_SPACE_BYTES CPU_SECONDS]``"""
    if "--limits" in argv:
        at = argv.index("--limits")
        apply_limits(int(argv[at + 1]), int(argv[at + 2]))
        argv = argv[:at]
    sys.setrecursionlimit(5000)
    if len(argv) > 2 and argv[2] == "--door":
        report = door(argv[1], Limits())
    else:
        size = int(argv[2]) if len(argv) > 2 else None
        report = inspect(argv[1], Limits(), size)
    answer = {k: v for k, v in asdict(report).items() if k != "hybrids"}
    sys.stdout.write(json.dumps({**answer, "peak_kb": _peak_kb()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
