"""The /verify page in Chromium: with JavaScript the document is hashed in the browser and no
byte of it is sent (the request is read on its way out); without JavaScript it is uploaded.
Either way the answer is the same; the page passes axe and fits a phone."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    launch,
    live,
    make_live_app,
    page_width,
)
from tests.filings.test_verify_steps import SERVED_SENTENCE, serve_set, with_verify_page
from tests.helpers import create_attorney, login
from tests.pdfs import pdf_bytes


def _watch_posts(page: Any, base: str) -> list[bytes]:
    """The bodies of the POSTs the page sends to /verify, as they leave the browser."""
    bodies: list[bytes] = []

    def note(route: Any) -> None:
        if route.request.method == "POST":
            bodies.append(route.request.post_data_buffer or b"")
        route.continue_()

    page.route(f"{base}/verify", note)
    return bodies


def _check(page: Any, base: str, receipt: str, content: bytes) -> str:
    page.goto(f"{base}/verify")
    page.fill("#receipt", receipt)
    page.set_input_files(
        "#file", files=[{"name": "copy.pdf", "mimeType": "application/pdf", "buffer": content}]
    )
    with page.expect_navigation():
        page.click("#verify-submit")
    return str(page.inner_text("#verify-sentence"))


def test_the_browser_sends_the_hash_and_never_the_file(
    tmp_path: Path, sqlite_template: Path, uswds_dir: Path
) -> None:
    application = with_verify_page(
        make_live_app(tmp_path, sqlite_template, ESERVICE_USWDS_DIR=str(uswds_dir))
    )
    with application.app_context():
        create_attorney()
    attorney = application.test_client()
    login(attorney, "lawyer@firm.example")
    content = pdf_bytes(pages=2)
    served = serve_set(application, attorney, content)
    other = pdf_bytes(pages=5)

    with launch() as chromium, live(application) as base:
        page = chromium.new_page(viewport=PHONE)
        bodies = _watch_posts(page, base)
        sentence = _check(page, base, served.receipt_number.lower(), content)
        assert sentence == SERVED_SENTENCE.format(number=served.receipt_number)
        assert axe_violations(page) == [] and page_width(page) <= PHONE["width"]
        assert len(bodies) == 1
        assert b"%PDF" not in bodies[0] and content[-200:] not in bodies[0]
        assert f"file_sha256={served.sha256}".encode() in bodies[0]
        assert b'name="file"' not in bodies[0] and b"copy.pdf" not in bodies[0]

        sentence = _check(page, base, served.receipt_number, other)
        assert sentence == f"These bytes were not served under receipt {served.receipt_number}."
        assert b"%PDF" not in bodies[1]
        assert hashlib.sha256(other).hexdigest().encode() in bodies[1]
        assert axe_violations(page) == [] and page_width(page) <= PHONE["width"]

        # a form with problems passes axe too, and fits
        page.goto(f"{base}/verify")
        with page.expect_navigation():
            page.click("#verify-submit")
        assert page.locator("#error-summary").count() == 1
        assert axe_violations(page) == [] and page_width(page) <= PHONE["width"]
        page.close()

        # without JavaScript the file itself is sent, hashed by the server, with the same answer
        context = chromium.new_context(java_script_enabled=False, viewport=DESKTOP)
        plain = context.new_page()
        uploads = _watch_posts(plain, base)
        sentence = _check(plain, base, served.receipt_number, content)
        assert sentence == SERVED_SENTENCE.format(number=served.receipt_number)
        assert len(uploads) == 1 and content in uploads[0]
        context.close()
