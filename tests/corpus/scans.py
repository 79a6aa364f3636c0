"""Scanned-style documents built in code: page images as a scanner or a scanning app stores
them (CCITT G4 and JBIG2 for black and white, JPEG and JPEG 2000 for grey and colour)."""

from __future__ import annotations

import io

import img2pdf
import pikepdf
from PIL import Image, ImageDraw

from tests.corpus.fetch import real_file

LINES = [
    "UNITED STATES DEPARTMENT OF JUSTICE",
    "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW",
    "Exhibit 3: declaration of the respondent, page {page}",
    "I, the undersigned, declare under penalty of perjury that the",
    "foregoing is true and correct to the best of my knowledge.",
]


def page_image(page: int, mode: str = "1", dpi: int = 150) -> Image.Image:
    """A letter page with typed lines, as a flatbed scanner would see it."""
    image = Image.new("L", (int(8.5 * dpi), 11 * dpi), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(LINES * 4):
        draw.text((dpi, dpi + row * dpi // 4), line.format(page=page), fill=0)
    draw.rectangle((dpi, 10 * dpi - 40, 4 * dpi, 10 * dpi - 38), fill=0)  # a signature line
    return image.convert(mode)


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, dpi=(150, 150), **options)
    return out.getvalue()


def ccitt_g4(pages: int = 3) -> bytes:
    """Bilevel pages as Group 4 TIFFs, which img2pdf embeds as they are (CCITTFaxDecode)."""
    tiffs = [_encoded(page_image(n), "TIFF", compression="group4") for n in range(1, pages + 1)]
    return img2pdf.convert(tiffs)


def jpeg(pages: int = 2) -> bytes:
    shots = [_encoded(page_image(n, "L"), "JPEG", quality=80) for n in range(1, pages + 1)]
    return img2pdf.convert(shots)


def jpeg2000(pages: int = 2) -> bytes:
    color = [page_image(n, "RGB") for n in range(1, pages + 1)]
    return img2pdf.convert([_encoded(image, "JPEG2000") for image in color])


def jbig2(pages: int = 3) -> bytes:
    """Several pages of a real JBIG2 scan (OCRmyPDF's sample, with shared JBIG2Globals): no
    JBIG2 encoder is packaged, so the encoded page is taken from a real file and repeated."""
    from tests.corpus.real import REAL

    sample = next(entry for entry in REAL if entry.id == "pikepdf/jbig2global")
    out = pikepdf.new()
    with pikepdf.open(real_file(sample)) as src:
        for _ in range(pages):
            out.pages.append(src.pages[0])
        buffer = io.BytesIO()
        out.save(buffer)
    return buffer.getvalue()
