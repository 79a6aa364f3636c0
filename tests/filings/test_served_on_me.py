"""An attorney finds what OCC served on them under "Served on me" (pages and API), downloads it,
and OCC sees the first download as "opened <time>"; nobody else sees the set."""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime

from sqlalchemy import func, select

from app import db
from app.audit import AuditEvent
from filings.occ_service_models import OccServiceRecipient
from filings.tokens import create_token
from tests.filings.test_occ_serve_steps import attorneys, logged_in, only_service, serve
from tests.helpers import create_staff
from tests.pdfs import pdf_bytes, pdf_with_javascript

MOTION = pdf_bytes(pages=2)


def _served(app, files=None):
    """The attorneys, and a set OCC Atlanta served on the two of record (through HTTP)."""
    people = attorneys(app)
    with app.app_context():
        create_staff("staff.atl@occ.example", "ATL")
    staff = logged_in(app, "staff.atl@occ.example")
    response = serve(staff, files or [(MOTION, "Motion.pdf")])
    assert response.status_code == 303
    return people, staff, only_service(app)


def _opened(app, service_id: str) -> dict[int, datetime | None]:
    with app.app_context():
        rows = db.session.scalars(
            select(OccServiceRecipient).where(OccServiceRecipient.service_id == service_id)
        )
        return {r.attorney_id: r.opened_at for r in rows}


def _opened_events(app) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "occ_service.opened")
            )
            or 0
        )


def _token(app, user) -> str:
    with app.app_context():
        return create_token(db.session.get(type(user), user.id), "tests")


def test_the_attorney_finds_the_set_and_the_first_download_is_recorded_once(app):
    people, staff, service = _served(app)
    doc = service.documents[0]
    lee = logged_in(app, people["eoir"].email)
    listing = lee.get("/served-on-me").get_data(as_text=True)
    assert service.receipt_number in listing and "OCC Atlanta" in listing
    page = lee.get(f"/served-on-me/{service.id}").get_data(as_text=True)
    assert doc.sha256 in page and "Motion.pdf" in page and "not yet" in page
    assert "Served on me" in lee.get("/filings").get_data(as_text=True)  # in the menu
    staff_page = f"/staff/served/{service.id}"
    assert staff.get(staff_page).get_data(as_text=True).count("not opened yet") == 2

    first = lee.get(f"/served-on-me/{service.id}/documents/{doc.id}")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.headers["Content-Disposition"].startswith("attachment")
    assert hashlib.sha256(first.get_data()).hexdigest() == doc.sha256
    first.close()
    opened = _opened(app, service.id)
    at = opened[people["eoir"].id]
    assert at is not None and opened[people["bar"].id] is None

    again = lee.get(f"/served-on-me/{service.id}/documents/{doc.id}")
    assert again.status_code == 200
    again.close()
    assert _opened(app, service.id)[people["eoir"].id] == at  # the first time is kept
    assert _opened_events(app) == 1

    # OCC sees it: opened <time> for one, not opened yet for the other.
    text = staff.get(staff_page).get_data(as_text=True)
    assert text.count("not opened yet") == 1 and text.count("opened <time") == 1
    assert "1 of 2" in staff.get("/staff/served").get_data(as_text=True)


