"""The inbox in Chromium: 120 served sets paged 50 at a time both ways, a search by receipt
number, a bad A-Number named next to its field; readable on a 375-px phone, and axe-clean."""

from __future__ import annotations

from pathlib import Path

from app import db
from filings.models import Filing
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    launch,
    live,
    log_in,
    make_live_app,
    page_width,
)
from tests.filings.inbox_data import add_filings, hearing
from tests.helpers import create_attorney, create_staff


def _rows(page) -> list[str]:
    return page.locator("#inbox tbody th a").all_inner_texts()


def _follow(page, selector: str) -> None:
    """Click a link and wait for the page it leads to (rows read before would be the old
    page's, or none while it unloads)."""
    with page.expect_navigation():
        page.click(selector)


def test_staff_page_through_and_search_the_inbox(tmp_path: Path, sqlite_template, uswds_dir):
    app = make_live_app(tmp_path, sqlite_template, ESERVICE_USWDS_DIR=str(uswds_dir))
    with app.app_context():
        create_attorney("lawyer@firm.example")
        create_staff("staff.atl@occ.example", "ATL")
    ids = add_filings(
        app,
        120,
        detained=lambda i: i % 9 == 0,
        next_hearing_on=lambda i: hearing(i % 13) if i % 4 else None,
    )
    with app.app_context():
        receipt = db.session.get(Filing, ids[77]).receipt_number
    with live(app) as base, launch() as chromium:
        page = chromium.new_page(viewport=DESKTOP)
        log_in(page, base, "staff.atl@occ.example")
        page.goto(f"{base}/staff/inbox?view=all")
        first = _rows(page)
        assert len(first) == 50
        assert axe_violations(page) == []
        _follow(page, "#inbox-next")
        second = _rows(page)
        assert len(second) == 50 and not set(first) & set(second)
        _follow(page, "#inbox-next")
        third = _rows(page)
        assert len(third) == 20 and page.locator("#inbox-next").count() == 0
        assert len(set(first + second + third)) == 120
        _follow(page, "#inbox-prev")
        assert _rows(page) == second
        _follow(page, "#inbox-prev")
        assert _rows(page) == first and page.locator("#inbox-prev").count() == 0

        page.click("summary:has-text('Search and sort')")
        page.fill("#receipt", receipt.lower())
        with page.expect_navigation():
            page.press("#receipt", "Enter")
        assert _rows(page) == [receipt]

        page.goto(f"{base}/staff/inbox")
        page.click("summary:has-text('Search and sort')")
        page.fill("#a_number", "12")
        _follow(page, "#inbox-search button[type=submit]")
        assert page.locator("#error-summary").is_visible()
        assert page.get_attribute("#a_number", "aria-invalid") == "true"
        assert "is not an A-Number" in page.inner_text("#a_number-error")
        assert axe_violations(page) == []

        phone = chromium.new_page(viewport=PHONE)
        log_in(phone, base, "staff.atl@occ.example")
        phone.goto(f"{base}/staff/inbox?view=all")
        assert len(_rows(phone)) == 50
        assert page_width(phone) <= PHONE["width"]
        assert axe_violations(phone) == []
