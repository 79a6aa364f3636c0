"""PDFs built in code for the classes the checks judge (tests/filings/test_document_classes.py):
the legitimate variant real producers write (scans, incremental updates, hybrid files, links)
and the dangerous twin (polyglots, unsafe links, 3D, external streams, shadowed objects)."""

from __future__ import annotations

import io

from tests.pdfs import (
    annotation_action_pdf,
    minimal_pdf_objects,
    pdf_with_open_action,
    raw_pdf,
)


def image_pdf(filter_name: bytes, data: bytes, extra: bytes = b"") -> bytes:
    """A scanned-style page: one image XObject kept in ``filter_name`` (never decoded by the
    checks), drawn over the whole page."""
    content = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /XObject /Subtype /Image /Width 2480 /Height 3508 /ColorSpace "
            b"/DeviceGray /BitsPerComponent 1 /Filter "
            + filter_name
            + b" "
            + extra
            + b" /Length %d >>\nstream\n" % len(data)
            + data
            + b"\nendstream",
        ]
    )


def incremental_update_pdf(updates: int = 1) -> bytes:
    """A document saved again by appending small updates (a new /Info each time), each with its
    own cross-reference section whose /Prev points at the one before: what signing tools and
    "save" in many editors write."""
    body = raw_pdf(minimal_pdf_objects() + [b"<< /Title (first) >>"]).replace(
        b"/Root 1 0 R", b"/Root 1 0 R /Info 4 0 R"
    )
    for n in range(updates):
        previous = int(body.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
        offset = len(body)
        body += b"4 0 obj\n<< /Title (revision %d) >>\nendobj\n" % (n + 2)
        xref = len(body)
        body += b"xref\n0 1\n0000000000 65535 f \n4 1\n%010d 00000 n \n" % offset
        body += (
            b"trailer\n<< /Size 5 /Root 1 0 R /Info 4 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
            % (previous, xref)
        )
    return body


def hybrid_reference_pdf(shadow: bool = False) -> bytes:
    """A hybrid-reference file (as Microsoft Word writes them): a classic cross-reference table
    whose trailer's /XRefStm names a cross-reference stream for an object kept in an object
    stream, so readers of PDF 1.4 and of PDF 1.5 both open it. With ``shadow`` the table also
    places object 4 (a harmless open action) while the stream places it in the object stream
    (a script): two readers, two documents."""
    import zlib

    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /PageLabels 4 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    }
    inner = b"4 0 << /Nums [0 << /S /D >>] >>"
    if shadow:
        objects[1] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
        objects[4] = b"<< /S /GoTo /D [3 0 R /Fit] >>"
        inner = b"4 0 << /S /JavaScript /JS (app.alert(1)) >>"
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    packed = zlib.compress(inner)
    offsets[5] = len(out)
    out += (
        b"5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length %d /Filter /FlateDecode >>\nstream\n"
        % len(packed)
        + packed
        + b"\nendstream\nendobj\n"
    )
    rows = b"\x02\x00\x05\x00"  # object 4: in object stream 5, index 0
    xref_stream_at = len(out)
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /Index [4 1] /W [1 2 1] /Length %d >>\nstream\n"
        % len(rows)
        + rows
        + b"\nendstream\nendobj\n"
    )
    xref = len(out)
    listed = (1, 2, 3, 4) if shadow else (1, 2, 3)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(listed) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in listed)
    out += b"5 2\n%010d 00000 n \n%010d 00000 n \n" % (offsets[5], xref_stream_at)
    out += b"trailer\n<< /Size 7 /Root 1 0 R /XRefStm %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        xref_stream_at,
        xref,
    )
    return bytes(out)


