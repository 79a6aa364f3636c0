"""Claiming a served set: one staff member works it, colleagues see who, and a claim is taken
over only knowingly; every change is an audit event; another office's set is a 404."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from filings.models import Filing, FilingStatus
from tests.filings.inbox_data import add_filings
from tests.helpers import csrf_token, login


def _claimer(app, filing_id: str) -> str | None:
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        return filing.claimed_by.email if filing.claimed_by else None


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _post(client, path: str, **data) -> object:
    token = csrf_token(client, "/staff/inbox")
    return client.post(path, data={"csrf_token": token, **data})


def test_claim_and_release_from_the_inbox(app, staff_client, make_attorney):
    make_attorney()
    [filing_id] = add_filings(app, 1)
    inbox = staff_client.get("/staff/inbox").get_data(as_text=True)
    assert f'formaction="/staff/filings/{filing_id}/claim"' in inbox
    response = _post(staff_client, f"/staff/filings/{filing_id}/claim", next="/staff/inbox")
    assert response.status_code == 303 and response.headers["Location"] == "/staff/inbox"
    assert _claimer(app, filing_id) == "staff.atl@occ.example"
    assert filing_id not in staff_client.get("/staff/inbox").get_data(as_text=True)
    assert filing_id in staff_client.get("/staff/inbox?view=mine").get_data(as_text=True)
    [claimed] = _events(app, "filing.claimed")
    assert claimed.actor == "staff.atl@occ.example" and claimed.object_id == filing_id
    _post(staff_client, f"/staff/filings/{filing_id}/release", next="/staff/inbox")
    assert _claimer(app, filing_id) is None and len(_events(app, "filing.released")) == 1


def test_another_claim_is_taken_over_only_after_confirming(
    app, staff_client, make_attorney, make_staff
):
    make_attorney()
    [filing_id] = add_filings(app, 1)
    _post(staff_client, f"/staff/filings/{filing_id}/claim")
    make_staff("colleague@occ.example")
    colleague = app.test_client()
    login(colleague, "colleague@occ.example")
    listed = colleague.get("/staff/inbox?view=all").get_data(as_text=True)
    assert "Staff ATL" in listed
    # A plain claim on another's set asks first and changes nothing.
    asked = _post(colleague, f"/staff/filings/{filing_id}/claim")
    assert asked.status_code == 200 and "Take it over" in asked.get_data(as_text=True)
    assert _claimer(app, filing_id) == "staff.atl@occ.example"
    # Releasing another's claim is refused.
    _post(colleague, f"/staff/filings/{filing_id}/release")
    assert _claimer(app, filing_id) == "staff.atl@occ.example"
    _post(colleague, f"/staff/filings/{filing_id}/claim", take_over="yes")
    assert _claimer(app, filing_id) == "colleague@occ.example"
    taken = _events(app, "filing.claimed")[-1]
    assert taken.actor == "colleague@occ.example"
    assert taken.detail["taken_from"] == "staff.atl@occ.example"


def test_claims_need_csrf_a_served_set_and_the_same_office(
    app, staff_client, make_attorney, make_staff
):
    make_attorney()
    [served, accepted] = add_filings(app, 2)
    with app.app_context():
        db.session.get(Filing, accepted).status = FilingStatus.ACCEPTED
        db.session.commit()
    assert staff_client.post(f"/staff/filings/{served}/claim").status_code == 400
    assert _claimer(app, served) is None
    _post(staff_client, f"/staff/filings/{accepted}/claim", take_over="yes")
    assert _claimer(app, accepted) is None
    [theirs] = add_filings(app, 1, office="NYC")
    assert _post(staff_client, f"/staff/filings/{theirs}/claim").status_code == 404
    assert _post(staff_client, f"/staff/filings/{theirs}/release").status_code == 404
    assert staff_client.get(f"/staff/filings/{theirs}/claim").status_code == 404
    assert _claimer(app, theirs) is None and _events(app, "filing.claimed") == []
