"""Small real PDFs for the demo filings, written by hand: a page of text per page, and the
active content the checks refuse (JavaScript, a launch action, an attached file) for the sets
the demo shows as refused. No test code and no PDF library needed."""

from __future__ import annotations

from enum import StrEnum


class Flaw(StrEnum):
    """What makes a demo document one the checks refuse; the value is the problem code."""

    JAVASCRIPT = "javascript"
    LAUNCH_ACTION = "launch_action"
    EMBEDDED_FILE = "embedded_file"


def _pdf_string(text: str) -> bytes:
    """A PDF literal string of plain ASCII text (the demo's own words, never user input)."""
    safe = text.encode("ascii", "replace")
    return b"(" + safe.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _flaw_objects(flaw: Flaw | None, first: int) -> tuple[bytes, list[bytes]]:
    """The catalog entries and extra objects (numbered from ``first``) for ``flaw``."""
    if flaw is Flaw.JAVASCRIPT:
        return (
            b"/Names << /JavaScript << /Names [(demo) %d 0 R] >> >>" % first,
            [b"<< /S /JavaScript /JS (app.alert\\('demo'\\);) >>"],
        )
    if flaw is Flaw.LAUNCH_ACTION:
        return b"/OpenAction %d 0 R" % first, [b"<< /S /Launch /F (calc.exe) >>"]
    if flaw is Flaw.EMBEDDED_FILE:
        attached = b"notes kept inside the PDF"
        return (
            b"/Names << /EmbeddedFiles << /Names [(notes.txt) %d 0 R] >> >>" % first,
            [
                b"<< /Type /Filespec /F (notes.txt) /EF << /F %d 0 R >> >>" % (first + 1),
                _stream(attached, b"/Type /EmbeddedFile "),
            ],
        )
    return b"", []


def demo_pdf(title: str, pages: int, flaw: Flaw | None = None) -> bytes:
    """A PDF of ``pages`` letter pages, each saying the title and its page number."""
    # 1 catalog, 2 page tree, 3 font, then a page and its content stream for each page.
    page_numbers = [4 + 2 * i for i in range(pages)]
    first_extra = 4 + 2 * pages
    catalog_extra, extra = _flaw_objects(flaw, first_extra)
    kids = b" ".join(b"%d 0 R" % n for n in page_numbers)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, number in enumerate(page_numbers, start=1):
        text = (
            b"BT /F1 18 Tf 72 700 Td "
            + _pdf_string(title)
            + b" Tj 0 -28 Td /F1 12 Tf "
            + _pdf_string(f"Demonstration document - page {i} of {pages}")
            + b" Tj ET"
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (number + 1)
        )
        objects.append(_stream(text))
    objects += extra
    return _assemble(objects, title)


def _assemble(objects: list[bytes], title: str) -> bytes:
    """The file: header, objects, a correct cross-reference table and trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    info = len(objects) + 1
    offsets.append(len(out))
    out += b"%d 0 obj\n<< /Title %s /Producer (OCC eService demo) >>\nendobj\n" % (
        info,
        _pdf_string(title),
    )
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (info + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        info + 1,
        info,
        xref,
    )
    return bytes(out)
