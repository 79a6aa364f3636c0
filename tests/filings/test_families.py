"""Families: one set served for a lead A-Number and the riders' A-Numbers, through the serve
form; every page, e-mail and JSON answer names each A-Number, and the inbox finds the set under
each of them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app import db
from app.users import User
from filings.families import MAX_RIDERS, parse_riders, split_riders
from filings.models import Filing, FilingRider, FilingStatus
from tests.helpers import PASSWORD, login, row_count, serve_form
from tests.pdfs import pdf_bytes

LEAD, SPOUSE, CHILD = "012345678", "087654321", "023456789"
STRANGER = "098765432"  # no E-28 record names the attorney for it


@pytest.fixture
def family_client(app, make_attorney):
    """A verified attorney with E-28 records for the lead, the spouse and the child."""
    make_attorney(a_numbers=(LEAD, SPOUSE, CHILD))
    client = app.test_client()
    login(client, "lawyer@firm.example", PASSWORD)
    return client


def _served_id(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def _refused(response) -> str:
    assert response.status_code == 422, response.status_code
    return response.get_data(as_text=True)


def _errors_of(page: str, field: str) -> list[str]:
    return re.findall(rf'<span class="usa-error-message" id="{field}-error[^"]*">([^<]*)<', page)


# --- the rules, as typed ------------------------------------------------------------------


def test_riders_are_split_on_lines_commas_and_spaces_but_not_inside_one_a_number():
    assert split_riders(["A087-654-321, A 023 456 789\n98765432 A011111111;"]) == [
        "A087-654-321",
        "A 023 456 789",
        "98765432",
        "A011111111",
    ]
    riders = parse_riders(["A087-654-321 23456789", "a087654321"], LEAD)
    assert riders.a_numbers == [SPOUSE, CHILD]
    assert riders.errors == ["A087-654-321 is listed twice as a rider; list each A-Number once."]
    assert parse_riders([""], LEAD).a_numbers == [] and parse_riders([], None).errors == []


def test_too_many_riders_and_too_much_text_say_the_limit():
    many = " ".join(f"A{n:09d}" for n in range(100000001, 100000001 + MAX_RIDERS + 1))
    riders = parse_riders([many], LEAD)
    assert riders.errors == [
        f"A family set may have at most {MAX_RIDERS} riders; {MAX_RIDERS + 1} were given. "
        "Serve the others as another set."
    ]
    assert (
        parse_riders(["A012345679 " * 300], LEAD)
        .errors[0]
        .startswith("The riders' A-Numbers may be at most")
    )


# --- through the serve form -----------------------------------------------------------------


def test_a_family_is_served_as_one_set_and_every_a_number_is_shown(
    app, family_client, staff_client, outbox
):
    filing_id = _served_id(
        serve_form(
            family_client, [(pdf_bytes(), "Motion.pdf")], rider_a_numbers="A087-654-321\n 23456789 "
        )
    )
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing.status == FilingStatus.SERVED and filing.a_number == LEAD
        assert [(r.a_number, r.position) for r in filing.riders] == [(SPOUSE, 1), (CHILD, 2)]
        assert not filing.self_declared_e28

    receipt = family_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    family = re.search(r'<ul[^>]*id="family-a-numbers">(.*?)</ul>', receipt, re.S)
    assert family, receipt
    assert re.findall(r"<li>([^<]*)</li>", family.group(1)) == [
        "A012-345-678 (lead)",
        "A087-654-321 (rider)",
        "A023-456-789 (rider)",
    ]
    notice = outbox()[-1]
    body = notice.get_body(preferencelist=("plain",)).get_content()
    assert "A-Numbers: A012-345-678 (lead); riders A087-654-321, A023-456-789" in body

    staff_page = staff_client.get(f"/staff/filings/{filing_id}").get_data(as_text=True)
    assert "A087-654-321 (rider)" in staff_page and "A023-456-789 (rider)" in staff_page
    # My filings names the riders beside the lead.
    mine = family_client.get("/filings").get_data(as_text=True)
    assert "riders A087-654-321, A023-456-789" in mine


def test_the_acknowledgement_json_lists_the_riders(app, family_client):
    from filings.tokens import create_token

    filing_id = _served_id(
        serve_form(family_client, [(pdf_bytes(), "m.pdf")], rider_a_numbers=f"{CHILD}")
    )
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "lawyer@firm.example"))
        token = create_token(user, "tests")
    answer = family_client.get(
        f"/api/v1/filings/{filing_id}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert answer["a_number"] == LEAD
    assert answer["rider_a_numbers"] == [CHILD]
    assert answer["a_numbers"] == [LEAD, CHILD]
    assert answer["corrects"] is None


def test_a_bad_rider_is_named_and_nothing_is_served_and_the_riders_are_kept(app, family_client):
    page = _refused(
        serve_form(
            family_client, [(pdf_bytes(), "m.pdf")], rider_a_numbers="A087-654-321, A12, hello"
        )
    )
    errors = _errors_of(page, "rider_a_numbers")
    assert len(errors) == 2, errors
    assert "“A12” is not an A-Number" in errors[0] and "“hello” is not an A-Number" in errors[1]
    assert 'href="#rider_a_numbers"' in page  # the error summary points at the box
    assert row_count(app, Filing) == 0 and row_count(app, FilingRider) == 0
    # The set in progress keeps what was typed: the box shows it again on the next visit.
    again = family_client.get("/filings/new").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*id="rider_a_numbers"[^>]*>\s*A087-654-321, A12, hello', again)


def test_the_lead_given_as_a_rider_is_refused(app, family_client):
    page = _refused(
        serve_form(family_client, [(pdf_bytes(), "m.pdf")], rider_a_numbers="A 012 345 678")
    )
    assert _errors_of(page, "rider_a_numbers") == [
        "A012-345-678 is the lead A-Number of this set; list only the other family members "
        "as riders."
    ]
    assert row_count(app, Filing) == 0


def test_a_repeated_rider_is_refused(app, family_client):
    page = _refused(
        serve_form(
            family_client, [(pdf_bytes(), "m.pdf")], rider_a_numbers="A087654321\n87-654-321"
        )
    )
    assert _errors_of(page, "rider_a_numbers") == [
        "A087-654-321 is listed twice as a rider; list each A-Number once."
    ]
    assert row_count(app, Filing) == 0


def test_more_riders_than_the_limit_are_refused(app, family_client):
    riders = "\n".join(f"A{n:09d}" for n in range(100000001, 100000001 + MAX_RIDERS + 1))
    page = _refused(serve_form(family_client, [(pdf_bytes(), "m.pdf")], rider_a_numbers=riders))
    assert f"at most {MAX_RIDERS} riders; {MAX_RIDERS + 1} were given" in page
    assert row_count(app, Filing) == 0


def test_a_rider_without_an_e28_on_record_is_refused_by_name(app, family_client):
    page = _refused(
        serve_form(
            family_client,
            [(pdf_bytes(), "m.pdf")],
            rider_a_numbers=f"{SPOUSE}, A098-765-432",
        )
    )
    assert _errors_of(page, "rider_a_numbers") == [
        "You have no E-28 on record for A-Number A098-765-432. Include your E-28 in this set "
        "(document type E-28) to serve on this case."
    ]
    assert 'data-code="no_e28_on_record"' in page
    assert row_count(app, Filing) == 0


def test_a_rider_without_an_e28_on_record_is_let_through_by_an_e28_in_the_set(
    app, family_client, staff_client
):
    filing_id = _served_id(
        serve_form(
            family_client,
            [(pdf_bytes(), "e28.pdf")],
            rider_a_numbers=STRANGER,
            includes_e28="y",
        )
    )
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert [r.a_number for r in filing.riders] == [STRANGER]
        # The lead has a record; the rider had none: served on the set's E-28, flagged.
        assert filing.self_declared_e28
    staff_page = staff_client.get(f"/staff/filings/{filing_id}").get_data(as_text=True)
    assert "self-declared E-28" in staff_page
    # Staff see which A-Number of the family has no record: the rider, not the lead.
    assert "<li>A098-765-432 (rider): no E-28 record names the attorney</li>" in staff_page
    assert "<li>A012-345-678 (lead)</li>" in staff_page
    # The attorney's own receipt does not carry staff's note.
    receipt = family_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert "<li>A098-765-432 (rider)</li>" in receipt


def test_the_inbox_finds_a_family_under_the_lead_and_each_rider(app, family_client, staff_client):
    family = _served_id(
        serve_form(
            family_client,
            [(pdf_bytes(), "m.pdf")],
            title="Family motion",
            rider_a_numbers=f"{SPOUSE} {CHILD}",
        )
    )
    alone = _served_id(
        serve_form(family_client, [(pdf_bytes(), "m.pdf")], title="Spouse alone", a_number=SPOUSE)
    )
    other = _served_id(
        serve_form(family_client, [(pdf_bytes(), "m.pdf")], title="Child alone", a_number=CHILD)
    )

    def found(a_number: str) -> set[str]:
        page = staff_client.get(f"/staff/inbox?a_number={a_number}").get_data(as_text=True)
        assert "is not an A-Number" not in page
        return set(re.findall(r'href="/staff/filings/([0-9a-f-]{36})', page))

    assert found("A012-345-678") == {family}
    assert found("A087-654-321") == {family, alone}
    assert found("23456789") == {family, other}
    assert found("A099-999-999") == set()
    listed = staff_client.get("/staff/inbox?a_number=A087-654-321").get_data(as_text=True)
    assert "riders A087-654-321, A023-456-789" in listed
    # Opening the set from a rider's search walks the same list (previous / next).
    from filings import inbox

    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff.atl@occ.example"))
        before, after = inbox.neighbours(staff, family, {"a_number": SPOUSE, "sort": "oldest"})
        assert (before, after) == (None, alone)
