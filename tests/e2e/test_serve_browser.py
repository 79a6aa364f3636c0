"""The serve page in Chromium: a set refused at the door is corrected without picking the good
files again; files are sent one by one as they are picked, and ordered and removed in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import axe_violations, launch, live, log_in, make_live_app, page_width
from tests.helpers import create_attorney
from tests.pdfs import pdf_bytes


@pytest.fixture
def site(tmp_path: Path, sqlite_template: Path, uswds_dir: Path) -> Iterator[str]:
    application = make_live_app(tmp_path, sqlite_template, ESERVICE_USWDS_DIR=str(uswds_dir))
    with application.app_context():
        create_attorney("lawyer@firm.example")
    with live(application) as base:
        yield base


def _file(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def _fill(page: Any) -> None:
    page.select_option("#office", "ATL")
    page.fill("#a_number", "A012-345-678")
    page.select_option("#document_type", "motion")
    page.fill("#title", "Motion to continue")


@pytest.mark.parametrize("javascript", [True], ids=["js"])
def test_a_refused_set_is_corrected_without_picking_the_good_files_again(
    site: str, tmp_path: Path, javascript: bool
) -> None:
    brief = _file(tmp_path, "Brief.pdf", pdf_bytes(2, title="brief"))
    letter = _file(tmp_path, "Letter.pdf", b"Dear court,\nplease find attached.\n")
    fixed = _file(tmp_path, "Fixed letter.pdf", pdf_bytes(1, title="letter"))
    with launch() as chromium:
        page = chromium.new_page(
            java_script_enabled=javascript, viewport={"width": 375, "height": 740}
        )
        log_in(page, site, "lawyer@firm.example")
        page.goto(f"{site}/filings/new")
        _fill(page)
        page.set_input_files("#files", [brief, letter])
        if javascript:  # each file is sent as it is picked; the bad one is named at once
            page.wait_for_selector("text=Kept: Brief.pdf")
            page.wait_for_selector("text=“Letter.pdf” is not a PDF")
        else:
            page.click("main button.usa-button:has-text('Serve')")
            page.wait_for_selector("#error-summary")
            assert "“Letter.pdf” is not a PDF" in page.inner_text("#error-summary")
            assert "Kept: Brief.pdf" in page.inner_text("#kept-files")
        assert page_width(page) <= 375
        assert axe_violations(page) == []
        # Only the wrong file is attached again; the kept one is served with it.
        page.set_input_files("#files", [fixed])
        if javascript:
            page.wait_for_selector("text=Kept: Fixed letter.pdf")
        page.click("main button.usa-button:has-text('Serve')")
        page.wait_for_url("**/filings/*")
        receipt = page.inner_text("main")
        assert "Brief.pdf" in receipt and "Fixed letter.pdf" in receipt
        assert "Letter.pdf" not in receipt.replace("Fixed letter.pdf", "")
