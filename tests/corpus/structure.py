"""Documents whose file structure is what real producers write and a strict parser must follow:
incremental updates (an editor or signer appending), hybrid-reference files (Word), linearized
files with object streams, PDF 2.0, padding after ``%%EOF``, Ghostscript output."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
from fpdf import FPDF


def text_document(pages: int = 3, title: str = "Motion to continue") -> bytes:
    """An ordinary typed brief (fpdf2, core fonts, classic cross-reference table)."""
    pdf = FPDF(format="letter")
    pdf.set_title(title)
    pdf.set_creation_date(datetime(2026, 1, 5, tzinfo=UTC))  # the same bytes each run
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 6, f"{title}, page {number}.\n" + "The respondent asks the court. " * 40)
    return bytes(pdf.output())


def incremental_by_hand(updates: int = 2) -> bytes:
    """Updates appended by hand, each a new Info dictionary, xref section and trailer with /Prev:
    the shape a signing tool leaves (every signature is one more update)."""
    data = text_document()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        size = int(pdf.trailer.Size)
        root = pdf.Root.objgen
    for update in range(1, updates + 1):
        prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
        offset = len(data)
        body = (
            f"{size} 0 obj\n<< /Title (Motion to continue) /Subject (update {update}) >>\nendobj\n"
        )
        xref = len(data) + len(body)
        data += (
            body.encode()
            + (
                f"xref\n0 1\n0000000000 65535 f \n{size} 1\n{offset:010d} 00000 n \n"
                f"trailer\n<< /Size {size + 1} /Root {root[0]} {root[1]} R /Info {size} 0 R"
                f" /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n"
            ).encode()
        )
        size += 1
    return data


def hybrid_reference() -> bytes:
    """A hybrid-reference file as Microsoft Word writes it: a classic xref table whose trailer
    has /XRefStm pointing to a cross-reference stream for objects kept in an object stream."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def obj(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    content = b"BT /F1 14 Tf 72 720 Td (Declaration in support of the motion) Tj ET"
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
           b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>")  # fmt: skip
    obj(4, b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    packed = b"5 0 " + font
    obj(6, b"<< /Type /ObjStm /N 1 /First 4 /Length %d >>\nstream\n" % len(packed) + packed
        + b"\nendstream")  # fmt: skip
    offsets[7] = len(out)
    rows = b"".join(
        [bytes([2]) + (6).to_bytes(4, "big") + (0).to_bytes(2, "big"),
         bytes([1]) + offsets[6].to_bytes(4, "big") + bytes(2),
         bytes([1]) + offsets[7].to_bytes(4, "big") + bytes(2)]
    )  # fmt: skip
    stream = zlib.compress(rows)
    head = b"<< /Type /XRef /Size 8 /Index [5 3] /W [1 4 2] /Filter /FlateDecode /Length %d >>"
    out.extend(
        b"7 0 obj\n" + head % len(stream) + b"\nstream\n" + stream + b"\nendstream\nendobj\n"
    )
    table = len(out)
    out.extend(b"xref\n0 8\n0000000000 65535 f \n")
    for number in range(1, 8):
        if number == 5:  # compressed: free in the table, found through /XRefStm
            out.extend(b"0000000000 65535 f \n")
        else:
            out.extend(b"%010d 00000 n \n" % offsets[number])
    out.extend(b"trailer\n<< /Size 8 /Root 1 0 R /XRefStm %d >>\n" % offsets[7])
    out.extend(b"startxref\n%d\n%%%%EOF\n" % table)
    return bytes(out)


def _pikepdf_save(data: bytes, **options: object) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def linearized_object_streams() -> bytes:
    return _pikepdf_save(
        text_document(8), linearize=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
    )


def pdf_2_0() -> bytes:
    return _pikepdf_save(
        text_document(2), force_version="2.0", object_stream_mode=pikepdf.ObjectStreamMode.generate
    )


def padded(padding: bytes) -> bytes:
    """Bytes after ``%%EOF``: NULs from a block-padding transfer, whitespace from a mailer
    (readers look for ``%%EOF`` in the last 1,024 bytes, so real padding stays under that)."""
    return text_document(2) + padding


def ghostscript(redistill: bool) -> bytes:
    """Ghostscript's pdfwrite output: a PostScript letter, or an existing PDF distilled again."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / ("in.pdf" if redistill else "in.ps")
        source.write_bytes(text_document(3) if redistill else POSTSCRIPT)
        target = Path(tmp) / "out.pdf"
        subprocess.run(
            ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite",
             f"-sOutputFile={target}", str(source)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        return target.read_bytes()


POSTSCRIPT = b"""%!PS-Adobe-3.0
%%Title: Certificate of service
/Times-Roman findfont 14 scalefont setfont
1 1 2 {
  /n exch def
  72 720 moveto (Certificate of service) show
  72 690 moveto (I certify that a copy was served on the Office of Chief Counsel.) show
  0.5 setgray 72 600 468 40 rectfill 0 setgray
  2 setlinewidth 72 560 moveto 300 560 lineto stroke
  showpage
} for
"""
