"""Documents whose content is what legitimate filings hold and a checker must not mistake for
active content: a deep structure tree (tagged PDF), a long outline, application data nested
deep, a /Screen blend mode, web and mail links, a fillable form, CJK and Arabic text."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
from fpdf import FPDF
from pikepdf import Array, Dictionary, Name

from tests.corpus.fetch import source_tree
from tests.corpus.model import Source
from tests.corpus.structure import text_document

DROID_FONTS = Source("deb", "fonts-droid-fallback", "1:6.0.1r16-1.1", "Apache-2.0")
DEJAVU_FONTS = Source("deb", "fonts-dejavu-core", "2.37-6", "Bitstream Vera / public domain")


def _edit(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        pdf.save(out)
    return out.getvalue()


def _page(pdf: pikepdf.Pdf, content: bytes, resources: Dictionary | None = None) -> None:
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    res = resources or Dictionary()
    res.Font = Dictionary(F1=font)
    page = Dictionary(Type=Name.Page, MediaBox=[0, 0, 612, 792], Resources=res)
    page.Contents = pdf.make_stream(content)
    pdf.pages.append(pikepdf.Page(page))


def tagged(depth: int = 40) -> bytes:
    """A tagged page whose structure tree is ``depth`` elements deep (Document, Part, Sect,
    Div, ..., P), each indirect with its /P parent, a ParentTree and marked content."""
    pdf = pikepdf.new()
    _page(pdf, b"/P <</MCID 0>> BDC BT /F1 12 Tf 72 720 Td (Tagged declaration) Tj ET EMC")
    page = pdf.pages[0].obj
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    parent, kinds = root, ["/Document", "/Part", "/Sect"]
    for level in range(depth):
        kind = kinds[level] if level < len(kinds) else "/Div"
        element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name(kind), P=parent))
        parent.K = Array([element])
        parent = element
    paragraph = pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.P, P=parent, Pg=page, K=0)
    )
    parent.K = Array([paragraph])
    root.ParentTree = Dictionary(Nums=Array([0, Array([paragraph])]))
    root.ParentTreeNextKey = 1
    page.StructParents = 0
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String("en-US")
    return _save(pdf)


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def long_outline(count: int = 1000) -> bytes:
    """A bookmark per exhibit, ``count`` of them chained by /Next and /Prev."""

    def add(pdf: pikepdf.Pdf) -> None:
        outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=count))
        items = [pdf.make_indirect(Dictionary()) for _ in range(count)]
        pages = [p.obj for p in pdf.pages]
        for n, item in enumerate(items):
            item.Title = pikepdf.String(f"Exhibit {n + 1}")
            item.Parent = outlines
            item.Dest = Array([pages[n % len(pages)], Name.XYZ, 0, 792, 0])
            if n:
                item.Prev = items[n - 1]
            if n + 1 < count:
                item.Next = items[n + 1]
        outlines.First, outlines.Last = items[0], items[-1]
        pdf.Root.Outlines = outlines

    return _edit(text_document(10), add)


def nested_private_data(depth: int) -> bytes:
    """Application data nested ``depth`` arrays deep in the page's /PieceInfo, where design
    programs keep their private state and readers ignore it."""

    def add(pdf: pikepdf.Pdf) -> None:
        value: object = Array([1, 2, 3])
        for level in range(depth - 1):
            value = Array([level, value])
        private = Dictionary(LastModified=pikepdf.String("D:20260105120000Z"), Private=value)
        pdf.pages[0].obj.PieceInfo = Dictionary(ExampleDesignApp=private)

    return _edit(text_document(1), add)


def blend_modes() -> bytes:
    """Overlapping shapes in a graphics state with /BM /Screen (and /Multiply)."""
    pdf = pikepdf.new()
    states = Dictionary(
        GS1=Dictionary(Type=Name.ExtGState, BM=Name.Screen, CA=0.8, ca=0.8),
        GS2=Dictionary(Type=Name.ExtGState, BM=Name.Multiply),
    )
    _page(
        pdf,
        b"1 0 0 rg 72 500 200 200 re f /GS1 gs 0 0 1 rg 172 400 200 200 re f "
        b"/GS2 gs 0 1 0 rg 122 450 200 200 re f BT /F1 12 Tf 72 720 Td (Blend modes) Tj ET",
        Dictionary(ExtGState=states),
    )
    return _save(pdf)


def links() -> bytes:
    """Link annotations to https, http and mailto addresses, and one to another page."""

    def add(pdf: pikepdf.Pdf) -> None:
        targets = ["https://www.justice.gov/eoir", "http://example.gov/", "mailto:occ@example.gov"]
        annots = []
        for n, uri in enumerate(targets):
            action = Dictionary(S=Name.URI, URI=pikepdf.String(uri))
            rect = [72, 600 - 30 * n, 300, 620 - 30 * n]
            annots.append(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=rect, A=action))
        goto = Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit]))
        annots.append(
            Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[72, 480, 300, 500], A=goto)
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(Array(annots))

    return _edit(text_document(2), add)


def fillable_form() -> bytes:
    """An AcroForm with a text field and a checkbox, with appearance streams (as EOIR forms)."""
    pdf = pikepdf.new()
    _page(pdf, b"BT /F1 12 Tf 72 720 Td (Name of respondent:) Tj ET")
    page = pdf.pages[0].obj
    helv = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    look = pdf.make_stream(b"/Tx BMC BT /Helv 12 Tf 2 6 Td (Jane Doe) Tj ET EMC")
    look.BBox, look.Resources = [0, 0, 200, 20], Dictionary(Font=Dictionary(Helv=helv))
    text = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=pikepdf.String("name"),
                   V=pikepdf.String("Jane Doe"), Rect=[200, 712, 400, 732], P=page, F=4,
                   DA=pikepdf.String("/Helv 12 Tf 0 g"), AP=Dictionary(N=look))
    )  # fmt: skip
    on = pdf.make_stream(b"0 0 0 rg 2 2 12 12 re f")
    off = pdf.make_stream(b"")
    for box in (on, off):
        box.BBox = [0, 0, 16, 16]
    check = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Btn, T=pikepdf.String("detained"),
                   V=Name.Yes, AS=Name.Yes, Rect=[72, 680, 88, 696], P=page, F=4,
                   AP=Dictionary(N=Dictionary(Yes=on, Off=off)))
    )  # fmt: skip
    page.Annots = Array([text, check])
    pdf.Root.AcroForm = Dictionary(
        Fields=Array([text, check]),
        DA=pikepdf.String("/Helv 0 Tf 0 g"),
        DR=Dictionary(Font=Dictionary(Helv=helv)),
    )
    return _save(pdf)


def _font_text(source: Source, font: str, text: str, **shaping: str) -> bytes:
    """Text in an embedded, subset TrueType font from a Debian font package."""
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("body", fname=str(source_tree(source) / font))
    pdf.set_font("body", size=14)
    if shaping:
        pdf.set_text_shaping(use_shaping_engine=True, **shaping)
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def cjk_text() -> bytes:
    """Chinese and Japanese in Droid Sans Fallback."""
    font = "usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
    return _font_text(DROID_FONTS, font, "移民法院文件送达证明。\n出入国管理の書類を送達しました。")


def arabic_text() -> bytes:
    """Arabic, shaped right to left, in DejaVu Sans."""
    font = "usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    text = "إقرار بتسليم المستندات إلى المحكمة.\nأقر بأن المعلومات صحيحة."
    return _font_text(DEJAVU_FONTS, font, text, direction="rtl", script="arab", language="ar")
