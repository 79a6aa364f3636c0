"""The receipt of a served set names the filer and their bar admission or EOIR ID, gives times
in the office's zone first, each document's type in words and size in MB, and stacks on a
phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import update

from app import db
from filings.models import Document, Filing
from tests.helpers import login, serve_form
from tests.pdfs import pdf_bytes


def _serve(client, files, **fields) -> str:
    response = serve_form(client, files, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_receipt_names_the_filer_office_times_types_and_sizes(app, make_attorney):
    make_attorney(
        "bar@firm.example",
        eoir_id=None,
        bar_state="GA",
        bar_number="448812",
        full_name="Ana Bar",
    )
    client = app.test_client()
    login(client, "bar@firm.example")
    filing_id = _serve(
        client,
        [(pdf_bytes(pages=2), "Brief.pdf"), (pdf_bytes(), "Exhibit A.pdf")],
        document_type="brief",
        title="Brief on appeal",
    )
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        brief, exhibit = filing.documents
        db.session.execute(
            update(Filing)
            .where(Filing.id == filing_id)
            .values(received_at=datetime(2026, 1, 15, 19, 5, 9, tzinfo=UTC))
        )
        # sizes as the page reads them (the bytes themselves are small test PDFs)
        db.session.execute(
            update(Document).where(Document.id == brief.id).values(size_bytes=1572864)
        )
        db.session.execute(
            update(Document).where(Document.id == exhibit.id).values(document_type="evidence")
        )
        db.session.commit()
        sha = brief.sha256

    page = client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert '<h1 id="outcome-heading">Receipt <span' in page
    assert "Proof of service" in page
    filer = page[page.index('id="filer"') : page.index("</dd>", page.index('id="filer"'))]
    assert "Ana Bar, Firm" in filer and "GA bar no. 448812" in filer and "EOIR" not in filer
    # Atlanta in January: EST first, then UTC
    assert "January 15, 2026, 2:05:09 PM EST (19:05:09 UTC)" in page
    assert "OCC Atlanta (ATL)" in page and "A012-345-678" in page
    assert "<dd>Brief</dd>" in page  # the set's type in words, not "brief"
    assert (
        'class="usa-table usa-table--stacked usa-table--borderless width-full" id="documents"'
        in page
    )
    rows = page[page.index('id="documents"') : page.index("</table>")]
    assert '<td data-label="Type">Brief</td>' in rows  # the set's type, for a document without
    assert '<td data-label="Type">Evidence / exhibits</td>' in rows  # its own
    assert '<td data-label="Size">1.5 MB</td>' in rows
    assert re.search(r'<td data-label="Size">\d+ KB</td>', rows)
    assert all('data-label="' in cell for cell in re.findall(r"<td[^>]*>", rows))
    # the hash short, the whole one a click away (and on paper)
    assert f"{sha[:12]}…" in rows and rows.count(sha) >= 2
    assert "receipt.css" in page


def test_receipt_shows_the_eoir_id_when_there_is_no_bar_admission(app, attorney_client):
    filing_id = _serve(attorney_client, [(pdf_bytes(), "m.pdf")])
    page = attorney_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert "EOIR ID LW123456" in page and "bar no." not in page
    assert "Lee Lawyer" in page


def test_a_set_being_checked_shows_its_outcome_when_ready_and_is_not_a_receipt(
    app, attorney_client
):
    filing_id = _serve(attorney_client, [(pdf_bytes(), "m.pdf")])
    with app.app_context():
        db.session.execute(update(Filing).where(Filing.id == filing_id).values(status="received"))
        db.session.commit()
    page = attorney_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert '<h1 id="outcome-heading">Received: checking</h1>' in page
    # shows the outcome when ready (a script that asks in the background, not a timed refresh)
    assert 'data-reload-when-done="3"' in page and "reload-when-done.js" in page
    assert "http-equiv" not in page and "Proof of service" not in page
    with app.app_context():
        db.session.execute(update(Filing).where(Filing.id == filing_id).values(status="held"))
        db.session.commit()
    held = attorney_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert "Held for review: not served yet" in held and "data-reload-when-done" not in held
