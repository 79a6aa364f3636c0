"""Logging in and out, CSRF on forms, and the audit trail of both."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from tests.helpers import PASSWORD, csrf_token, login


def _events(app, action):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_login_success_is_audited_with_address(app, client, make_staff):
    make_staff()
    response = login(client, "Staff.ATL@occ.example", PASSWORD)
    assert response.status_code == 302
    assert client.get("/staff/inbox").status_code == 200
    [event] = _events(app, "auth.login")
    assert event.outcome == "success" and event.actor == "staff.atl@occ.example"
    assert event.ip == "127.0.0.1"


def test_wrong_password_and_unknown_email_fail_the_same_way(app, client, make_staff):
    make_staff()
    wrong = login(client, "staff.atl@occ.example", "not the password")
    unknown = login(client, "nobody@occ.example", "whatever password")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "do not match an active account" in response.get_data(as_text=True)
    assert client.get("/staff/inbox").status_code == 302  # still logged out
    events = _events(app, "auth.login")
    assert [e.outcome for e in events] == ["failure", "failure"]
    assert {e.actor for e in events} == {"staff.atl@occ.example", "nobody@occ.example"}


def test_form_without_csrf_token_is_refused(client, make_staff):
    make_staff()
    response = client.post("/login", data={"email": "staff.atl@occ.example", "password": PASSWORD})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)


def test_logout_needs_post_with_csrf_and_ends_the_session(app, staff_client):
    assert staff_client.get("/logout").status_code == 405
    response = staff_client.post(
        "/logout", data={"csrf_token": csrf_token(staff_client, "/staff/inbox")}
    )
    assert response.status_code == 302
    assert staff_client.get("/staff/inbox").status_code == 302
    assert len(_events(app, "auth.logout")) == 1


def test_deactivated_account_cannot_log_in(app, client, make_staff):
    user = make_staff()
    with app.app_context():
        db.session.get(type(user), user.id).active = False
        db.session.commit()
    login(client, "staff.atl@occ.example", PASSWORD)
    assert client.get("/staff/inbox").status_code == 302


def test_attorney_pages_are_404_for_staff_and_staff_pages_404_for_attorneys(
    staff_client, attorney_client
):
    assert staff_client.get("/filings").status_code == 404
    assert attorney_client.get("/staff/inbox").status_code == 404
    assert attorney_client.get("/staff/registrations").status_code == 404


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
