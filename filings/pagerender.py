"""Render one page of a PDF as a PNG, in a child process under hard limits, so that staff can
read a document in the browser without the PDF itself ever reaching it.

The child is a fresh interpreter with no settings and no secrets (filings/sandbox.py's
environment); it sets its own address-space and CPU limits before it reads a byte, reads the
PDF on stdin and writes the PNG on stdout. A file that makes PDFium hang, spin or balloon costs
the child, which the parent kills at the wall-clock limit.

``python -m filings.pagerender PAGE WIDTH --limits ADDRESS_SPACE CPU < file.pdf > page.png``
"""

from __future__ import annotations

import io
import signal
import subprocess
import sys
from dataclasses import dataclass

from filings.sandbox import MB, apply_limits, child_environment

MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 200, 2000, 1000
# A very tall page is scaled down to this height rather than drawn as a huge bitmap.
MAX_HEIGHT = 4000

BAD_PAGE_EXIT = 3  # the page does not exist or has no size


@dataclass(frozen=True)
class RenderLimits:
    address_space_bytes: int = 1024 * MB
    cpu_seconds: int = 20
    wall_seconds: int = 30


class RenderFailed(RuntimeError):
    """The page could not be drawn within the limits; the message says why."""


def render_page(pdf: bytes, page: int, width: int, limits: RenderLimits | None = None) -> bytes:
    """The PNG of page ``page`` (1-based) of ``pdf``, ``width`` pixels wide."""
    limits = limits or RenderLimits()
    command = [
        sys.executable,
        "-m",
        "filings.pagerender",
        str(page),
        str(width),
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
        raise RenderFailed(f"drawing the page took longer than {limits.wall_seconds} s") from None
    if proc.returncode == 0 and proc.stdout.startswith(b"\x89PNG\r\n\x1a\n"):
        return proc.stdout
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise RenderFailed(f"drawing the page used more than {limits.cpu_seconds} s of CPU")
    # PDFium aborts when an allocation fails under the address-space limit.
    if b"MemoryError" in proc.stderr or proc.returncode in (-signal.SIGABRT, -signal.SIGSEGV):
        raise RenderFailed("drawing the page needed more memory than it may have")
    if proc.returncode == BAD_PAGE_EXIT:
        raise RenderFailed("the document has no such page")
    raise RenderFailed("the page could not be drawn")


def _draw(pdf: bytes, page_number: int, width: int) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        if not 1 <= page_number <= len(document):
            raise LookupError(page_number)
        page = document[page_number - 1]
        page_width, page_height = page.get_size()
        if page_width <= 0 or page_height <= 0:
            raise LookupError(page_number)
        scale = min(width / page_width, MAX_HEIGHT / page_height)
        image = page.render(scale=scale, may_draw_forms=True).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        document.close()


def main(argv: list[str]) -> int:
    page_number, width = int(argv[1]), int(argv[2])
    if "--limits" in argv:
        at = argv.index("--limits")
        apply_limits(int(argv[at + 1]), int(argv[at + 2]))
    pdf = sys.stdin.buffer.read()
    try:
        png = _draw(pdf, page_number, max(MIN_WIDTH, min(width, MAX_WIDTH)))
    except LookupError:
        return BAD_PAGE_EXIT
    sys.stdout.buffer.write(png)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
