"""The deep check, file by file: every hostile category refused with its own code, more than
one way to hide each; limits hold in the child process; ordinary documents pass with warnings
where they help."""

from __future__ import annotations

import time

import pytest

from filings.deepcheck import Limits, inspect
from filings.sandbox import ChildLimits, deep_check
from tests import pdfs

HOSTILE = {
    "javascript: document names tree": (pdfs.pdf_with_javascript(), "javascript"),
    "javascript: hex-escaped name": (pdfs.hex_escaped_javascript_pdf(), "javascript"),
    "javascript: inside a compressed object stream": (
        pdfs.javascript_in_object_stream_pdf(),
        "javascript",
    ),
    "javascript: page open action": (
        pdfs.page_action_pdf(b"<< /S /JavaScript /JS (app.alert(2)) >>"),
        "javascript",
    ),
    "launch: open action": (
        pdfs.pdf_with_open_action(b"<< /S /Launch /F (cmd.exe) >>"),
        "launch_action",
    ),
    "launch: link annotation": (
        pdfs.annotation_action_pdf(b"<< /S /Launch /F (x.exe) >>"),
        "launch_action",
    ),
    "GoToR: remote document": (
        pdfs.pdf_with_open_action(b"<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>"),
        "launch_action",
    ),
    "GoToE: embedded document": (
        pdfs.annotation_action_pdf(b"<< /S /GoToE /T << /R /C >> >>"),
        "launch_action",
    ),
    "SubmitForm": (
        pdfs.pdf_with_open_action(b"<< /S /SubmitForm /F (https://x.test) >>"),
        "form_action",
    ),
    "ImportData": (pdfs.page_action_pdf(b"<< /S /ImportData /F (data.fdf) >>"), "form_action"),
    "embedded file: attachments tree": (pdfs.pdf_with_attachment(), "embedded_file"),
    "embedded file: annotation": (
        pdfs.raw_pdf(
            pdfs.minimal_pdf_objects(page_extra=b"/Annots [4 0 R]")
            + [b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] >>"]
        ),
        "embedded_file",
    ),
    "rich media annotation": (
        pdfs.raw_pdf(
            pdfs.minimal_pdf_objects(page_extra=b"/Annots [4 0 R]")
            + [b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>"]
        ),
        "rich_media",
    ),
    "sound annotation": (
        pdfs.raw_pdf(
            pdfs.minimal_pdf_objects(page_extra=b"/Annots [4 0 R]")
            + [b"<< /Type /Annot /Subtype /Sound /Rect [0 0 9 9] >>"]
        ),
        "rich_media",
    ),
    "XFA form": (
        pdfs.raw_pdf(pdfs.minimal_pdf_objects(b"/AcroForm << /Fields [] /XFA 4 0 R >>") + [b"[]"]),
        "xfa_form",
    ),
    "encrypted, empty user password": (pdfs.encrypted_pdf(""), "encrypted"),
    "encrypted, with a password": (pdfs.encrypted_pdf("secret"), "encrypted"),
    "decompression bomb: one stream": (pdfs.flate_bomb_pdf(300), "decompression_bomb"),
    "decompression bomb: many streams under a per-stream cap": (
        pdfs.many_streams_bomb_pdf(60, 20),
        "decompression_bomb",
    ),
    "page tree cycle": (pdfs.page_tree_cycle_pdf(), "page_tree_cycle"),
    "cross-reference cycle": (pdfs.xref_loop_pdf(), "xref_cycle"),
    "nesting 100,000 deep": (pdfs.deeply_nested_pdf(100_000), "damaged"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_refused_with_its_code(name, tmp_path):
    content, code = HOSTILE[name]
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    report = inspect(str(path), Limits(), len(content))
    assert code in [f["code"] for f in report.findings], report


def test_nesting_over_the_limit_that_the_parser_accepts(tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdfs.deeply_nested_pdf(80))
    report = inspect(str(path), Limits(max_depth=64))
    assert [f["code"] for f in report.findings] == ["too_complex"]
    assert "nested more than 64 levels" in report.findings[0]["params"]["detail"]


def test_ordinary_documents_pass(tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdfs.pdf_bytes(pages=30))
    report = inspect(str(path), Limits())
    assert report.findings == [] and report.warnings == [] and report.pages == 30


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (pdfs.scanned_pdf(3), "image_only_pages"),
        (pdfs.mixed_sizes_pdf(), "mixed_page_sizes"),
        (pdfs.fillable_form_pdf(), "fillable_form"),
    ],
)
def test_warnings_do_not_refuse(tmp_path, content, code):
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    report = inspect(str(path), Limits(), len(content))
    assert report.findings == []
    assert [w["code"] for w in report.warnings] == [code]


def test_large_document_warning(tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdfs.pdf_bytes())
    report = inspect(str(path), Limits(large_document_bytes=100), size=200)
    assert [w["code"] for w in report.warnings] == ["large_document"]


def test_the_child_process_answers_like_the_check(tmp_path):
    path = tmp_path / "doc.pdf"
    content = pdfs.pdf_with_javascript()
    path.write_bytes(content)
    outcome = deep_check(str(path), len(content))
    assert [f["code"] for f in outcome.findings] == ["javascript"] and outcome.pages == 1


def test_a_check_over_its_cpu_time_is_stopped_and_refused(tmp_path):
    path = tmp_path / "doc.pdf"
    content = pdfs.slow_to_check_pdf()  # ~4 s of walking
    path.write_bytes(content)
    start = time.monotonic()
    outcome = deep_check(str(path), len(content), ChildLimits(cpu_seconds=1, wall_seconds=30))
    assert time.monotonic() - start < 10
    assert [f["code"] for f in outcome.findings] == ["too_complex"]
    assert "CPU" in outcome.findings[0]["params"]["detail"]


def test_a_check_over_its_wall_time_is_stopped_and_refused(tmp_path):
    path = tmp_path / "doc.pdf"
    content = pdfs.slow_to_check_pdf()
    path.write_bytes(content)
    outcome = deep_check(str(path), len(content), ChildLimits(wall_seconds=1))
    assert "longer than 1 seconds" in outcome.findings[0]["params"]["detail"]


def test_a_check_over_its_memory_is_stopped_and_refused(tmp_path):
    path = tmp_path / "doc.pdf"
    # pypdf unpacks an object stream whole: 70 MB, under its own per-stream cap
    content = pdfs.object_stream_pdf(b"<< /S /GoTo /D [3 0 R /Fit] >>", padding_mb=70)
    path.write_bytes(content)
    outcome = deep_check(
        str(path), len(content), ChildLimits(address_space_bytes=150 * 1024 * 1024)
    )
    assert [f["code"] for f in outcome.findings] == ["too_complex"], outcome
    assert "memory" in outcome.findings[0]["params"]["detail"]
