"""The Notice of Service PDF: the receipt of a document set, printable, carrying its signed
receipt (the JWS) as text, as QR codes and as an embedded file. ``build`` is pure (a ``Notice``
in, bytes out); ``notice_of`` reads a filing into a ``Notice``."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import segno
from flask import current_app
from fpdf import FPDF

from filings.models import Filing, FilingStatus
from filings.receipt_page import filer_of, office_time, outcome_of
from filings.rules import document_type_label
from registration.anumbers import format_a_number

# DejaVu (Debian fonts-dejavu-core) prints nearly every script an uploaded file name uses; a
# copy under filings/fonts wins over the system's. Without either, the core fonts print Latin-1
# and every other character is replaced, never a crash.
FONT_DIRS = (Path(__file__).parent / "fonts", Path("/usr/share/fonts/truetype/dejavu"))
FONT_FILES = {
    "sans": "DejaVuSans.ttf",
    "sans-bold": "DejaVuSans-Bold.ttf",
    "mono": "DejaVuSansMono.ttf",
}
REPLACEMENT = "?"

# QR symbols: version 20 (97 modules) prints at under 1 mm a module in the 80 mm given it,
# which phones read; a longer JWS becomes a structured-append sequence (at most 16 symbols),
# of bigger symbols if it must.
QR_VERSIONS = (20, 30, 40)
QR_MAX_SYMBOLS = 16
QR_SCALE = 4  # pixels a module in the embedded image
QR_BORDER = 4  # modules of quiet zone

RED = (170, 0, 0)
GREEN = (0, 94, 32)


@dataclass(frozen=True)
class NoticeDocument:
    filename: str
    document_type: str  # in words
    pages: int
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class Notice:
    """Everything the notice prints, in words."""

    receipt_number: str
    office: str  # "OCC Atlanta (ATL)"
    served: bool
    state: str  # "Served", "NOT SERVED: refused by the checks", ...
    state_detail: str
    filer_name: str
    filer_firm: str
    filer_ids: str  # bar admission and EOIR ID
    a_numbers: list[str]  # formatted, the lead first
    document_type: str
    title: str
    received_local: str
    received_utc: str
    documents: list[NoticeDocument]
    jws: str
    verify_url: str
    jwks_url: str
    corrects: str | None = None


def jws_filename(receipt_number: str) -> str:
    return f"receipt-{receipt_number}.jws"


def qr_sequence(jws: str) -> list[segno.QRCode]:
    """The QR symbols that carry ``jws``: one, or a structured-append sequence; [] when even
    16 of the largest cannot (the embedded file and the text still carry it)."""
    for version in QR_VERSIONS:
        try:
            if len(jws) <= 858:  # fits one version-20 symbol at level L (byte mode)
                return [segno.make(jws, error="L", micro=False, boost_error=False)]
            symbols = list(segno.make_sequence(jws, version=version, error="L", boost_error=False))
        except (ValueError, segno.DataOverflowError):
            continue
        if len(symbols) <= QR_MAX_SYMBOLS:
            return symbols
    return []


class _Pdf(FPDF):
    """Letter pages with the receipt number and the state on every one, so a single page read
    out of context still says whether the set was served."""

    def __init__(self, notice: Notice) -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.notice = notice
        self.unicode = _add_fonts(self)
        self.set_margins(18, 22, 18)
        self.set_auto_page_break(True, margin=18)

    def header(self) -> None:
        self.set_y(8)
        self.use_font("sans", 8)
        label = "SERVED" if self.notice.served else "NOT SERVED"
        self.set_text_color(*(GREEN if self.notice.served else RED))
        self.cell(0, 5, self.printable(f"Notice of Service {self.notice.receipt_number}: {label}"))
        self.set_text_color(0, 0, 0)
        self.cell(0, 5, f"Page {self.page_no()}", align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_y(22)

    def use_font(self, face: str, size: float) -> None:
        if self.unicode:
            self.set_font(
                {"sans": "DejaVu", "sans-bold": "DejaVu", "mono": "DejaVuMono"}[face],
                "B" if face == "sans-bold" else "",
                size,
            )
        else:
            self.set_font(
                "Courier" if face == "mono" else "Helvetica",
                "B" if face == "sans-bold" else "",
                size,
            )

    def printable(self, value: str) -> str:
        """``value`` with what the current font cannot print replaced."""
        value = "".join(
            REPLACEMENT if c != "\n" and unicodedata.category(c)[0] == "C" else c for c in value
        )
        if not self.unicode:
            return value.encode("latin-1", "replace").decode("latin-1")
        cmap = getattr(self.current_font, "cmap", {})
        return "".join(c if c in " \n" or ord(c) in cmap else REPLACEMENT for c in value)

    def para(self, value: str, face: str = "sans", size: float = 10, gap: float = 1) -> None:
        self.use_font(face, size)
        self.multi_cell(
            0, size * 0.45, self.printable(value), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(gap)

    def item(self, label: str, value: str) -> None:
        self.use_font("sans-bold", 10)
        self.cell(42, 5, self.printable(label))
        self.use_font("sans", 10)
        self.multi_cell(0, 5, self.printable(value), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(0.8)


def _add_fonts(pdf: FPDF) -> bool:
    for folder in FONT_DIRS:
        paths = {k: folder / name for k, name in FONT_FILES.items()}
        if all(p.is_file() for p in paths.values()):
            pdf.add_font("DejaVu", "", str(paths["sans"]))
            pdf.add_font("DejaVu", "B", str(paths["sans-bold"]))
            pdf.add_font("DejaVuMono", "", str(paths["mono"]))
            return True
    return False


def _banner(pdf: _Pdf, notice: Notice) -> None:
    pdf.set_fill_color(*(GREEN if notice.served else RED))
    pdf.set_text_color(255, 255, 255)
    pdf.use_font("sans-bold", 16)
    pdf.multi_cell(
        0,
        10,
        pdf.printable(notice.state),
        fill=True,
        align="C",
        padding=2,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.para(notice.state_detail, size=10, gap=3)


def _documents(pdf: _Pdf, notice: Notice) -> None:
    pdf.para(f"Documents ({len(notice.documents)})", "sans-bold", 12)
    for n, doc in enumerate(notice.documents, 1):
        pdf.para(f"{n}. {doc.filename}", "sans-bold", 10, gap=0)
        pdf.para(
            f"{doc.document_type}; {doc.pages} page{'s' if doc.pages != 1 else ''}; "
            f"{doc.size_bytes:,} bytes",
            gap=0,
        )
        pdf.use_font("sans", 9)
        pdf.cell(18, 4.5, "SHA-256")
        pdf.use_font("mono", 8.5)
        pdf.cell(0, 4.5, doc.sha256, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)


def _jws(pdf: _Pdf, notice: Notice) -> None:
    pdf.add_page()
    pdf.para("Signed receipt (JWS)", "sans-bold", 12)
    pdf.para(
        "This receipt is signed (a JWS, RFC 7515, EdDSA). It is embedded in this PDF as the file "
        f"{jws_filename(notice.receipt_number)}, printed below, and in the QR code(s). Check it "
        f"at {notice.verify_url} or offline with the public keys at {notice.jwks_url}.",
        size=9,
        gap=2,
    )
    pdf.use_font("mono", 6)
    per_line = int((pdf.epw) / pdf.get_string_width("M"))
    for start in range(0, len(notice.jws), per_line):
        pdf.cell(0, 2.8, notice.jws[start : start + per_line], new_x="LMARGIN", new_y="NEXT")
    symbols = qr_sequence(notice.jws)
    if not symbols:
        pdf.ln(2)
        pdf.para("The signed receipt is too long for QR codes: use the embedded file.", size=9)
        return
    # Two symbols a row, each labelled, a new page when the next row does not fit.
    size, gap = 80.0, 8.0
    for i, symbol in enumerate(symbols, 1):
        column = (i - 1) % 2
        if column == 0:
            if pdf.get_y() + size + 10 > pdf.h - pdf.b_margin:
                pdf.add_page()
            top = pdf.get_y() + 3
        x = pdf.l_margin + column * (size + gap)
        pdf.set_xy(x, top)
        pdf.use_font("sans-bold", 9)
        pdf.cell(size, 5, f"QR {i} of {len(symbols)}")
        png = io.BytesIO()
        symbol.save(png, kind="png", scale=QR_SCALE, border=QR_BORDER)
        pdf.image(png, x=x, y=top + 5, w=size, h=size)
        if column == 1 or i == len(symbols):
            pdf.set_xy(pdf.l_margin, top + 5 + size)


def build(notice: Notice) -> bytes:
    """The Notice of Service PDF of ``notice``."""
    pdf = _Pdf(notice)
    pdf.set_title(f"Notice of Service {notice.receipt_number}")
    pdf.set_creator("OCC eService")
    pdf.add_page()
    pdf.para("Notice of Service", "sans-bold", 18, gap=2)
    _banner(pdf, notice)
    pdf.item("Receipt number", notice.receipt_number)
    pdf.item("Office", notice.office)
    pdf.item("Received", notice.received_local)
    pdf.item("Received (UTC)", notice.received_utc)
    pdf.item("Filer", notice.filer_name)
    pdf.item("Firm", notice.filer_firm or "none given")
    pdf.item("Bar / EOIR ID", notice.filer_ids)
    pdf.item("A-Number" + ("s" if len(notice.a_numbers) > 1 else ""), ", ".join(notice.a_numbers))
    pdf.item("Document type", notice.document_type)
    pdf.item("Title", notice.title)
    if notice.corrects:
        pdf.item("Corrects", f"receipt {notice.corrects}")
    pdf.ln(3)
    _documents(pdf, notice)
    _jws(pdf, notice)
    pdf.embed_file(
        bytes=notice.jws.encode("ascii"),
        basename=jws_filename(notice.receipt_number),
        desc=f"Signed receipt {notice.receipt_number} (JWS compact serialization)",
        mime_type="application/jose",
    )
    return bytes(pdf.output())


# The state in the notice's banner: served (proof of service) or plainly not.
STATES = {
    FilingStatus.SERVED: "Served",
    FilingStatus.ACCEPTED: "Served; accepted by OCC",
    FilingStatus.REJECTED: "Served; then rejected by OCC",
    FilingStatus.REFUSED: "NOT SERVED: refused",
    FilingStatus.HELD: "NOT SERVED: held for review",
    FilingStatus.RECEIVED: "NOT SERVED: still being checked",
}


def notice_of(filing: Filing, jws: str) -> Notice:
    """The notice of ``filing`` as it stands, carrying ``jws`` (its signed receipt)."""
    office = filing.office
    base = current_app.config["ESERVICE"].base_url
    return Notice(
        receipt_number=filing.receipt_number,
        office=office.label,
        served=filing.status in (FilingStatus.SERVED, FilingStatus.ACCEPTED, FilingStatus.REJECTED),
        state=STATES[FilingStatus(filing.status)],
        state_detail=outcome_of(filing).summary,
        filer_name=(filer := filer_of(filing)).name,
        filer_firm=filer.firm,
        filer_ids=filer.identifiers,
        a_numbers=[
            format_a_number(n) for n in [filing.a_number, *(r.a_number for r in filing.riders)]
        ],
        document_type=document_type_label(filing.document_type),
        title=filing.title,
        received_local=f"{office_time(filing.received_at, office)}, {office.timezone}",
        received_utc=filing.received_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        documents=[
            NoticeDocument(
                filename=d.filename,
                document_type=document_type_label(d.document_type or filing.document_type),
                pages=d.pages,
                size_bytes=d.size_bytes,
                sha256=d.sha256,
            )
            for d in filing.documents
        ],
        jws=jws,
        verify_url=f"{base}/verify",
        jwks_url=f"{base}/.well-known/jwks.json",
        corrects=filing.corrects.receipt_number if filing.corrects is not None else None,
    )


def notice_filename(receipt_number: str) -> str:
    return f"notice-of-service-{receipt_number}.pdf"


def notice_pdf_of(filing: Filing) -> bytes:
    """The Notice of Service PDF of ``filing`` now, with its current signed receipt (a new one
    is added to the session when the state changed since the last: the caller commits)."""
    from filings import signed_receipts

    return build(notice_of(filing, signed_receipts.current(filing).jws))