def blend_mode_screen_pdf() -> bytes:
    """``/BM /Screen`` (a blend mode in a graphics state): not a screen annotation."""
    content = b"/GS0 gs 0 0 1 rg 72 72 200 200 re f"
    return raw_pdf(
        minimal_pdf_objects(
            page_extra=b"/Contents 4 0 R /Resources << /ExtGState << /GS0 << /Type /ExtGState "
            b"/BM /Screen /ca 0.5 >> >> >>"
        )
        + [b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    )


def outline_pdf(items: int = 2000) -> bytes:
    """Bookmarks chained by /Next, each going to the page: long chains of references."""
    first = 5
    entries = [
        b"<< /Title (Exhibit %d) /Parent 4 0 R /Dest [3 0 R /Fit]" % i
        + (b" /Next %d 0 R" % (first + i + 1) if i < items - 1 else b"")
        + (b" /Prev %d 0 R" % (first + i - 1) if i else b"")
        + b" >>"
        for i in range(items)
    ]
    outlines = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
        first,
        first + items - 1,
        items,
    )
    return raw_pdf(minimal_pdf_objects(b"/Outlines 4 0 R") + [outlines] + entries)


def dangling_reference_pdf() -> bytes:
    """A reference to an object the file does not have, which the PDF standard reads as null
    (left behind by editors that delete an annotation): pypdf's strict parser refuses it."""
    return raw_pdf(
        minimal_pdf_objects(page_extra=b"/Annots [9 0 R] /Resources << >> /Thumb 12 0 R")
    )


def link_pdf(uri: bytes, where: str = "annotation") -> bytes:
    """A URI action as a link annotation or as the document's open action."""
    action = b"<< /S /URI /URI (" + uri + b") >>"
    if where == "open":
        return pdf_with_open_action(action)
    return annotation_action_pdf(action)


def three_d_pdf(script: bool = True) -> bytes:
    """A 3D annotation whose 3D stream (/3DD) may carry a script (/OnInstantiate)."""
    data = b"U3D\0fake model data"
    code = b"host.getURL('https://example.invalid')"
    return raw_pdf(
        minimal_pdf_objects(page_extra=b"/Annots [4 0 R]")
        + [
            b"<< /Type /Annot /Subtype /3D /Rect [0 0 200 200] /3DD 5 0 R >>",
            b"<< /Type /3D /Subtype /U3D"
            + (b" /OnInstantiate 6 0 R" if script else b"")
            + b" /Length %d >>\nstream\n" % len(data)
            + data
            + b"\nendstream",
            b"<< /Length %d >>\nstream\n" % len(code) + code + b"\nendstream",
        ]
    )


def external_stream_pdf() -> bytes:
    """A content stream whose data is in another file (/F on the stream dictionary)."""
    return raw_pdf(
        minimal_pdf_objects(page_extra=b"/Contents 4 0 R")
        + [b"<< /Length 0 /F (\\\\\\\\server\\\\share\\\\page.txt) >>\nstream\n\nendstream"]
    )


def with_trailing(content: bytes, extra: bytes) -> bytes:
    return content + extra


def zip_archive() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.js", "WScript.Echo('hello')")
    return out.getvalue()


def zip_polyglot_pdf() -> bytes:
    """A valid PDF that is also a ZIP archive: the archive sits before the cross-reference
    table and its end record's comment runs over the PDF's own end, so the file ends with
    ``%%EOF`` as a PDF should."""
    body = raw_pdf(minimal_pdf_objects())
    xref_at = body.index(b"\nxref\n") + 1
    archive = zip_archive()
    tail = body[xref_at:].replace(
        b"startxref\n%d" % xref_at, b"startxref\n%d" % (xref_at + len(archive))
    )
    archive = archive[:-2] + len(tail).to_bytes(2, "little")  # the comment length
    return body[:xref_at] + archive + tail


def zip_in_stream_pdf() -> bytes:
    """A ZIP archive kept in an unreferenced stream: ZIP readers find it from the file's end."""
    archive = zip_archive()
    return raw_pdf(
        minimal_pdf_objects()
        + [b"<< /Length %d >>\nstream\n" % len(archive) + archive + b"\nendstream"]
    )


def without_end_marker(content: bytes) -> bytes:
    """The same file without its final ``%%EOF`` line, which qpdf and Acrobat do without."""
    return content[: content.rindex(b"%%EOF")]
