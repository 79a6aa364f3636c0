"""Staff decide on a filing: confirmed first, undoable for a few minutes, and the attorney told
only once that time is over (never of an undone decision); a held set turned down is "not
served"; the page shows who decided and the filing's history."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from filings.decision_models import FilingDecision
from filings.decision_notices import send_due_notices
from filings.models import Filing, FilingStatus
from tests.filings.decide_steps import choose, confirm, decide, move_clock, serve, undo
from tests.helpers import login, post_form


def _status(app, filing_id):
    with app.app_context():
        return db.session.get(Filing, filing_id).status


def _sweep(app) -> int:
    with app.app_context():
        return send_due_notices()


def _decision_mail(outbox) -> list[str]:
    return [m["Subject"] for m in outbox() if "by OCC" in m["Subject"]]


def test_accept_is_confirmed_first_and_told_only_after_the_undo_window(
    app, attorney_client, staff_client, outbox, monkeypatch
):
    filing_id = serve(attorney_client)
    question = choose(staff_client, filing_id, "accept")
    html = question.get_data(as_text=True)
    assert question.status_code == 200
    with app.app_context():
        receipt = db.session.get(Filing, filing_id).receipt_number
    assert f"Accept filing {receipt} for A012-345-678?" in html
    assert _status(app, filing_id) == FilingStatus.SERVED  # nothing decided by the question

    done = confirm(staff_client, filing_id, question)
    assert done.status_code == 303
    assert _status(app, filing_id) == FilingStatus.ACCEPTED
    page = staff_client.get(f"/staff/filings/{filing_id}").get_data(as_text=True)
    assert "Undo this decision" in page and "staff.atl@occ.example" in page
    assert _sweep(app) == 0 and _decision_mail(outbox) == []  # the window is open

    move_clock(monkeypatch, 6)
    assert _sweep(app) == 1
    [subject] = _decision_mail(outbox)
    assert subject.startswith("Accepted by OCC") and receipt in subject
    assert _sweep(app) == 0 and len(_decision_mail(outbox)) == 1  # run twice: sent once

    late = undo(staff_client, filing_id).get_data(as_text=True)
    assert "The time to undo this decision has passed." in late
    assert _status(app, filing_id) == FilingStatus.ACCEPTED


def test_undo_within_the_window_puts_the_set_back_and_nothing_is_sent(
    app, attorney_client, staff_client, outbox, monkeypatch
):
    filing_id = serve(attorney_client)
    decide(staff_client, filing_id, "reject", "Exhibit B is missing pages 4-6.")
    assert _status(app, filing_id) == FilingStatus.REJECTED
    move_clock(monkeypatch, 4)
    after = undo(staff_client, filing_id).get_data(as_text=True)
    assert "Decision undone" in after and "Undo this decision" not in after
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing.status == FilingStatus.SERVED and filing.decided_by_id is None
        assert filing.decision_reason is None
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "filing.undone")
        ).all()
        assert event.object_id == filing_id and event.actor == "staff.atl@occ.example"
    move_clock(monkeypatch, 10)
    assert _sweep(app) == 0 and _decision_mail(outbox) == []
    # decided again, the new decision is the one told
    decide(staff_client, filing_id, "accept")
    move_clock(monkeypatch, 16)
    assert _sweep(app) == 1 and _decision_mail(outbox)[0].startswith("Accepted by OCC")


def test_reject_needs_a_reason_in_the_api_words(app, attorney_client, staff_client):
    filing_id = serve(attorney_client)
    refused = choose(staff_client, filing_id, "reject", "  ")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Give the reason for rejecting; the attorney sees it." in html
    assert 'aria-invalid="true"' in html and 'href="#reason"' in html
    assert _status(app, filing_id) == FilingStatus.SERVED


def test_a_held_set_turned_down_is_not_served_and_cannot_be_accepted(
    app, attorney_client, staff_client, outbox, monkeypatch
):
    filing_id = serve(attorney_client)
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        filing.status, filing.passed_checks = FilingStatus.HELD, False
        db.session.commit()
    accept = choose(staff_client, filing_id, "accept")
    assert accept.status_code == 422 and "A held set was never served" in accept.get_data(
        as_text=True
    )
    question = choose(staff_client, filing_id, "reject", "Scan it again and serve it.")
    assert "Refuse (not served) filing" in question.get_data(as_text=True)
    confirm(staff_client, filing_id, question)
    assert _status(app, filing_id) == FilingStatus.REFUSED
    move_clock(monkeypatch, 6)
    _sweep(app)
    [mail] = [m for m in outbox() if m["Subject"].startswith("Not served")]
    assert "refused by OCC" in mail["Subject"] and "Scan it again" in mail.get_content()
    receipt = attorney_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert "Scan it again and serve it." in receipt


def test_a_second_confirmation_does_not_decide_twice(app, attorney_client, staff_client):
    filing_id = serve(attorney_client)
    question = choose(staff_client, filing_id, "accept")
    confirm(staff_client, filing_id, question)
    again = confirm(staff_client, filing_id, question)
    assert again.status_code == 409
    assert "already been decided" in again.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(FilingDecision)).all()) == 1


def test_history_names_each_step_with_who(app, attorney_client, staff_client):
    filing_id = serve(attorney_client)
    with app.app_context():
        doc_id = db.session.get(Filing, filing_id).documents[0].id
    staff_client.get(f"/staff/filings/{filing_id}/documents/{doc_id}").close()
    decide(staff_client, filing_id, "reject", "Wrong office.")
    undo(staff_client, filing_id)
    page = staff_client.get(f"/staff/filings/{filing_id}").get_data(as_text=True)
    history = page[page.index('id="history"') :]
    steps = [
        "Received and stored; receipt issued",
        "Passed the checks: served",
        "Downloaded",
        "Rejected (served, then rejected by OCC)",
        "Decision undone",
    ]
    positions = [history.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "lawyer@firm.example" in history and "staff.atl@occ.example" in history
    assert "Reason: Wrong office." in history and "Motion.pdf" in history


def test_staff_of_another_office_cannot_decide_or_undo(
    app, attorney_client, staff_client, make_staff
):
    filing_id = serve(attorney_client)
    question = choose(staff_client, filing_id, "accept")
    make_staff("staff.nyc@occ.example", office="NYC")
    nyc = app.test_client()
    login(nyc, "staff.nyc@occ.example")
    assert confirm(nyc, filing_id, question).status_code in (400, 404)
    undo_there = post_form(
        nyc, "/staff/reason-templates", {}, action=f"/staff/filings/{filing_id}/undo"
    )
    assert undo_there.status_code == 404
    assert _status(app, filing_id) == FilingStatus.SERVED
