"""End to end in a real browser (Chromium): an attorney serves a PDF and gets the receipt; the
office's staff open it and accept it. The app runs as a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.e2e.browser import launch, live, log_in, make_live_app
from tests.helpers import create_attorney, create_staff
from tests.pdfs import pdf_bytes


@pytest.fixture
def live_server(tmp_path: Path, sqlite_template: Path, uswds_dir: Path) -> Iterator[str]:
    application = make_live_app(tmp_path, sqlite_template, ESERVICE_USWDS_DIR=str(uswds_dir))
    with application.app_context():
        create_attorney("lawyer@firm.example")
        create_staff("staff.atl@occ.example", "ATL")
    with live(application) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Any]:
    with launch() as chromium:
        yield chromium


def test_serve_and_accept_in_a_browser_without_javascript(live_server, browser, tmp_path):
    pdf = tmp_path / "Motion to continue.pdf"
    pdf.write_bytes(pdf_bytes(pages=2))
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()

    # The pages work with JavaScript off: plain forms, no script needed.
    attorney = browser.new_context(java_script_enabled=False).new_page()
    log_in(attorney, live_server, "lawyer@firm.example")
    attorney.goto(f"{live_server}/filings/new")
    attorney.select_option("#office", "ATL")
    attorney.fill("#a_number", "A012-345-678")
    attorney.select_option("#document_type", "motion")
    attorney.fill("#title", "Motion to continue")
    attorney.set_input_files("#files", str(pdf))
    attorney.click("button.usa-button[value=serve]")
    heading = " ".join(attorney.locator("h1").inner_text().split())
    assert heading.startswith("Receipt ES-ATL-")
    receipt_number = heading.removeprefix("Receipt ")
    assert digest in (attorney.locator("#documents").text_content() or "")
    assert "Motion to continue.pdf" in attorney.locator("#documents").inner_text()
    # The words as written: our tags are not set in capitals by CSS, assets or not.
    assert attorney.locator(".eservice-status").first.inner_text() == "Served"

    staff = browser.new_context().new_page()
    log_in(staff, live_server, "staff.atl@occ.example")
    staff.goto(f"{live_server}/staff/inbox")
    staff.click(f'a:has-text("{receipt_number}") >> visible=true')
    # Staff read the stamped copy; the original as served is the bytes the receipt proves.
    with staff.expect_download() as download_info:
        staff.click("#documents a:has-text('Download PDF')")
    stamped = Path(download_info.value.path()).read_bytes()
    assert hashlib.sha256(stamped).hexdigest() != digest
    assert "Served on OCC" in PdfReader(io.BytesIO(stamped)).pages[0].extract_text()
    with staff.expect_download() as download_info:
        staff.click("#documents a:has-text('Original as served')")
    download = download_info.value
    assert download.suggested_filename == "Motion to continue.pdf"
    assert hashlib.sha256(Path(download.path()).read_bytes()).hexdigest() == digest
    staff.select_option("#decision", "accept")
    staff.click("main button:has-text('Continue')")
    staff.click("main button:has-text('Yes')")  # the confirmation step
    assert "accepted" in (staff.locator(".usa-alert").first.text_content() or "").lower()

    attorney.goto(f"{live_server}/filings")
    assert "Accepted by OCC" in (attorney.locator("#filings").text_content() or "")


def test_refused_upload_shows_every_problem_in_the_browser(live_server, browser, tmp_path):
    text = tmp_path / "letter.pdf"
    text.write_text("Dear court, this is not a PDF.")
    page = browser.new_page()
    log_in(page, live_server, "lawyer@firm.example")
    page.goto(f"{live_server}/filings/new")
    page.select_option("#office", "ATL")
    page.fill("#a_number", "A099999999")
    page.fill("#title", "Letter")
    page.set_input_files("#files", str(text))
    # The file is sent as soon as it is picked, and refused where it was picked: nothing kept.
    refusal = page.locator("#upload-progress .usa-error-message")
    refusal.wait_for()
    assert "“letter.pdf” is not a PDF" in refusal.inner_text()
    with page.expect_navigation():
        page.click("button.usa-button[value=serve]")
    problems = page.locator("#problems").inner_text()
    assert "You have no E-28 on record for A-Number A099999999" in problems
    assert "Attach at least one PDF document." in problems
