"""The rule for a PDF that pypdf's strict parser refuses: serve it only if two independent
parsers read the same document from it.

Strict parsing exists so that no repair can change what a document says. Some valid files trip
pypdf's strict mode on details a conforming reader takes in its stride (a cross-reference offset
that lands on the line break before ``xref``, an object a byte away from where the table says).
Such a file passes when:

- qpdf (through pikepdf) reads it without recovery and without a single warning, and
- pypdf's tolerant parser and qpdf yield the same document: the same number of pages and the
  same object graph from the catalog down, compared by a digest over every dictionary, array,
  name, number and string and the raw bytes of every stream (a stream's /Length is left out:
  pypdf keeps the bytes, not the key).

Then what we inspect (pypdf's reading) is what qpdf reads with no repair at all. Anything else
is refused as damaged. Runs in the deep check's child process, under its limits.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any

from pypdf import PdfReader
from pypdf._utils import read_non_whitespace
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
    read_object,
)

from filings.pdftrailer import table_in_use

_TIDY_PAGE = "Resources is missing or invalid; repairing"

# (identity of an indirect object or None, the node's own bytes, its children)
View = Callable[[Any], tuple[Hashable | None, bytes, list[Any]]]


class Disagreement(Exception):
    """The two readings differ, or qpdf needed to repair the file; the text says how."""


def graph_digest(root: Any, view: View) -> bytes:
    """A digest of everything reachable from ``root``: each object's own bytes and, in order,
    its children's digests. Iterative, so long chains cannot exhaust the stack; an object met
    again while it is being digested (a /Parent link) counts as a marker."""
    memo: dict[Hashable, bytes] = {}
    open_: set[Hashable] = set()
    values: list[bytes] = []
    work: list[tuple[bool, Any]] = [(True, root)]
    while work:
        visit, item = work.pop()
        if visit:
            ident, head, children = view(item)
            if ident is not None:
                if ident in memo:
                    values.append(memo[ident])
                    continue
                if ident in open_:
                    values.append(b"cycle")
                    continue
                open_.add(ident)
            work.append((False, (ident, head, len(children))))
            work.extend((True, child) for child in reversed(children))
        else:
            ident, head, count = item
            parts = values[len(values) - count :] if count else []
            del values[len(values) - count :]
            digest = hashlib.sha256(head + b"".join(parts)).digest()
            if ident is not None:
                memo[ident] = digest
                open_.discard(ident)
            values.append(digest)
    return values[0]


def _real(value: float | Decimal) -> bytes:
    return b"r" + repr(round(float(value), 4)).encode()


def _pypdf_is_null(value: Any) -> bool:
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return value is None or isinstance(value, NullObject)


def _pypdf_empty_resources(obj: DictionaryObject, key: str, value: Any) -> bool:
    """An empty /Resources on a page: dropped on both sides, as qpdf adds one (_TIDY_PAGE)."""
    if key != "/Resources" or dict.get(obj, "/Type") != "/Page":
        return False
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return isinstance(value, DictionaryObject) and not value


def pypdf_view(obj: Any) -> tuple[Hashable | None, bytes, list[Any]]:
    ident = None
    if isinstance(obj, IndirectObject):
        ident = (obj.idnum, obj.generation)
        obj = obj.get_object()
    if obj is None or isinstance(obj, NullObject):
        return ident, b"z", []
    if isinstance(obj, DictionaryObject):
        items = sorted(
            (k, v)
            for k, v in dict.items(obj)
            if not _pypdf_is_null(v) and not _pypdf_empty_resources(obj, k, v)
        )
        head = b"d" + b"\0".join(str(k).encode("utf-8", "surrogateescape") for k, _ in items)
        if isinstance(obj, StreamObject):
            head = b"s" + hashlib.sha256(obj._data).digest() + head
        return ident, head, [v for _, v in items]
    if isinstance(obj, ArrayObject):
        return ident, b"a%d" % len(obj), list(list.__iter__(obj))
    if isinstance(obj, NameObject):
        return ident, b"n" + str(obj).encode("utf-8", "surrogateescape"), []
    if isinstance(obj, BooleanObject):
        return ident, b"b1" if obj.value else b"b0", []
    if isinstance(obj, FloatObject):
        return ident, _real(obj), []
    if isinstance(obj, NumberObject):
        return ident, b"i%d" % int(obj), []
    if isinstance(obj, TextStringObject):
        return ident, b"t" + obj.original_bytes, []
    if isinstance(obj, ByteStringObject):
        return ident, b"t" + bytes(obj), []
    return ident, b"?" + type(obj).__name__.encode(), []


def _tidied(obj: Any, key: str, value: Any) -> bool:
    """The empty /Resources qpdf gives a page that had none (see _TIDY_PAGE)."""
    import pikepdf

    return (
        key == "/Resources"
        and isinstance(value, pikepdf.Dictionary)
        and len(value.keys()) == 0
        and obj.get("/Type") == pikepdf.Name.Page
    )


def pikepdf_view(obj: Any) -> tuple[Hashable | None, bytes, list[Any]]:
    import pikepdf

    ident = None
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        ident = tuple(obj.objgen)
    if obj is None:
        return ident, b"z", []
    if isinstance(obj, bool):
        return ident, b"b1" if obj else b"b0", []
    if isinstance(obj, int):
        return ident, b"i%d" % obj, []
    if isinstance(obj, Decimal | float):
        return ident, _real(obj), []
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        items = sorted((str(k), obj.get(k)) for k in obj.keys())  # noqa: SIM118
        items = [(k, v) for k, v in items if v is not None and not _tidied(obj, k, v)]
        head = b"d" + b"\0".join(k.encode("utf-8", "surrogateescape") for k, _ in items)
        if isinstance(obj, pikepdf.Stream):
            items = [(k, v) for k, v in items if k != "/Length"]  # as pypdf keeps them
            head = b"d" + b"\0".join(k.encode("utf-8", "surrogateescape") for k, _ in items)
            head = b"s" + hashlib.sha256(obj.read_raw_bytes()).digest() + head
        return ident, head, [v for _, v in items]
    if isinstance(obj, pikepdf.Array):
        return ident, b"a%d" % len(obj), list(obj)
    if isinstance(obj, pikepdf.Name):
        return ident, b"n" + str(obj).encode("utf-8", "surrogateescape"), []
    if isinstance(obj, pikepdf.String):
        return ident, b"t" + bytes(obj), []
    return ident, b"?" + type(obj).__name__.encode(), []


def _plain(message: object, path: str) -> str:
    """qpdf's words without the file's (temporary) path."""
    return str(message).replace(f"{path}: ", "").replace(path, "the file")[:80]


def agreeing_reader(path: str) -> PdfReader:
    """pypdf's tolerant reading of ``path`` when qpdf reads the same document from it without a
    warning; raises Disagreement otherwise (and pikepdf's or pypdf's own errors)."""
    import pikepdf

    with open(path, "rb") as stream:
        data = stream.read()
    if b"%%EOF" not in data[-1024:]:
        # qpdf does without the end marker; pypdf cannot find the trailer without one. Adding it
        # changes no object, and what pypdf then reads must still be what qpdf reads.
        data += b"\n%%EOF\n"
    tolerant = PdfReader(io.BytesIO(data), strict=False)
    # Digest before counting pages: pypdf copies inherited attributes into page dictionaries.
    ours = graph_digest(tolerant.trailer.raw_get("/Root"), pypdf_view)
    try:
        with pikepdf.open(path, attempt_recovery=False) as pdf:
            if pdf.is_encrypted:
                raise Disagreement("it is encrypted")
            theirs = graph_digest(pdf.trailer.get("/Root"), pikepdf_view)
            # What qpdf said while reading. Opening, it also gives a page without /Resources
            # an empty one and says so: that tidies, it changes nothing a reader shows.
            warnings = [w for w in pdf.get_warnings() if not str(w).endswith(_TIDY_PAGE)]
            their_pages = len(pdf.pages)
    except pikepdf.PdfError as exc:
        raise Disagreement(f"qpdf cannot read it either: {_plain(exc, path)}") from None
    if warnings:
        raise Disagreement(f"qpdf had to repair it: {_plain(warnings[0], path)}")
    if their_pages != len(tolerant.pages):
        raise Disagreement("two PDF readers count its pages differently")
    if ours != theirs:
        raise Disagreement("two PDF readers read different content from it")
    return tolerant


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
