"""Families and corrections through the API: repeated ``rider_a_numbers`` fields and the
``corrects`` field (a refused filing's id) on POST /api/v1/filings, with the same rules and
words as the serve page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app import db
from filings.models import Filing, FilingStatus
from filings.tokens import create_token
from tests.helpers import api_post, row_count
from tests.pdfs import pdf_bytes, pdf_with_javascript

LEAD, SPOUSE, CHILD = "012345678", "087654321", "023456789"


def _token(app, make_attorney, email: str = "lawyer@firm.example", **kwargs) -> str:
    user = make_attorney(email, **kwargs)
    with app.app_context():
        return create_token(db.session.get(type(user), user.id), "tests")


def test_riders_as_repeated_fields_are_served_and_answered(app, client, make_attorney):
    token = _token(app, make_attorney, a_numbers=(LEAD, SPOUSE, CHILD))
    response = api_post(
        client, token, [(pdf_bytes(), "m.pdf")], rider_a_numbers=["A087-654-321", "23456789"]
    )
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["rider_a_numbers"] == [SPOUSE, CHILD]
    assert answer["a_numbers"] == [LEAD, SPOUSE, CHILD]
    # One field may hold several, as the form's box does.
    both = api_post(
        client, token, [(pdf_bytes(), "n.pdf")], rider_a_numbers="A087654321, A023456789"
    )
    assert both.status_code == 201 and both.get_json()["rider_a_numbers"] == [SPOUSE, CHILD]


def test_bad_riders_are_422_each_named_on_the_field(app, client, make_attorney):
    token = _token(app, make_attorney, a_numbers=(LEAD, SPOUSE))
    response = api_post(
        client,
        token,
        [(pdf_bytes(), "m.pdf")],
        rider_a_numbers=["A12", LEAD, SPOUSE, SPOUSE, "A098-765-432"],
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert all(e["field"] == "rider_a_numbers" for e in errors)
    messages = [e["message"] for e in errors]
    assert any("“A12” is not an A-Number" in m for m in messages)
    assert any("A012-345-678 is the lead A-Number" in m for m in messages)
    assert any("A087-654-321 is listed twice" in m for m in messages)
    assert any("no E-28 on record for A-Number A098-765-432" in m for m in messages)
    assert row_count(app, Filing) == 0


def test_corrects_links_a_refused_set_and_refuses_others(app, client, make_attorney):
    token = _token(app, make_attorney)
    refused = api_post(client, token, [(pdf_with_javascript(), "bad.pdf")])
    assert refused.status_code == 201
    original = refused.get_json()["id"]
    with app.app_context():
        assert db.session.get(Filing, original).status == FilingStatus.REFUSED

    fixed = api_post(client, token, [(pdf_bytes(), "good.pdf")], corrects=original)
    assert fixed.status_code == 201, fixed.get_json()
    answer = fixed.get_json()
    assert answer["corrects"]["id"] == original
    assert answer["corrects"]["receipt_number"] == refused.get_json()["receipt_number"]

    # Corrected once: a second correction is refused, saying by which set.
    again = api_post(client, token, [(pdf_bytes(), "again.pdf")], corrects=original)
    assert again.status_code == 422
    [error] = again.get_json()["errors"]
    assert error["field"] == "corrects" and "was corrected already, by" in error["message"]

    # A served set, an unknown id and another attorney's refused set: the same words.
    other = _token(
        app, make_attorney, "other@firm.example", eoir_id="LW999999", a_numbers=(SPOUSE,)
    )
    theirs = api_post(client, other, [(pdf_with_javascript(), "x.pdf")], a_number=SPOUSE)
    for target in (fixed.get_json()["id"], "no-such-set", theirs.get_json()["id"]):
        wrong = api_post(client, token, [(pdf_bytes(), "w.pdf")], corrects=target)
        assert wrong.status_code == 422
        assert wrong.get_json()["errors"][0]["message"].startswith(
            "Only a set of yours that was refused can be corrected"
        )
    with app.app_context():
        linked = db.session.scalars(select(Filing).where(Filing.corrects_id.is_not(None)))
        assert [f.id for f in linked] == [answer["id"]]


def test_corrects_past_the_window_is_refused_with_the_date(app, client, make_attorney):
    token = _token(app, make_attorney)
    original = api_post(client, token, [(pdf_with_javascript(), "bad.pdf")]).get_json()
    with app.app_context():
        at = db.session.get(Filing, original["id"]).received_at
        db.session.execute(
            update(Filing)
            .where(Filing.id == original["id"])
            .values(received_at=at - timedelta(days=7, seconds=1))
        )
        db.session.commit()
    late = api_post(client, token, [(pdf_bytes(), "good.pdf")], corrects=original["id"])
    assert late.status_code == 422
    message = late.get_json()["errors"][0]["message"]
    assert message.startswith(f"The time to correct {original['receipt_number']} closed on ")
    assert "Serve a new set instead" in message
    assert row_count(app, Filing) == 1
