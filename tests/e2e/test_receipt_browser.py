"""A filing's page in Chromium: while the set is being checked it shows the outcome once the
checks finish, with no timed refresh; a refused set's page passes axe and fits a phone."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from app import db
from filings.models import Filing, FilingStatus
from tests.e2e.browser import PHONE, axe_violations, launch, live, log_in, make_live_app, page_width
from tests.helpers import create_attorney, login, serve_form
from tests.pdfs import pdf_bytes, pdf_with_javascript


def test_page_of_a_set_being_checked_shows_the_outcome_when_ready(
    tmp_path: Path, sqlite_template: Path, uswds_dir: Path
) -> None:
    application = make_live_app(tmp_path, sqlite_template, ESERVICE_USWDS_DIR=str(uswds_dir))
    with application.app_context():
        create_attorney()
    client = application.test_client()
    login(client, "lawyer@firm.example")
    ok_id = serve_form(client, [(pdf_bytes(), "m.pdf")]).headers["Location"].rsplit("/", 1)[-1]
    bad_id = serve_form(client, [(pdf_with_javascript(), "s.pdf")]).headers["Location"]
    bad_id = bad_id.rsplit("/", 1)[-1]
    with application.app_context():  # as if its check had not run yet
        db.session.execute(
            update(Filing).where(Filing.id == ok_id).values(status=FilingStatus.RECEIVED)
        )
        db.session.commit()

    with live(application) as base, launch() as chromium:
        page = chromium.new_page(viewport=PHONE)
        log_in(page, base, "lawyer@firm.example")
        page.goto(f"{base}/filings/{ok_id}")
        assert page.inner_text("h1") == "Received: checking"
        with application.app_context():
            db.session.execute(
                update(Filing).where(Filing.id == ok_id).values(status=FilingStatus.SERVED)
            )
            db.session.commit()
        page.locator("h1", has_text="Receipt").wait_for(timeout=15000)  # reloaded once, by itself
        assert axe_violations(page) == [] and page_width(page) <= PHONE["width"]

        page.goto(f"{base}/filings/{bad_id}")
        assert page.inner_text("h1") == "Not served: refused by the checks"
        assert axe_violations(page) == [] and page_width(page) <= PHONE["width"]
        page.click("#serve-corrected")
        assert page.url.endswith(f"/filings/new?correct={bad_id}")
