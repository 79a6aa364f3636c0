"""The verification queue's lists with their counts; the register form's error summary with
one linked error per bad A-Number line and specific words for every empty field."""

from __future__ import annotations

import re

from registration.models import RegistrationState
from tests.helpers import post_form
from tests.registration.flows import FORM

# Registrations made before attorneys named an office are listed under all offices.
ALL = "/staff/registrations?office=all"


def test_queue_counts_and_filters_by_e28_evidence(app, staff_client, make_attorney):
    state = RegistrationState.PENDING_REVIEW
    make_attorney("match@firm.example", state=state, full_name="Matched Attorney")
    make_attorney(
        "nomatch@firm.example",
        state=state,
        eoir_id="NM123456",
        appearance=False,
        full_name="Unmatched Attorney",
        a_numbers=("099999999",),
    )
    page = staff_client.get(ALL).get_data(as_text=True)
    assert "All waiting (2)" in page and "An E-28 record matches (1)" in page
    assert "No E-28 record matches (1)" in page and "held by another account (0)" in page
    matched = staff_client.get(f"{ALL}&show=matched").get_data(as_text=True)
    assert "Matched Attorney" in matched and "Unmatched Attorney" not in matched
    unmatched = staff_client.get(f"{ALL}&show=unmatched").get_data(as_text=True)
    assert "Unmatched Attorney" in unmatched and "Matched Attorney" not in unmatched
    held = staff_client.get(f"{ALL}&show=held").get_data(as_text=True)
    assert 'id="queue-empty"' in held
    odd = staff_client.get(f"{ALL}&show=bogus").get_data(as_text=True)
    assert "Unmatched Attorney" in odd and "Matched Attorney" in odd


def test_each_bad_a_number_line_is_its_own_linked_error_beside_the_field(app, client):
    response = post_form(
        client,
        "/register",
        {**FORM, "eoir_id": "MA123456", "a_numbers": "A012345678\nA12-345\n12345678\nfoo"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = page[
        page.index('id="error-summary"') : page.index("</ul>", page.index("error-summary"))
    ]
    links = re.findall(r'<a href="#a_numbers">([^<]+)</a>', summary)
    assert links == [
        "Line 2: “A12-345” is not an A-Number: it has 5 digits, and an A-Number has 8 or 9.",
        "Line 3: A012-345-678 is listed twice (also on line 1); list each A-Number once.",
        "Line 4: “foo” is not an A-Number: it must be 8 or 9 digits, optionally after an “A” "
        "(for example A012-345-678).",
    ]
    assert page.count('class="usa-error-message" id="a_numbers-error') == 3
    assert 'aria-invalid="true"' in page and "a_numbers-error-2" in page


def test_an_empty_register_form_names_every_field_in_its_own_words(app, client):
    empty = {k: "" for k in FORM}
    page = post_form(client, "/register", empty).get_data(as_text=True)
    assert "This field is required" not in page
    for words in (
        "Give your full name.",
        "Give your e-mail address.",
        "Choose a password.",
        "Type the password again.",
        "Give a phone number OCC staff can call.",
        "Give your mailing address.",
        "List at least one A-Number, one per line.",
        "Choose the OCC field office where most of your cases are.",
    ):
        assert f">{words}</a>" in page, words
