"""OCC staff serve a document set on the attorneys of record for an A-Number, through HTTP: who
is shown and served, the checks (at the door and in the job), the receipt for OCC, the notices,
and every refusal (no attorney of record, CSRF, the wrong people)."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from app import db
from app.audit import AuditEvent
from app.notifications import Notification
from filings import signed_receipts
from filings.occ_service_models import OccService, OccServiceStatus
from filings.signed_receipt_models import SignedReceipt
from tests.filings.test_occ_serve_steps import (
    attorneys,
    logged_in,
    look_up,
    only_service,
    serve,
)
from tests.helpers import create_staff, row_count, stored_files
from tests.pdfs import pdf_bytes, pdf_with_javascript

STAFF = "staff.atl@occ.example"


def _staff(app, email: str = STAFF, office: str = "ATL", admin: bool = False):
    with app.app_context():
        create_staff(email, office, admin)
    return logged_in(app, email)


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_lookup_shows_the_verified_attorneys_of_record_only(app):
    attorneys(app)
    staff = _staff(app)
    page = look_up(staff)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Lee Lawyer" in text and "Bo Barrister" in text  # by EOIR ID and by bar admission
    assert "EOIR ID LW123456" in text and "bar NY 7654321" in text
    assert "Nell Newcomer" not in text  # not verified
    assert "Oona Other" not in text  # of another A-Number
    assert 'name="files"' in text and "Serve on these 2 attorneys" in text
    assert "occ_service.lookup" in _actions(app)
    assert row_count(app, OccService) == 0 and stored_files(app) == []


def test_staff_serve_gives_a_receipt_and_notifies_each_attorney_of_record(app, outbox):
    people = attorneys(app)
    staff = _staff(app)
    motion, certificate = pdf_bytes(pages=3), pdf_bytes(pages=1)
    response = serve(staff, [(motion, "Motion.pdf"), (certificate, "Certificate.pdf")])
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    service = only_service(app)
    assert response.headers["Location"].endswith(f"/staff/served/{service.id}")
    assert service.status == OccServiceStatus.SERVED and service.served_at is not None
    assert service.office.code == "ATL" and service.a_number == "012345678"
    assert service.receipt_number.startswith("ES-ATL-")
    assert {r.attorney_id for r in service.recipients} == {people["eoir"].id, people["bar"].id}

    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert service.receipt_number in page
    for doc, content, name, pages in [
        (service.documents[0], motion, "Motion.pdf", 3),
        (service.documents[1], certificate, "Certificate.pdf", 1),
    ]:
        assert doc.sha256 == hashlib.sha256(content).hexdigest() and doc.sha256 in page
        assert doc.filename == name and doc.pages == pages and doc.size_bytes == len(content)
        assert name in page
    assert page.count("not opened yet") == 2
    # Stored under generated keys, the bytes exactly those sent.
    keys = stored_files(app)
    assert len(keys) == 2 and not any("Motion" in k for k in keys)
    with app.extensions["eservice.storage"].open(service.documents[0].storage_key) as stream:
        assert stream.read() == motion

    # One notice to each attorney of record, none to anyone else.
    mails = outbox()
    assert sorted(m["To"] for m in mails) == ["bo@bar.example", "lee@firm.example"]
    for mail in mails:
        assert service.receipt_number in mail["Subject"]
        body = mail.get_content()
        assert f"/served-on-me/{service.id}" in body and service.documents[0].sha256 in body
    with app.app_context():
        keys = set(db.session.scalars(select(Notification.dedupe_key)))
        assert keys == {
            f"occ_service:{service.id}:served:{people['eoir'].id}",
            f"occ_service:{service.id}:served:{people['bar'].id}",
        }
        # The signed receipt for OCC: direction, whom it was served on, every document.
        signed = signed_receipts.latest(service.receipt_number)
        assert signed is not None and signed.filing_id is None
        claims = signed_receipts.verify(signed.jws)
    assert claims["direction"] == "to_attorneys" and claims["status"] == "served"
    assert claims["receipt_number"] == service.receipt_number
    assert {"name": "Lee Lawyer", "eoir_id": "LW123456"} in claims["served_on"]
    assert {"name": "Bo Barrister", "bar": "NY 7654321"} in claims["served_on"]
    assert [d["sha256"] for d in claims["documents"]] == [d.sha256 for d in service.documents]
    assert signed.jws in page
    actions = _actions(app)
    assert "occ_service.received" in actions and "occ_service.checks_passed" in actions


def test_the_same_form_sent_twice_serves_once(app):
    attorneys(app)
    staff = _staff(app)
    from tests.filings.test_occ_serve_steps import _HIDDEN, TYPED
    from tests.helpers import multipart

    page = look_up(staff).get_data(as_text=True)
    hidden = dict(_HIDDEN.findall(page))
    import io
    import re

    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    content = pdf_bytes()
    locations = set()
    for _ in range(2):
        data = {
            "csrf_token": token,
            "a_number": TYPED,
            "document_type": "motion",
            "title": "Twice",
            "action": "serve",
            **hidden,
            "files": [(io.BytesIO(content), "a.pdf")],
        }
        response = staff.post("/staff/serve", **multipart(data))
        assert response.status_code == 303
        locations.add(response.headers["Location"])
    assert len(locations) == 1 and row_count(app, OccService) == 1


def test_a_file_that_is_not_a_pdf_is_refused_at_the_door(app, outbox):
    attorneys(app)
    staff = _staff(app)
    response = serve(staff, [(b"<html>not a pdf</html>", "letter.html"), (pdf_bytes(), "ok.pdf")])
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-code="not_pdf"' in text and "letter.html" in text
    assert "Nothing was served" in text
    assert row_count(app, OccService) == 0 and stored_files(app) == [] and outbox() == []
    assert "occ_service.refused" in _actions(app)


def test_a_pdf_with_javascript_is_refused_by_the_check_and_staff_see_why(app, outbox):
    people = attorneys(app)
    staff = _staff(app)
    response = serve(staff, [(pdf_with_javascript(), "Scripted.pdf")])
    assert response.status_code == 303
    service = only_service(app)
    assert service.status == OccServiceStatus.REFUSED and service.served_at is None
    assert [p["code"] for p in service.problems] == ["javascript"]
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-code="javascript"' in page and "Nothing was served" in page
    assert "not opened yet" not in page
    assert outbox() == []
    with app.app_context():
        assert signed_receipts.latest(service.receipt_number) is None
    lee = logged_in(app, people["eoir"].email)
    assert lee.get(f"/served-on-me/{service.id}").status_code == 404
    assert service.id not in lee.get("/served-on-me").get_data(as_text=True)
    assert "occ_service.checks_failed" in _actions(app)


def test_no_attorney_of_record_is_refused_naming_the_a_number(app):
    attorneys(app)
    staff = _staff(app)
    page = look_up(staff, "A099-888-777")
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "No attorney of record for A099-888-777" in text and 'name="files"' not in text
    # Straight to the second step, files and all: refused before anything is stored.
    response = serve(staff, [(pdf_bytes(), "a.pdf")], a_number="A099-888-777")
    assert response.status_code == 422
    assert "No attorney of record for A099-888-777" in response.get_data(as_text=True)
    assert row_count(app, OccService) == 0 and stored_files(app) == []


def test_a_bad_a_number_and_missing_fields_are_all_named(app):
    attorneys(app)
    staff = _staff(app)
    assert look_up(staff, "12").status_code == 422
    response = serve(staff, [], document_type="e28", title="")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose a document type" in text and "Give the document set a title" in text
    assert 'data-code="no_files"' in text
    assert row_count(app, OccService) == 0


def test_attorneys_changed_since_the_lookup_are_refused(app):
    attorneys(app)
    staff = _staff(app)
    # The form says whom the staff member saw; someone else is of record now.
    response = serve(staff, [(pdf_bytes(), "a.pdf")], attorneys="999999")
    assert response.status_code == 422
    assert "changed since you looked them up" in response.get_data(as_text=True)
    assert row_count(app, OccService) == 0 and stored_files(app) == []


def test_forms_without_a_csrf_token_are_refused(app):
    attorneys(app)
    staff = _staff(app)
    lookup = staff.post("/staff/serve", data={"a_number": "A012-345-678", "action": "lookup"})
    assert lookup.status_code == 400
    assert "Lee Lawyer" not in lookup.get_data(as_text=True)
    import io

    from tests.helpers import multipart

    data = {
        "a_number": "A012-345-678",
        "document_type": "motion",
        "title": "No token",
        "action": "serve",
        "files": [(io.BytesIO(pdf_bytes()), "a.pdf")],
    }
    assert staff.post("/staff/serve", **multipart(data)).status_code == 400
    assert row_count(app, OccService) == 0 and stored_files(app) == []


def test_staff_of_another_office_see_neither_the_set_nor_it_in_their_list(app):
    attorneys(app)
    atl = _staff(app)
    location = serve(atl, [(pdf_bytes(), "a.pdf")]).headers["Location"]
    service = only_service(app)
    doc = service.documents[0]
    nyc = _staff(app, "staff.nyc@occ.example", "NYC")
    assert nyc.get(location).status_code == 404
    assert nyc.get(f"{location}/documents/{doc.id}").status_code == 404
    assert service.receipt_number not in nyc.get("/staff/served").get_data(as_text=True)
    listing = atl.get("/staff/served").get_data(as_text=True)
    assert service.receipt_number in listing and "Served" in listing
    download = atl.get(f"{location}/documents/{doc.id}")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert hashlib.sha256(download.get_data()).hexdigest() == doc.sha256
    download.close()  # as a WSGI server does: closes the stored file
    # A staff download is not an attorney opening it.
    assert "not opened yet" in atl.get(location).get_data(as_text=True)


def test_attorneys_and_staff_without_an_office_cannot_reach_the_staff_pages(app):
    people = attorneys(app)
    atl = _staff(app)
    location = serve(atl, [(pdf_bytes(), "a.pdf")]).headers["Location"]
    lee = logged_in(app, people["eoir"].email)
    nobody = _staff(app, "admin@occ.example", "", admin=True)  # an administrator, no office
    for client in (lee, nobody):
        for path in ("/staff/serve", "/staff/served", location):
            assert client.get(path).status_code == 404, path
    # Nor serve: a small form (no files) is refused the same way.
    from tests.helpers import csrf_token

    token = csrf_token(lee, "/filings/check")
    answer = lee.post("/staff/serve", data={"csrf_token": token, "a_number": "A012-345-678"})
    assert answer.status_code == 404
    assert row_count(app, OccService) == 1
    with app.app_context():
        denied = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "authz.denied")
        )
    assert denied and denied >= 6


def test_keys_in_use_keeps_the_documents_of_served_sets(app):
    attorneys(app)
    serve(_staff(app), [(pdf_bytes(), "a.pdf")])
    service = only_service(app)
    from filings import occ_services

    with app.app_context():
        key = service.documents[0].storage_key
        assert occ_services.keys_in_use([key, "nope/1"]) == {key}
        assert occ_services.keys_in_use([]) == set()
        assert row_count(app, SignedReceipt) == 1


def test_the_check_job_run_again_changes_nothing(app, outbox):
    attorneys(app)
    serve(_staff(app), [(pdf_bytes(), "a.pdf")])
    service = only_service(app)
    from filings.occ_service_jobs import check_service, sweep_stale_services

    with app.app_context():
        check_service(service.id)  # a second run (a retry, a sweep): the set is decided already
        check_service("no-such-set")
        assert sweep_stale_services(older_than_seconds=0) == 0  # nothing left `received`
        assert db.session.get(OccService, service.id).status == OccServiceStatus.SERVED
    assert row_count(app, Notification) == 2 and len(outbox()) == 2
    assert row_count(app, SignedReceipt) == 1
    assert _actions(app).count("occ_service.checks_passed") == 1
