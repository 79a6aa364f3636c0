"""Accepting several served sets at once: a confirmation listing them, then each served set of
the office accepted on its own (one audit event each, notices after the undo window), the rest
named and left as they were."""

from __future__ import annotations

import re

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from filings.decision_notices import send_due_notices
from filings.models import Filing, FilingStatus
from tests.filings.decide_steps import decide, move_clock, serve
from tests.helpers import csrf_token

ACTION = "/staff/filings/accept"


def _post(client, ids, **extra):
    data = {"csrf_token": csrf_token(client, "/staff/reason-templates"), "filing_id": ids, **extra}
    return client.post(ACTION, data=data)


def test_bulk_accept_confirms_then_accepts_only_served_sets_of_the_office(
    app, attorney_client, staff_client, make_staff, outbox, monkeypatch
):
    served = [serve(attorney_client, title=f"Motion {n}") for n in range(2)]
    decided = serve(attorney_client, title="Already decided")
    decide(staff_client, decided, "reject", "Wrong office.")
    nyc_set = serve(attorney_client, office="NYC", title="Served on New York")
    ids = [*served, decided, nyc_set, "no-such-filing"]

    question = _post(staff_client, ids, next="/staff/inbox?view=mine")
    html = question.get_data(as_text=True)
    assert question.status_code == 200 and "Accept 2 served sets?" in html
    assert "Served on New York" not in html and "not a filing of your office" in html
    with app.app_context():
        assert all(db.session.get(Filing, i).status == FilingStatus.SERVED for i in served)

    done = _post(staff_client, ids, next="/staff/inbox?view=mine", confirm="yes")
    assert done.status_code == 303 and done.headers["Location"] == "/staff/inbox?view=mine"
    with app.app_context():
        statuses = {i: db.session.get(Filing, i).status for i in [*served, decided, nyc_set]}
        events = db.session.scalars(
            select(AuditEvent.object_id).where(AuditEvent.action == "filing.accepted")
        ).all()
    assert statuses == {
        served[0]: FilingStatus.ACCEPTED,
        served[1]: FilingStatus.ACCEPTED,
        decided: FilingStatus.REJECTED,
        nyc_set: FilingStatus.SERVED,
    }
    assert sorted(events) == sorted(served)
    page = staff_client.get("/staff/reason-templates").get_data(as_text=True)
    assert "Accepted 2 sets" in page and "has already been decided" in page
    assert "no-such-filing: not a filing of your office" in page

    accepted_mail = lambda: [m for m in outbox() if m["Subject"].startswith("Accepted")]  # noqa: E731
    assert accepted_mail() == []
    move_clock(monkeypatch, 6)
    with app.app_context():
        send_due_notices()
    assert len(accepted_mail()) == 2


def test_bulk_accept_goes_back_only_to_a_page_of_this_site(app, attorney_client, staff_client):
    filing_id = serve(attorney_client)
    done = _post(staff_client, [filing_id], next="//evil.example/x", confirm="yes")
    assert done.status_code == 303 and "evil.example" not in done.headers["Location"]
    assert re.search(r"/staff/inbox$", done.headers["Location"])


def test_bulk_accept_needs_the_form_token_and_a_choice(app, attorney_client, staff_client):
    filing_id = serve(attorney_client)
    forged = staff_client.post(ACTION, data={"filing_id": [filing_id], "confirm": "yes"})
    assert forged.status_code in (302, 303, 400)
    nothing = _post(staff_client, [], confirm="yes")
    assert nothing.status_code == 303
    with app.app_context():
        assert db.session.get(Filing, filing_id).status == FilingStatus.SERVED


def test_an_attorney_cannot_bulk_accept(app, attorney_client, make_staff):
    filing_id = serve(attorney_client)
    make_staff()
    token = csrf_token(attorney_client, "/filings")
    response = attorney_client.post(
        ACTION, data={"csrf_token": token, "filing_id": [filing_id], "confirm": "yes"}
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Filing, filing_id).status == FilingStatus.SERVED