def test_two_downloads_at_once_record_one_opening(app):
    people, _staff, service = _served(app)
    doc = service.documents[0]
    clients = [logged_in(app, people["bar"].email) for _ in range(2)]
    statuses: list[int] = []

    def download(client) -> None:
        response = client.get(f"/served-on-me/{service.id}/documents/{doc.id}")
        statuses.append(response.status_code)
        response.close()

    threads = [threading.Thread(target=download, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200]
    assert _opened(app, service.id)[people["bar"].id] is not None
    assert _opened_events(app) == 1


def test_nobody_else_sees_the_set(app):
    people, staff, service = _served(app)
    doc = service.documents[0]
    paths = [f"/served-on-me/{service.id}", f"/served-on-me/{service.id}/documents/{doc.id}"]
    other = logged_in(app, people["other"].email)  # verified, of another A-Number
    for path in paths:
        assert other.get(path).status_code == 404, path
    assert service.receipt_number not in other.get("/served-on-me").get_data(as_text=True)
    unverified = logged_in(app, people["unverified"].email)  # named by an E-28, not verified
    for path in ["/served-on-me", *paths]:
        assert unverified.get(path).status_code == 404, path
    for path in paths:  # staff use their own pages
        assert staff.get(path).status_code == 404, path
    lee = logged_in(app, people["eoir"].email)
    assert lee.get(f"/served-on-me/{service.id}/documents/nope").status_code == 404
    assert lee.get("/served-on-me/nope").status_code == 404
    assert all(at is None for at in _opened(app, service.id).values())


def test_a_refused_set_is_never_served_on_anyone(app):
    people, _staff, service = _served(app, [(pdf_with_javascript(), "Scripted.pdf")])
    lee = logged_in(app, people["eoir"].email)
    assert lee.get(f"/served-on-me/{service.id}").status_code == 404
    doc = service.documents[0]
    assert lee.get(f"/served-on-me/{service.id}/documents/{doc.id}").status_code == 404
    token = _token(app, people["eoir"])
    headers = {"Authorization": f"Bearer {token}"}
    assert lee.get("/api/v1/served-on-me", headers=headers).get_json() == {"served_on_me": []}


def test_the_api_lists_the_sets_and_downloads_a_document(app, client):
    people, staff, service = _served(app)
    doc = service.documents[0]
    headers = {"Authorization": f"Bearer {_token(app, people['bar'])}"}
    body = client.get("/api/v1/served-on-me", headers=headers).get_json()
    [item] = body["served_on_me"]
    assert item["id"] == service.id and item["receipt_number"] == service.receipt_number
    assert item["office"] == {"code": "ATL", "name": "OCC Atlanta", "timezone": "America/New_York"}
    assert item["a_number"] == "012345678" and item["title"] == "DHS motion to pretermit"
    assert item["document_type"] == "motion" and item["opened_at"] is None
    assert item["served_at"].endswith("Z") and item["served_at_local"][-6:] in {"-05:00", "-04:00"}
    assert item["documents"] == [
        {
            "id": doc.id,
            "filename": "Motion.pdf",
            "pages": 2,
            "bytes": len(MOTION),
            "sha256": hashlib.sha256(MOTION).hexdigest(),
        }
    ]
    download = client.get(f"/api/v1/served-on-me/{service.id}/documents/{doc.id}", headers=headers)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.get_data() == MOTION
    download.close()
    opened_at = client.get("/api/v1/served-on-me", headers=headers).get_json()["served_on_me"][0][
        "opened_at"
    ]
    assert opened_at is not None and opened_at.endswith("Z")
    assert "opened <time" in staff.get(f"/staff/served/{service.id}").get_data(as_text=True)


def test_the_api_answers_404_in_json_for_unknown_and_others_sets(app, client):
    people, _staff, service = _served(app)
    doc = service.documents[0]
    other = {"Authorization": f"Bearer {_token(app, people['other'])}"}
    mine = {"Authorization": f"Bearer {_token(app, people['eoir'])}"}
    for headers, path in [
        (other, f"/api/v1/served-on-me/{service.id}/documents/{doc.id}"),
        (other, f"/api/v1/served-on-me/{service.id}"),
        (mine, f"/api/v1/served-on-me/{service.id}/documents/no-such-doc"),
        (mine, "/api/v1/served-on-me/no-such-set/documents/x"),
    ]:
        response = client.get(path, headers=headers)
        assert response.status_code == 404, path
        assert response.get_json()["errors"][0]["code"] == "not_found"
    assert client.get("/api/v1/served-on-me", headers=other).get_json() == {"served_on_me": []}
    assert client.get("/api/v1/served-on-me").status_code == 401  # no token
    assert all(at is None for at in _opened(app, service.id).values())
