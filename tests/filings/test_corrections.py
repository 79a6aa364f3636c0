"""Corrections: a refused set corrected within the window (ESERVICE_CORRECTION_DAYS) is a new
set linked to the original; both pages, the staff page and the e-mails show the link; each keeps
its own received_at; past the window, or for a set that is not the attorney's own refused one,
no link is made and the attorney is told plainly why."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, update

from app import db
from filings.draft_models import DraftSet
from filings.models import Filing, FilingStatus
from tests.helpers import PASSWORD, login, row_count, serve_form
from tests.pdfs import pdf_bytes, pdf_with_javascript


def _refused_set(app, client) -> tuple[str, str]:
    """A set the checks refused (a file with JavaScript); its id and receipt number."""
    response = serve_form(
        client,
        [(pdf_bytes(2, title="good"), "Motion.pdf"), (pdf_with_javascript(), "Exhibit.pdf")],
        title="Refused set",
    )
    assert response.status_code == 303
    filing_id = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing.status == FilingStatus.REFUSED
        return filing_id, filing.receipt_number


def _age(app, filing_id: str, days: float) -> None:
    """Move a set's time received ``days`` into the past (the clock, not the window)."""
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        at = filing.received_at - timedelta(days=days)
        db.session.execute(update(Filing).where(Filing.id == filing_id).values(received_at=at))
        db.session.commit()


def test_a_correction_is_linked_both_ways_and_each_keeps_its_received_at(
    app, attorney_client, staff_client, outbox
):
    original_id, original_no = _refused_set(app, attorney_client)
    with app.app_context():
        original_received = db.session.get(Filing, original_id).received_at
    refused_mail = outbox()[-1].get_content()
    assert re.search(r"You can correct this set until \w{3} \d+ \w{3} \d{4}, ", refused_mail)
    window = attorney_client.get(f"/filings/{original_id}").get_data(as_text=True)
    assert 'id="correction-window">This set can be corrected until' in window

    opened = attorney_client.get(f"/filings/new?correct={original_id}").get_data(as_text=True)
    assert f"Serving a corrected set of {original_no}" in opened
    assert f"it is then linked to {original_no} as its correction" in opened
    served = serve_form(
        attorney_client, [(pdf_bytes(1, title="clean"), "Exhibit.pdf")], title="Refused set"
    )
    assert served.status_code == 303, served.get_data(as_text=True)
    new_id = served.headers["Location"].rsplit("/", 1)[-1]

    with app.app_context():
        new = db.session.get(Filing, new_id)
        original = db.session.get(Filing, original_id)
        assert new.status == FilingStatus.SERVED and new.corrects_id == original_id
        new_no = new.receipt_number
        assert original.received_at == original_received  # the original keeps its own time
        assert new.received_at > original.received_at and original.corrects_id is None
        assert [d.filename for d in new.documents] == ["Motion.pdf", "Exhibit.pdf"]

    original_page = attorney_client.get(f"/filings/{original_id}").get_data(as_text=True)
    assert re.search(
        rf'id="corrected-by">Corrected by <a class="usa-link" href="/filings/{new_id}">'
        rf"{new_no}</a> \(received ",
        original_page,
    )
    assert 'id="correction-window"' not in original_page  # corrected: no window to offer
    new_page = attorney_client.get(f"/filings/{new_id}").get_data(as_text=True)
    assert re.search(
        rf'id="corrects">Corrects <a class="usa-link" href="/filings/{original_id}">'
        rf"{original_no}</a> \(refused by the checks on ",
        new_page,
    )

    notice = outbox()[-1]
    assert notice["Subject"].startswith(f"Notice of service {new_no}")
    body = notice.get_body(preferencelist=("plain",)).get_content()
    assert f"This set corrects {original_no} (refused on " in body
    assert f"Corrects: {original_no} (refused, not served)" in body

    # Staff cannot open the refused original: its number and what was refused, no link.
    staff_page = staff_client.get(f"/staff/filings/{new_id}").get_data(as_text=True)
    assert f'id="corrects">Corrects {original_no} (refused by the checks on ' in staff_page
    assert f'href="/staff/filings/{original_id}"' not in staff_page
    refused_part = staff_page[staff_page.index('id="corrects-problems"') :]
    assert "“Exhibit.pdf” contains JavaScript" in refused_part[: refused_part.index("</ul>")]
    assert staff_client.get(f"/staff/filings/{original_id}").status_code == 404

    # Corrected once: opening the correction again says so, and starts nothing.
    again = attorney_client.get(f"/filings/new?correct={original_id}").get_data(as_text=True)
    assert f"{original_no} was corrected already, by {new_no}" in again
    assert row_count(app, DraftSet) == 0


