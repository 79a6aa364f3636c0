"""A verified attorney asks to add A-Numbers; staff weigh the E-28 records and decide; the
right to serve still comes only from a record."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from registration.models import ANumberRequest, ClaimedANumber, RequestState
from tests.helpers import EOIR_ID, post_form, row_count, serve_form
from tests.pdfs import pdf_bytes
from tests.registration.flows import staff

PAGE = "/registration/a-numbers"


def _request(client, text):
    return post_form(client, PAGE, {"a_numbers": text})


def _only_request(app) -> ANumberRequest:
    with app.app_context():
        [request] = db.session.scalars(select(ANumberRequest)).all()
        _ = request.items
        return request


def _add_record(desk, a_number, eoir_id=EOIR_ID, name="Lee Lawyer"):
    post_form(
        desk,
        "/staff/appearances/new",
        {
            "a_number": a_number,
            "attorney_name": name,
            "bar_state": "",
            "bar_number": "",
            "eoir_id": eoir_id,
            "filed_on": "2025-09-01",
        },
    )


def test_each_bad_line_is_its_own_error_and_nothing_is_stored(app, attorney_client):
    status = attorney_client.get("/registration").get_data(as_text=True)
    assert 'id="add-a-numbers"' in status
    response = _request(attorney_client, "A022222222\nA12\nA033333333, bogus\nA-012-345-678")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('class="usa-error-message"') == 2
    assert "Line 2: “A12” is not an A-Number" in page
    assert "Line 3: “bogus” is not an A-Number" in page
    already = _request(attorney_client, "A022222222\nA012345678")
    assert "A012-345-678 is already on your list." in already.get_data(as_text=True)
    assert row_count(app, ANumberRequest) == 0


def test_only_verified_attorneys_may_ask(app, client, make_attorney):
    from registration.models import RegistrationState
    from tests.helpers import login

    make_attorney("new@law.example", state=RegistrationState.PENDING_REVIEW, eoir_id="NW123456")
    login(client, "new@law.example")
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, data={"a_numbers": "A022222222"}).status_code in (400, 404)


def test_grant_with_a_matching_record_gives_the_right_to_serve(
    app, attorney_client, make_staff, outbox
):
    desk = staff(app, make_staff)
    _add_record(desk, "A022222222")  # an E-28 naming Lee Lawyer's EOIR ID
    assert _request(attorney_client, "A-022-222-222").status_code == 302
    request = _only_request(app)
    queue = desk.get("/staff/registrations").get_data(as_text=True)
    assert "1 waiting" in queue
    assert "Lee Lawyer" in desk.get("/staff/a-number-requests").get_data(as_text=True)
    page = desk.get(f"/staff/a-number-requests/{request.id}").get_data(as_text=True)
    assert "Matches:</strong> same EOIR ID" in page and "A022-222-222" in page
    granted = post_form(
        desk, f"/staff/a-number-requests/{request.id}", {"decision": "grant", "reason": ""}
    )
    assert granted.status_code == 302
    assert _only_request(app).state == RequestState.GRANTED
    mail = outbox()[-1]
    assert mail["Subject"] == "Your A-Numbers were added on OCC eService"
    assert "A022-222-222: E-28 on record: you can serve on it" in mail.get_content()
    with app.app_context():
        listed = set(db.session.scalars(select(ClaimedANumber.a_number)))
    assert "022222222" in listed
    served = serve_form(attorney_client, [(pdf_bytes(), "m.pdf")], a_number="A022222222")
    assert served.status_code == 303
    status = attorney_client.get("/registration").get_data(as_text=True)
    assert "Granted" in status
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "a_number_request.create" in actions and "a_number_request.granted" in actions


def test_a_grant_without_a_record_needs_a_reason_and_gives_no_right_by_itself(
    app, attorney_client, make_attorney, make_staff, outbox
):
    # Another attorney's client: the request carries no record naming Lee Lawyer.
    make_attorney("victim@law.example", eoir_id="VC123456", a_numbers=("055555555",))
    desk = staff(app, make_staff)
    _request(attorney_client, "A055555555")
    request = _only_request(app)
    page = desk.get(f"/staff/a-number-requests/{request.id}").get_data(as_text=True)
    assert "record of another attorney (EOIR ID VC123456)" in page
    no_reason = post_form(
        desk, f"/staff/a-number-requests/{request.id}", {"decision": "grant", "reason": ""}
    )
    assert no_reason.status_code == 422
    assert "No E-28 record names this attorney for A055-555-555" in no_reason.get_data(as_text=True)
    assert _only_request(app).state == RequestState.PENDING
    post_form(
        desk,
        f"/staff/a-number-requests/{request.id}",
        {"decision": "grant", "reason": "Attorney says the E-28 is in the mail"},
    )
    assert _only_request(app).state == RequestState.GRANTED
    assert "no E-28 record yet" in outbox()[-1].get_content()
    refused = serve_form(attorney_client, [(pdf_bytes(), "m.pdf")], a_number="A055555555")
    assert refused.status_code == 422  # listed, but no record names them


def test_a_grant_with_the_e28_date_adds_the_record(app, attorney_client, make_staff):
    desk = staff(app, make_staff)
    _request(attorney_client, "A066666666\nA077777777")
    request = _only_request(app)
    post_form(
        desk,
        f"/staff/a-number-requests/{request.id}",
        {
            "decision": "grant",
            "reason": "E-28s received at the Atlanta window",
            "e28_filed_on": "2025-10-01",
        },
    )
    assert _only_request(app).state == RequestState.GRANTED
    for number in ("A066666666", "A077777777"):
        served = serve_form(attorney_client, [(pdf_bytes(), "m.pdf")], a_number=number)
        assert served.status_code == 303
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions.count("appearance.add") == 2


def test_refusal_needs_a_reason_and_the_attorney_is_told(app, attorney_client, make_staff, outbox):
    desk = staff(app, make_staff)
    _request(attorney_client, "A088888888")
    request = _only_request(app)
    no_reason = post_form(
        desk, f"/staff/a-number-requests/{request.id}", {"decision": "refuse", "reason": " "}
    )
    assert no_reason.status_code == 422 and "Give the reason for refusing" in no_reason.get_data(
        as_text=True
    )
    post_form(
        desk,
        f"/staff/a-number-requests/{request.id}",
        {"decision": "refuse", "reason": "No E-28 of yours on this case"},
    )
    assert _only_request(app).state == RequestState.REFUSED
    mail = outbox()[-1]
    assert mail["Subject"] == "Your request to add A-Numbers was refused"
    assert "No E-28 of yours on this case" in mail.get_content()
    again = post_form(
        desk, f"/staff/a-number-requests/{request.id}", {"decision": "grant", "reason": "x"}
    )
    assert again.status_code == 422
    assert "not waiting for a decision" in again.get_data(as_text=True)


def test_staff_pages_of_requests_are_for_staff_only(app, attorney_client):
    _request(attorney_client, "A088888888")
    request = _only_request(app)
    assert attorney_client.get("/staff/a-number-requests").status_code == 404
    assert attorney_client.get(f"/staff/a-number-requests/{request.id}").status_code == 404
