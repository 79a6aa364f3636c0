"""The documents built in code for what the real files miss, and where each is written."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from tests.corpus import content, scans, structure
from tests.corpus.fetch import cache_dir
from tests.corpus.model import CorpusFile

BUILDERS: dict[str, Callable[[], bytes]] = {
    "scan-ccitt-g4": scans.ccitt_g4,
    "scan-jbig2": scans.jbig2,
    "scan-jpeg": scans.jpeg,
    "scan-jpeg2000": scans.jpeg2000,
    "incremental-1": partial(structure.incremental_by_hand, 1),
    "incremental-3": partial(structure.incremental_by_hand, 3),
    "hybrid-xref": structure.hybrid_reference,
    "linearized-objstm": structure.linearized_object_streams,
    "pdf-2.0": structure.pdf_2_0,
    "padding-nul": partial(structure.padded, bytes(512)),
    "padding-whitespace": partial(structure.padded, b"\r\n \n\t\n  \r\n"),
    "ghostscript-ps": partial(structure.ghostscript, False),
    "ghostscript-redistill": partial(structure.ghostscript, True),
    "tagged-deep": content.tagged,
    "outline-1000": content.long_outline,
    "nested-70": partial(content.nested_private_data, 70),
    "nested-100": partial(content.nested_private_data, 100),
    "blend-screen": content.blend_modes,
    "links-uri": content.links,
    "acroform": content.fillable_form,
    "text-cjk": content.cjk_text,
    "text-arabic": content.arabic_text,
}


def _b(name: str, producer: str, features: str) -> CorpusFile:
    return CorpusFile(f"built/{name}", producer, tuple(features.split()), builder=name)


BUILT: tuple[CorpusFile, ...] = (
    _b("scan-ccitt-g4", "img2pdf", "ccitt image-only scanned"),
    _b("scan-jbig2", "pikepdf", "jbig2 image-only scanned"),
    _b("scan-jpeg", "img2pdf", "jpeg image-only scanned"),
    _b("scan-jpeg2000", "img2pdf", "jpeg2000 image-only scanned"),
    _b("incremental-1", "fpdf2", "incremental"),
    _b("incremental-3", "fpdf2", "incremental"),
    _b("hybrid-xref", "hand-written", "hybrid-xref objstm xref-stream"),
    _b("linearized-objstm", "qpdf", "linearized objstm xref-stream"),
    _b("pdf-2.0", "qpdf", "pdf-2.0 objstm xref-stream"),
    _b("padding-nul", "fpdf2", "padding"),
    _b("padding-whitespace", "fpdf2", "padding"),
    _b("ghostscript-ps", "ghostscript", "postscript"),
    _b("ghostscript-redistill", "ghostscript", "redistilled"),
    _b("tagged-deep", "pikepdf", "tagged"),
    _b("outline-1000", "pikepdf", "outline"),
    _b("nested-70", "pikepdf", "nesting"),
    _b("nested-100", "pikepdf", "nesting"),
    _b("blend-screen", "pikepdf", "blend-mode"),
    _b("links-uri", "pikepdf", "links"),
    _b("acroform", "pikepdf", "form"),
    _b("text-cjk", "fpdf2", "cjk embedded-font"),
    _b("text-arabic", "fpdf2", "arabic embedded-font"),
)


def built_file(entry: CorpusFile) -> Path:
    """Build the document (each run: builders are quick and their inputs are pinned)."""
    target = cache_dir() / "built" / f"{entry.builder}.pdf"
    target.parent.mkdir(exist_ok=True)
    partial_path = target.with_suffix(f".{os.getpid()}.part")
    partial_path.write_bytes(BUILDERS[entry.builder]())
    partial_path.replace(target)
    return target
