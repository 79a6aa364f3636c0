"""Denials are audit events: another attorney's filing or document, another office's filing, a
page of another role, a form without its CSRF token. Recorded with the user, the address and
the path, never an A-Number or a document's name; anonymous callers cannot turn requests into
audit rows."""

from __future__ import annotations

import json

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from filings.models import Filing
from filings.tokens import create_token
from tests.helpers import csrf_token, login, serve_form
from tests.pdfs import pdf_bytes

SECRET_NAME = "Respondent Garcia exhibit.pdf"


def events(app, action=None):  # type: ignore[no-untyped-def]
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        rows = db.session.scalars(query).all()
        return [
            {
                "action": e.action,
                "actor": e.actor,
                "actor_id": e.actor_id,
                "ip": e.ip,
                "outcome": e.outcome,
                "detail": e.detail,
            }
            for e in rows
        ]


def served_filing(app, attorney_client) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    response = serve_form(attorney_client, [(pdf_bytes(), SECRET_NAME)])
    assert response.status_code == 303, response.get_data(as_text=True)
    filing_id = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        return filing_id, db.session.get(Filing, filing_id).documents[0].id


def assert_clean(rows) -> None:  # type: ignore[no-untyped-def]
    text = json.dumps(rows)
    for secret in ("012345678", "012-345-678", "Garcia", "exhibit"):
        assert secret not in text


def test_another_attorneys_filing_and_document_are_audited_denials(
    app, attorney_client, make_attorney
):
    filing_id, doc_id = served_filing(app, attorney_client)
    other = make_attorney("other@law.example", eoir_id="OT123456", a_numbers=("099999999",))
    b = app.test_client()
    login(b, "other@law.example")
    assert b.get(f"/filings/{filing_id}").status_code == 404
    assert b.get(f"/filings/{filing_id}/documents/{doc_id}").status_code == 404
    rows = events(app, "authz.not_found")
    assert [r["detail"]["path"] for r in rows] == [
        f"/filings/{filing_id}",
        f"/filings/{filing_id}/documents/{doc_id}",
    ]
    for row in rows:
        assert row["actor"] == "other@law.example" and row["actor_id"] == other.id
        assert row["ip"] == "127.0.0.1" and row["outcome"] == "denied"
        assert row["detail"]["method"] == "GET"
    assert_clean(rows)


def test_another_attorneys_filing_through_the_api_is_an_audited_denial(
    app, client, attorney_client, make_attorney
):
    filing_id, _ = served_filing(app, attorney_client)
    other = make_attorney("other@law.example", eoir_id="OT123456", a_numbers=("099999999",))
    with app.app_context():
        token = create_token(db.session.get(type(other), other.id), "tests")
    response = client.get(
        f"/api/v1/filings/{filing_id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 404 and response.is_json
    (row,) = events(app, "authz.not_found")
    assert row["actor"] == "other@law.example"
    assert row["detail"]["path"] == f"/api/v1/filings/{filing_id}"


def test_staff_of_another_office_opening_a_filing_is_an_audited_denial(
    app, attorney_client, make_staff
):
    filing_id, doc_id = served_filing(app, attorney_client)
    make_staff("staff.nyc@occ.example", office="NYC")
    nyc = app.test_client()
    login(nyc, "staff.nyc@occ.example")
    assert nyc.get(f"/staff/filings/{filing_id}").status_code == 404
    assert nyc.get(f"/staff/filings/{filing_id}/documents/{doc_id}").status_code == 404
    rows = events(app, "authz.not_found")
    assert [r["detail"]["path"] for r in rows] == [
        f"/staff/filings/{filing_id}",
        f"/staff/filings/{filing_id}/documents/{doc_id}",
    ]
    assert {r["actor"] for r in rows} == {"staff.nyc@occ.example"}
    assert_clean(rows)


def test_a_page_of_another_role_is_one_audited_denial(app, attorney_client):
    before = len(events(app))
    assert attorney_client.get("/staff/inbox").status_code == 404
    rows = events(app)[before:]
    assert len(rows) == 1  # the role check's own event, not a second one
    assert rows[0]["action"].startswith("authz.")
    assert rows[0]["actor"] == "lawyer@firm.example"


def test_a_post_without_its_csrf_token_is_audited(app, attorney_client):
    response = attorney_client.post("/filings/new", data={"title": "no token"})
    assert response.status_code == 400
    (row,) = events(app, "csrf.failed")
    assert row["actor"] == "lawyer@firm.example" and row["ip"] == "127.0.0.1"
    assert row["detail"]["path"] == "/filings/new"
    assert "missing" in row["detail"]["reason"]


def test_anonymous_csrf_failures_are_audited_a_few_times_an_hour(app, client):
    for _ in range(30):
        assert client.post("/login", data={"email": "x@y.example"}).status_code == 400
    rows = events(app, "csrf.failed")
    assert len(rows) == 10
    assert {r["actor"] for r in rows} == {"anonymous"}
    other = app.test_client()
    other.post("/login", data={}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert len(events(app, "csrf.failed")) == 11  # another address has its own allowance


def test_anonymous_misses_write_nothing(app, client):
    before = len(events(app))
    for path in ("/no-such-page", "/wp-admin", "/filings/0123456789", "/favicon.ico"):
        assert client.get(path).status_code in {302, 404}
    assert client.get("/api/v1/nothing-here").status_code == 404
    assert len(events(app)) == before


def test_a_path_with_an_a_number_is_masked_and_ids_are_kept(app, attorney_client):
    uuid = "12345678-1234-4234-8234-123456789012"
    for path in ("/filings/A012-345-678", "/filings/x012345678y", f"/filings/{uuid}"):
        assert attorney_client.get(path).status_code == 404
    rows = events(app, "authz.not_found")
    paths = ["/filings/A#", "/filings/x#y", f"/filings/{uuid}"]
    assert [r["detail"]["path"] for r in rows] == paths
    assert_clean(rows[:2])


def test_a_token_from_the_page_still_passes(app, attorney_client):
    token = csrf_token(attorney_client, "/account/tokens")
    response = attorney_client.post("/account/tokens", data={"csrf_token": token, "name": "CMS"})
    assert response.status_code == 200
    assert events(app, "csrf.failed") == []
