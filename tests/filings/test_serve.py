"""Serving a document set through the web form: receipt, check job, notice of service."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from filings.draft_models import DraftFile
from filings.models import Document, Filing, FilingStatus
from registration.models import RegistrationState
from tests.helpers import login, row_count, serve_form, stored_files
from tests.pdfs import pdf_bytes

HEARING = (date.today() + timedelta(days=60)).isoformat()


def _filing(app) -> Filing:
    with app.app_context():
        filing = db.session.scalar(select(Filing))
        assert filing is not None
        _ = filing.documents, filing.office
        return filing


def test_serve_gives_a_receipt_that_proves_the_bytes(app, attorney_client, outbox):
    brief, exhibit = pdf_bytes(pages=3), pdf_bytes(pages=1)
    response = serve_form(
        attorney_client,
        [(brief, "Brief (final).pdf"), (exhibit, "Exhibit A.pdf")],
        next_hearing_on=HEARING,
        detained="y",
    )
    assert response.status_code == 303
    receipt = attorney_client.get(response.headers["Location"]).get_data(as_text=True)
    filing = _filing(app)
    assert filing.status == FilingStatus.SERVED  # inline check job ran after the commit
    assert filing.receipt_number in receipt
    assert re.fullmatch(r"ES-ATL-\d{8}-[A-Z2-9]{4}-[A-Z2-9]{4}", filing.receipt_number)
    assert filing.a_number == "012345678" and filing.detained and filing.office.code == "ATL"
    assert str(filing.next_hearing_on) == HEARING
    for doc, content, name, pages in [
        (filing.documents[0], brief, "Brief (final).pdf", 3),
        (filing.documents[1], exhibit, "Exhibit A.pdf", 1),
    ]:
        assert doc.sha256 == hashlib.sha256(content).hexdigest()
        assert doc.size_bytes == len(content) and doc.pages == pages and doc.filename == name
        assert doc.sha256 in receipt and name in receipt
    # The receipt shows the office's local time (Atlanta: EST/EDT) first, then UTC.
    assert re.search(r"\d{1,2}:\d\d:\d\d [AP]M E[SD]T \(\d\d:\d\d:\d\d UTC", receipt)

    # Stored under generated names, never the attorney's; the bytes are exactly those sent.
    keys = stored_files(app)
    assert len(keys) == 2 and not any("Brief" in k or ".pdf" in k for k in keys)
    storage = app.extensions["eservice.storage"]
    with storage.open(filing.documents[0].storage_key) as stream:
        assert stream.read() == brief

    [notice] = outbox()
    assert notice["Subject"].startswith(f"Notice of service {filing.receipt_number}")
    body = notice.get_body(preferencelist=("plain",)).get_content()
    # The Notice of Service PDF rides along (tests/filings/test_notice_mail.py reads it).
    assert [a.get_content_type() for a in notice.iter_attachments()] == ["application/pdf"]
    assert filing.documents[0].sha256 in body and "A012-345-678" in body
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert "filing.received" in actions and "filing.checks_passed" in actions


def test_resubmitting_the_same_form_returns_the_first_receipt(app, attorney_client):
    import io

    page = attorney_client.get("/filings/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    submission = re.search(r'name="submission_id" type="hidden" value="([^"]+)"', page).group(1)
    content = pdf_bytes()
    locations = []
    for _ in range(2):  # a double-click: the same form page sent twice
        data = {
            "csrf_token": token,
            "submission_id": submission,
            "office": "ATL",
            "a_number": "A012345678",
            "document_type": "motion",
            "title": "Motion",
            "files": [(io.BytesIO(content), "m.pdf")],
        }
        response = attorney_client.post(
            "/filings/new", data=data, content_type="multipart/form-data"
        )
        assert response.status_code == 303
        locations.append(response.headers["Location"])
    assert locations[0] == locations[1]
    assert row_count(app, Filing) == 1 and len(stored_files(app)) == 1


def test_attorney_sees_all_their_filings_and_states(app, attorney_client):
    serve_form(attorney_client, [(pdf_bytes(), "one.pdf")], title="First set")
    serve_form(attorney_client, [(pdf_bytes(), "two.pdf")], title="Second set")
    page = attorney_client.get("/filings").get_data(as_text=True)
    assert page.index("Second set") < page.index("First set")  # newest first
    assert page.count('eservice-status--served"') == 2


def test_no_e28_on_record_needs_an_e28_in_the_set(app, attorney_client):
    other = "A099999999"
    refused = serve_form(attorney_client, [(pdf_bytes(), "motion.pdf")], a_number=other)
    assert refused.status_code == 422
    assert "You have no E-28 on record for A-Number A099999999" in refused.get_data(as_text=True)
    assert row_count(app, Filing) == 0 and row_count(app, Document) == 0  # nothing served
    # the file is kept only for the corrected set, as a draft, never as a filing's document
    with app.app_context():
        kept = set(db.session.scalars(select(DraftFile.storage_key)))
    assert set(stored_files(app)) == kept and len(kept) == 1

    with_e28 = serve_form(
        attorney_client,
        [(pdf_bytes(), "e28.pdf"), (pdf_bytes(), "m.pdf")],
        a_number=other,
        includes_e28="y",
    )
    assert with_e28.status_code == 303
    e28_typed = serve_form(
        attorney_client, [(pdf_bytes(), "e28.pdf")], a_number="A088888888", document_type="e28"
    )
    assert e28_typed.status_code == 303
    with app.app_context():
        marks = dict(db.session.execute(select(Filing.a_number, Filing.self_declared_e28)).all())
    assert marks == {"099999999": True, "088888888": True}


def test_a_self_declared_e28_lets_one_set_through_and_grants_nothing_more(
    app, attorney_client, make_attorney, make_staff
):
    """The E-28 in a set is the attorney's word: it serves that set, and the right to serve
    again on the A-Number waits for an E-28 record naming the attorney."""
    victim_client = "A055555555"
    make_attorney("victim@law.example", eoir_id="VC123456", a_numbers=("055555555",))
    declared = serve_form(
        attorney_client,
        [(pdf_bytes(), "e28.pdf")],
        a_number=victim_client,
        document_type="e28",
        title="Notice of appearance",
    )
    assert declared.status_code == 303
    again = serve_form(
        attorney_client, [(pdf_bytes(), "brief.pdf")], a_number=victim_client, title="Brief"
    )
    assert again.status_code == 422
    assert "no E-28 on record for A-Number A055555555" in again.get_data(as_text=True)
    with_type_brief = serve_form(
        attorney_client,
        [(pdf_bytes(), "brief.pdf")],
        a_number=victim_client,
        document_type="brief",
    )
    assert with_type_brief.status_code == 422
    assert row_count(app, Filing) == 1

    # Staff see that the set was served on a self-declared E-28, in the inbox and on its page.
    make_staff()
    staff = app.test_client()
    login(staff, "staff.atl@occ.example")
    inbox = staff.get("/staff/inbox").get_data(as_text=True)
    assert inbox.count("self-declared E-28") == 1
    filing = _filing(app)
    page = staff.get(f"/staff/filings/{filing.id}").get_data(as_text=True)
    assert 'id="self-declared-e28"' in page
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "filing.received"))
        assert event.detail["self_declared_e28"] is True

    # An ordinary set on an A-Number with a record carries no mark.
    ordinary = serve_form(attorney_client, [(pdf_bytes(), "m.pdf")], title="Ordinary")
    assert ordinary.status_code == 303
    inbox = staff.get("/staff/inbox").get_data(as_text=True)
    assert inbox.count("self-declared E-28") == 1

    # Once staff record the E-28, the attorney may serve on the A-Number.
    from tests.helpers import EOIR_ID, post_form

    post_form(
        staff,
        "/staff/appearances/new",
        {
            "a_number": victim_client,
            "attorney_name": "Lee Lawyer",
            "bar_state": "",
            "bar_number": "",
            "eoir_id": EOIR_ID,
            "filed_on": date.today().isoformat(),
        },
    )
    now_allowed = serve_form(
        attorney_client, [(pdf_bytes(), "brief.pdf")], a_number=victim_client, title="Brief"
    )
    assert now_allowed.status_code == 303
    with app.app_context():
        latest = db.session.scalar(select(Filing).where(Filing.title == "Brief"))
        assert latest.self_declared_e28 is False


def test_unverified_attorneys_cannot_serve(app, client, make_attorney):
    for n, state in enumerate(
        [RegistrationState.PENDING_REVIEW, RegistrationState.REJECTED, RegistrationState.SUSPENDED]
    ):
        make_attorney(f"a{n}@law.example", state=state, eoir_id=f"XY00000{n}")
        c = app.test_client()
        login(c, f"a{n}@law.example")
        assert c.get("/filings/new").status_code == 404
        assert c.post("/filings/new").status_code in (400, 404)
    assert row_count(app, Document) == 0


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/filings/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
