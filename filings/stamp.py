"""Put the served stamp ("Served on OCC ..., receipt ...") in the margin of every page of a PDF,
in a child process under hard limits, as filings/pagerender.py draws pages: a fresh interpreter
with no settings and no secrets, its own address-space and CPU limits set before it reads a byte,
killed by the parent at the wall-clock limit. The original bytes are never written to.

``python -m filings.stamp TEXT --limits ADDRESS_SPACE CPU < original.pdf > stamped.pdf``

The stamp sits in a thin white band along the bottom edge of the page as it is shown: the
page's /Rotate and its CropBox (which need not start at 0, 0) are taken into account.
"""

from __future__ import annotations

import io
import signal
import subprocess
import sys
from dataclasses import dataclass

from filings.sandbox import MB, apply_limits, child_environment

BAD_PDF_EXIT = 3  # the child could not read or write the PDF

BAND = 11.0  # points: the height of the band at the page's edge
MARGIN = 14.0  # points from the page's side to the start of the text
MAX_SIZE, MIN_SIZE = 7.5, 3.0  # font size (Courier: each character 0.6 of it wide)


@dataclass(frozen=True)
class StampLimits:
    address_space_bytes: int = 1024 * MB
    cpu_seconds: int = 60
    wall_seconds: int = 90


class StampFailed(RuntimeError):
    """The child could not stamp the document within its limits; the message says why."""


def stamp_pdf(pdf: bytes, text: str, limits: StampLimits | None = None) -> bytes:
    """``pdf`` with ``text`` stamped on every page, made in a sandboxed child."""
    limits = limits or StampLimits()
    command = [
        sys.executable,
        "-m",
        "filings.stamp",
        text,
        "--limits",
        str(limits.address_space_bytes),
        str(limits.cpu_seconds),
    ]
    try:
        proc = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            input=pdf,
            capture_output=True,
            timeout=limits.wall_seconds,
            env=child_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise StampFailed(f"stamping took longer than {limits.wall_seconds} s") from None
    if proc.returncode == 0 and proc.stdout.startswith(b"%PDF-"):
        return proc.stdout
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise StampFailed(f"stamping used more than {limits.cpu_seconds} s of CPU")
    if b"MemoryError" in proc.stderr or proc.returncode in (-signal.SIGABRT, -signal.SIGSEGV):
        raise StampFailed("stamping needed more memory than it may have")
    if proc.returncode == BAD_PDF_EXIT:
        raise StampFailed("the document could not be read to stamp it")
    raise StampFailed("the stamp could not be made")


def _pdf_string(text: str) -> str:
    """``text`` as a PDF literal string of the standard (WinAnsi) encoding."""
    raw = text.encode("cp1252", "replace").decode("latin-1")
    return "(" + raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def stamp_operators(
    box: tuple[float, float, float, float], rotate: int, text: str, font: str = "/OCCStamp"
) -> str:
    """Content-stream operators drawing the band and ``text`` along the bottom of the page as
    shown: ``box`` is the visible box (x0, y0, x1, y1) in user space, ``rotate`` its /Rotate."""
    x0, y0, x1, y1 = box
    rotate %= 360
    # The shown page turns clockwise by /Rotate, so the text turns anticlockwise by as much in
    # user space; its origin is the shown bottom-left corner of the box.
    matrix, across = {
        0: ((1, 0, 0, 1, x0, y0), x1 - x0),
        90: ((0, 1, -1, 0, x1, y0), y1 - y0),
        180: ((-1, 0, 0, -1, x1, y1), x1 - x0),
        270: ((0, -1, 1, 0, x0, y1), y1 - y0),
    }[rotate]
    size = max(MIN_SIZE, min(MAX_SIZE, (across - 2 * MARGIN) / (0.6 * max(len(text), 1))))
    cm = " ".join(f"{v:.4f}" for v in matrix)
    return (
        f"q {cm} cm 1 1 1 rg 0 0 {across:.4f} {BAND:.4f} re f "
        f"BT {font} {size:.2f} Tf 0.55 0 0 rg {MARGIN:.2f} 3.2 Td {_pdf_string(text)} Tj ET Q"
    )


def _stamp(pdf: bytes, text: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
    )

    reader = PdfReader(io.BytesIO(pdf))
    if reader.is_encrypted:
        raise ValueError("the document is encrypted")
    writer = PdfWriter(clone_from=reader)

    def stream(data: str) -> object:
        obj = DecodedStreamObject()
        obj.set_data(data.encode("latin-1"))
        return writer._add_object(obj)

    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Courier"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    save = stream("q\n")
    for page in writer.pages:
        box = page.cropbox
        ops = stamp_operators(
            (float(box.left), float(box.bottom), float(box.right), float(box.top)),
            page.rotation,
            text,
        )
        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        fonts = resources["/Font"].get_object()
        assert isinstance(fonts, DictionaryObject)
        fonts[NameObject("/OCCStamp")] = font
        # The page's own content runs inside q ... Q, so nothing it leaves set moves the stamp.
        own: list[object] = []
        if "/Contents" in page:
            raw = page.raw_get("/Contents")
            resolved = raw.get_object()
            if isinstance(resolved, ArrayObject):
                own = list(resolved)
            else:  # one stream, referred to (or, rarely, held directly)
                own = [raw if isinstance(raw, IndirectObject) else writer._add_object(raw)]
        page[NameObject("/Contents")] = ArrayObject([save, *own, stream(f"\nQ\n{ops}\n")])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main(argv: list[str]) -> int:
    text = argv[1]
    if "--limits" in argv:
        at = argv.index("--limits")
        apply_limits(int(argv[at + 1]), int(argv[at + 2]))
    pdf = sys.stdin.buffer.read()
    try:
        stamped = _stamp(pdf, text)
    except MemoryError:
        raise
    except Exception as exc:  # any failure to read or write the file: not stampable
        print(f"cannot stamp: {type(exc).__name__}: {exc}", file=sys.stderr)
        return BAD_PDF_EXIT
    sys.stdout.buffer.write(stamped)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