def test_past_the_window_the_correct_link_says_it_closed_and_starts_nothing(app, attorney_client):
    original_id, original_no = _refused_set(app, attorney_client)
    _age(app, original_id, 7.01)
    page = attorney_client.get(f"/filings/new?correct={original_id}").get_data(as_text=True)
    assert re.search(
        rf"The time to correct {original_no} closed on \w{{3}} \d+ \w{{3}} \d{{4}}, [^<]*7 days "
        r"after it was received. Serve a new set instead",
        page,
    )
    assert "Serving a corrected set of" not in page and row_count(app, DraftSet) == 0
    original_page = attorney_client.get(f"/filings/{original_id}").get_data(as_text=True)
    assert 'id="correction-window">The time to correct this set closed on' in original_page


def test_a_correction_served_after_the_window_closed_is_refused_then_served_as_a_new_set(
    app, attorney_client
):
    original_id, original_no = _refused_set(app, attorney_client)
    attorney_client.get(f"/filings/new?correct={original_id}")  # the draft, within the window
    _age(app, original_id, 8)
    refused = serve_form(
        attorney_client, [(pdf_bytes(1, title="clean"), "Exhibit.pdf")], title="Refused set"
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert f"The time to correct {original_no} closed on " in page
    assert f"This set is no longer linked to {original_no}" in page
    assert row_count(app, Filing) == 1  # nothing new served

    # The next "Serve" serves the kept set as a new one, not linked.
    served = serve_form(attorney_client, [], title="Refused set")
    assert served.status_code == 303, served.get_data(as_text=True)
    with app.app_context():
        new = db.session.scalar(select(Filing).where(Filing.id != original_id))
        assert new is not None and new.corrects_id is None
        assert [d.filename for d in new.documents] == ["Motion.pdf", "Exhibit.pdf"]


def test_the_window_is_the_setting(app, attorney_client):
    app.config["ESERVICE"] = replace(app.config["ESERVICE"], correction_days=2)
    original_id, _ = _refused_set(app, attorney_client)
    _age(app, original_id, 1.9)
    assert "Serving a corrected set of" in attorney_client.get(
        f"/filings/new?correct={original_id}"
    ).get_data(as_text=True)
    _age(app, original_id, 0.2)
    page = attorney_client.get(f"/filings/{original_id}").get_data(as_text=True)
    assert "The time to correct this set closed on" in page


def test_correcting_another_attorneys_set_is_not_found(app, attorney_client, make_attorney):
    original_id, _ = _refused_set(app, attorney_client)
    make_attorney("other@firm.example", eoir_id="LW999999", a_numbers=("087654321",))
    other = app.test_client()
    login(other, "other@firm.example", PASSWORD)
    assert other.get(f"/filings/new?correct={original_id}").status_code == 404
    assert row_count(app, DraftSet) == 0

    # A draft made to point at another attorney's set (a forged link) serves nothing linked.
    serve_form(other, [(pdf_bytes(), "m.pdf")], action="save", a_number="A087-654-321")
    with app.app_context():
        draft = db.session.scalar(select(DraftSet))
        draft.fields = {**draft.fields, "corrects": {"id": original_id, "receipt": "x"}}
        db.session.commit()
    refused = serve_form(other, [], a_number="A087-654-321")
    assert refused.status_code == 422
    assert "Only a set of yours that was refused can be corrected" in refused.get_data(as_text=True)
    assert row_count(app, Filing) == 1


def test_correcting_a_set_that_was_not_refused_is_not_found(app, attorney_client):
    served = serve_form(attorney_client, [(pdf_bytes(), "m.pdf")])
    served_id = served.headers["Location"].rsplit("/", 1)[-1]
    assert attorney_client.get(f"/filings/new?correct={served_id}").status_code == 404
    assert attorney_client.get("/filings/new?correct=no-such-set").status_code == 404
    # A forged draft link to a served set is refused by the service too.
    serve_form(attorney_client, [(pdf_bytes(), "n.pdf")], action="save")
    with app.app_context():
        draft = db.session.scalar(select(DraftSet))
        draft.fields = {**draft.fields, "corrects": {"id": served_id, "receipt": "x"}}
        db.session.commit()
    refused = serve_form(attorney_client, [])
    assert refused.status_code == 422
    assert "Only a set of yours that was refused can be corrected" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Filing).where(Filing.corrects_id.is_not(None))) is None


def test_a_held_set_refused_by_staff_says_until_when_it_can_be_corrected(
    app, attorney_client, make_staff
):
    from filings import notices

    staff = make_staff()
    original_id, _ = _refused_set(app, attorney_client)
    with app.app_context():
        db.session.execute(
            update(Filing)
            .where(Filing.id == original_id)
            .values(decided_by_id=staff.id, decided_at=db.utcnow(), decision_reason="No.")
        )
        db.session.commit()
        _, body = notices.staff_decision(db.session.get(Filing, original_id))
    assert "Serve a corrected set: " in body and "You can correct this set until" in body
    _age(app, original_id, 9)
    with app.app_context():
        _, body = notices.staff_decision(db.session.get(Filing, original_id))
    assert "correct=" not in body and "The time to correct this set closed on" in body
