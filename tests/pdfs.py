"""PDFs built in code for tests: ordinary ones, and each kind of bad or hostile one."""

from __future__ import annotations

import io
import uuid

from pypdf import PdfWriter


def pdf_bytes(pages: int = 1, title: str | None = None) -> bytes:
    """A valid PDF with ``pages`` blank letter pages; unique bytes unless ``title`` is fixed."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Title": title or f"test {uuid.uuid4()}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript in the catalog's /Names tree."""
    return raw_pdf(
        minimal_pdf_objects(b"/Names << /JavaScript << /Names [(hello) 4 0 R] >> >>")
        + [b"<< /S /JavaScript /JS (app.alert('hello');) >>"]
    )


def pdf_with_attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_attachment("payload.txt", b"attached bytes")
    return _write(writer)


def encrypted_pdf(user_password: str = "", algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    return _write(writer)


def pdf_with_open_action(action: bytes) -> bytes:
    """A hand-written PDF whose catalog runs ``action`` on open, e.g. ``<< /S /Launch ... >>``."""
    return raw_pdf([*minimal_pdf_objects(b"/OpenAction 4 0 R"), action])


def raw_pdf(objects: list[bytes], header: bytes = b"%PDF-1.7\n") -> bytes:
    """A PDF from object bodies (object 1 is the catalog), with a correct xref table."""
    out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def minimal_pdf_objects(extra_catalog: bytes = b"", page_extra: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + page_extra + b" >>",
    ]


def slow_to_check_pdf(objects: int = 200_000) -> bytes:
    """A valid one-page PDF with many small objects: cheap to open, slow to walk in full."""
    per_array = 40_000
    arrays = (objects + per_array - 1) // per_array
    first_leaf = 4 + arrays
    holder = b"<< " + b" ".join(b"/A%d %d 0 R" % (i, 4 + i) for i in range(arrays)) + b" >>"
    lists = [
        b"["
        + b" ".join(
            b"%d 0 R" % (first_leaf + j)
            for j in range(i * per_array, min(objects, (i + 1) * per_array))
        )
        + b"]"
        for i in range(arrays)
    ]
    leaves = [b"<< /K %d >>" % j for j in range(objects)]
    return raw_pdf(
        minimal_pdf_objects(b"/Extra %d 0 R" % (4 + arrays + objects)) + lists + leaves + [holder]
    )


def flate_bomb_pdf(
    decoded_mb: int = 200, filters: bytes = b"/FlateDecode", fill: bytes = b"\0", extra: bytes = b""
) -> bytes:
    """A small file whose one content stream inflates to ``decoded_mb`` MB of ``fill``; the
    Flate data can be put behind other ``filters`` (``[/Crypt /FlateDecode]``) or in front of
    them (``[/FlateDecode /ASCIIHexDecode]``: megabytes of whitespace that decode to nothing)."""
    import zlib

    compressor = zlib.compressobj(9)
    block = fill * (1024 * 1024 // len(fill))
    packed = b"".join(compressor.compress(block) for _ in range(decoded_mb)) + compressor.flush()
    return raw_pdf(
        minimal_pdf_objects(page_extra=b"/Contents 4 0 R")
        + [
            b"<< /Length %d /Filter %s %s>>\nstream\n" % (len(packed), filters, extra)
            + packed
            + b"\nendstream"
        ]
    )


def many_streams_bomb_pdf(streams: int = 60, decoded_mb: int = 20) -> bytes:
    """Many streams, each under a per-stream cap, together far over any sane total."""
    import zlib

    packed = zlib.compress(bytes(decoded_mb * 1024 * 1024), 9)
    first = 4
    refs = b" ".join(b"%d 0 R" % (first + i) for i in range(streams))
    bodies = [
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
        for _ in range(streams)
    ]
    return raw_pdf(minimal_pdf_objects(page_extra=b"/Contents [" + refs + b"]") + bodies)


def deeply_nested_pdf(depth: int = 100_000) -> bytes:
    return raw_pdf(minimal_pdf_objects(b"/Deep " + b"[" * depth + b"]" * depth))


def page_tree_cycle_pdf() -> bytes:
    """A /Pages node that lists itself among its kids."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


def xref_loop_pdf() -> bytes:
    """A cross-reference section whose /Prev points back at itself."""
    body = raw_pdf(minimal_pdf_objects())
    start = int(body.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    return body.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % start)


def javascript_in_object_stream_pdf() -> bytes:
    """JavaScript in an action dictionary kept inside a compressed object stream (PDF 1.5+),
    invisible to a search of the file's bytes."""
    return object_stream_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>")


def object_stream_pdf(action: bytes, padding_mb: int = 0) -> bytes:
    """The catalog's open action (object 4) kept inside a compressed object stream, optionally
    followed by ``padding_mb`` MB of spaces that inflate from a few kilobytes."""
    import zlib

    header = b"4 0 "
    packed = zlib.compress(header + action + b" " * (padding_mb * 1024 * 1024), 9)
    objects = minimal_pdf_objects(b"/OpenAction 4 0 R") + [
        b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream"
    ]
    # Objects 1-3 and the object stream (5) in a classic table; object 4 lives in stream 5.
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in zip((1, 2, 3, 5), objects, strict=True):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    rows = [
        b"\x00\x00\x00\xff\xff",
        *(b"\x01" + offsets[n].to_bytes(3, "big") + b"\x00" for n in (1, 2, 3)),
        b"\x02\x00\x00\x05\x00",
        b"\x01" + offsets[5].to_bytes(3, "big") + b"\x00",
        b"\x01" + xref_at.to_bytes(3, "big") + b"\x00",
    ]
    table = zlib.compress(b"".join(rows))
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 3 1] /Root 1 0 R /Length %d "
        b"/Filter /FlateDecode >>\nstream\n" % len(table) + table + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def eicar() -> bytes:
    """The EICAR anti-virus test string, assembled at run time (never stored in the repo)."""
    parts = ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"]
    return "".join(parts).encode()


def pdf_with_eicar() -> bytes:
    data = eicar()
    return raw_pdf(
        minimal_pdf_objects(page_extra=b"/Contents 4 0 R")
        + [b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"]
    )


def hex_escaped_javascript_pdf() -> bytes:
    """/J#61vaScript is /JavaScript once the name is decoded; a byte search would miss it."""
    return raw_pdf(
        minimal_pdf_objects(b"/Names << /J#61vaScript 4 0 R >>")
        + [b"<< /Names [(x) << /S /JavaScript /JS (app.alert(1)) >>] >>"]
    )


def page_action_pdf(action: bytes) -> bytes:
    """An action on the page's open event (/AA /O), not the document's."""
    return raw_pdf(minimal_pdf_objects(page_extra=b"/AA << /O 4 0 R >>") + [action])


def annotation_action_pdf(action: bytes) -> bytes:
    """A link annotation whose action is ``action``."""
    return raw_pdf(
        minimal_pdf_objects(page_extra=b"/Annots [4 0 R]")
        + [b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A " + action + b" >>"]
    )


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages that are only an image (as a scanner makes them), no text operators."""
    image = (
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"
    )
    content = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    page_objects = [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
        b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (3 + pages, 4 + pages)
        for _ in range(pages)
    ]
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            *page_objects,
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            image,
        ]
    )


def mixed_sizes_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_blank_page(width=792, height=612)
    writer.add_blank_page(width=595, height=842)
    return _write(writer)


def fillable_form_pdf() -> bytes:
    return raw_pdf(
        minimal_pdf_objects(b"/AcroForm << /Fields [4 0 R] >>")
        + [b"<< /FT /Tx /T (name) /V (Jane) /Rect [0 0 100 20] >>"]
    )


def brief_pdf(pages: int = 500) -> bytes:
    """A long brief with real text on every page (compressed content streams)."""
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    for n in range(pages):
        page = writer.add_blank_page(width=612, height=792)
        text = b"BT /F1 11 Tf 72 720 Td (Page %d. The respondent asks the court to ...) Tj ET" % n
        stream = StreamObject()
        stream.set_data(text)
        page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    return _write(writer)


def rewritten_with_qpdf(
    content: bytes, *, linearize: bool = False, object_streams: bool = False
) -> bytes:
    """The same document saved by qpdf (pikepdf): linearized ("fast web view") and/or with
    compressed object streams, as Acrobat and many scanners write them."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        pdf.save(
            out,
            linearize=linearize,
            object_stream_mode=pikepdf.ObjectStreamMode.generate
            if object_streams
            else pikepdf.ObjectStreamMode.preserve,
        )
    return out.getvalue()


def too_many_pages_pdf(pages: int = 5001) -> bytes:
    """A page tree listing one page object ``pages`` times: tiny, but that many pages."""
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )
