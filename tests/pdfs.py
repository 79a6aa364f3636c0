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


def encrypted_pdf(user_password: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
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
