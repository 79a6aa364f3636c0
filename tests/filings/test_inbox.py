"""Staff work their office's inbox: open, download, accept or reject; nobody sees what is not
theirs (404, not a leak)."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from filings.models import Filing, FilingStatus
from tests.filings.decide_steps import choose, decide, move_clock
from tests.helpers import login, post_form, serve_form
from tests.pdfs import pdf_bytes


def _serve(client, content=None, **fields) -> str:
    response = serve_form(client, [(content or pdf_bytes(), "Motión.pdf")], **fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_inbox_lists_the_office_sets_with_filters(app, attorney_client, staff_client):
    first = _serve(attorney_client, title="Older motion")
    second = _serve(attorney_client, title="Newer motion", a_number="87654321", includes_e28="y")
    page = staff_client.get("/staff/inbox?sort=newest").get_data(as_text=True)
    assert page.index("Newer motion") < page.index("Older motion")
    filtered = staff_client.get("/staff/inbox?a_number=A-087-654-321").get_data(as_text=True)
    assert "Newer motion" in filtered and "Older motion" not in filtered
    bad = staff_client.get("/staff/inbox?a_number=12").get_data(as_text=True)
    assert "is not an A-Number" in bad
    with app.app_context():
        db.session.get(Filing, first).status = FilingStatus.ACCEPTED
        db.session.commit()
    accepted = staff_client.get("/staff/inbox?state=accepted").get_data(as_text=True)
    assert "Older motion" in accepted and "Newer motion" not in accepted
    assert second


def test_staff_of_another_office_get_404(app, attorney_client, make_staff):
    filing_id = _serve(attorney_client)
    make_staff("staff.nyc@occ.example", office="NYC")
    nyc = app.test_client()
    login(nyc, "staff.nyc@occ.example")
    assert "Motion to continue" not in nyc.get("/staff/inbox").get_data(as_text=True)
    assert nyc.get(f"/staff/filings/{filing_id}").status_code == 404
    with app.app_context():
        doc_id = db.session.get(Filing, filing_id).documents[0].id
    assert nyc.get(f"/staff/filings/{filing_id}/documents/{doc_id}").status_code == 404
    response = post_form(
        nyc,
        "/staff/inbox",
        {"decision": "accept", "reason": ""},
        action=f"/staff/filings/{filing_id}",
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Filing, filing_id).status == FilingStatus.SERVED


def test_download_is_an_audited_attachment_of_the_exact_bytes(app, attorney_client, staff_client):
    content = pdf_bytes(pages=2)
    filing_id = _serve(attorney_client, content)
    page = staff_client.get(f"/staff/filings/{filing_id}").get_data(as_text=True)
    # The original as served (staff read the stamped copy by default).
    link = re.search(r'href="(/staff/filings/[^"]+/documents/[^"]+\?copy=original)"', page).group(1)
    response = staff_client.get(link)
    body = response.data
    response.close()  # as a WSGI server does: closes the stored file
    assert response.status_code == 200 and body == content
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert (
        disposition.startswith("attachment;") and "filename*=UTF-8''Moti%C3%B3n.pdf" in disposition
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "document.download")
        ).all()
        assert event.actor == "staff.atl@occ.example" and event.detail["filing"] == filing_id


def test_every_download_is_saved_as_pdf_whatever_the_uploaded_name(
    app, attorney_client, staff_client
):
    response = serve_form(attorney_client, [(pdf_bytes(), "Exhibit A.html")])
    filing_id = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        doc = db.session.get(Filing, filing_id).documents[0]
        assert doc.filename == "Exhibit A.html"  # shown as uploaded
    for client, prefix in ((staff_client, "/staff/filings"), (attorney_client, "/filings")):
        download = client.get(f"{prefix}/{filing_id}/documents/{doc.id}")
        download.close()
        disposition = download.headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert 'filename="Exhibit A.html.pdf"' in disposition, disposition
        assert download.mimetype == "application/pdf"


def _notices_after_the_undo_window(app, monkeypatch) -> None:
    from filings.decision_notices import send_due_notices

    move_clock(monkeypatch, 6)
    with app.app_context():
        send_due_notices()


def test_reject_needs_a_reason_and_the_attorney_is_told(
    app, attorney_client, staff_client, outbox, monkeypatch
):
    filing_id = _serve(attorney_client)
    no_reason = choose(staff_client, filing_id, "reject")
    assert no_reason.status_code == 422 and "Give the reason" in no_reason.get_data(as_text=True)
    decided = decide(staff_client, filing_id, "reject", "Exhibit B is missing pages 4-6.")
    assert decided.status_code == 303
    again = choose(staff_client, filing_id, "accept")
    assert again.status_code == 422  # already decided; the form is gone, nothing changes
    receipt = attorney_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert "Rejected by OCC" in receipt and "Exhibit B is missing pages 4-6." in receipt
    assert not [m for m in outbox() if m["Subject"].startswith("Rejected by OCC")]  # undo window
    _notices_after_the_undo_window(app, monkeypatch)
    mail = outbox()[-1]
    assert mail["Subject"].startswith("Rejected by OCC")
    assert "Exhibit B is missing pages 4-6." in mail.get_content()
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing.status == FilingStatus.REJECTED and filing.decided_by_id is not None


def test_accept_tells_the_attorney(app, attorney_client, staff_client, outbox, monkeypatch):
    filing_id = _serve(attorney_client)
    assert decide(staff_client, filing_id, "accept").status_code == 303
    _notices_after_the_undo_window(app, monkeypatch)
    assert outbox()[-1]["Subject"].startswith("Accepted by OCC")
    assert 'eservice-status--accepted"' in attorney_client.get("/filings").get_data(as_text=True)


def test_attorneys_see_only_their_own_filings(app, attorney_client, make_attorney):
    filing_id = _serve(attorney_client)
    make_attorney("other@law.example", eoir_id="OT123456", a_numbers=("099999999",))
    other = app.test_client()
    login(other, "other@law.example")
    assert other.get(f"/filings/{filing_id}").status_code == 404
    with app.app_context():
        doc_id = db.session.get(Filing, filing_id).documents[0].id
    assert other.get(f"/filings/{filing_id}/documents/{doc_id}").status_code == 404
    assert "Motion to continue" not in other.get("/filings").get_data(as_text=True)
    # and the owner can download their own copy
    own = attorney_client.get(f"/filings/{filing_id}/documents/{doc_id}")
    own.close()
    assert own.status_code == 200


def test_rejected_by_checks_never_reaches_the_inbox(app, attorney_client, staff_client):
    from tests.pdfs import pdf_with_javascript

    filing_id = _serve(attorney_client, pdf_with_javascript())
    assert staff_client.get(f"/staff/filings/{filing_id}").status_code == 404
    receipt = attorney_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert "service was not successful" in receipt and 'data-code="javascript"' in receipt
