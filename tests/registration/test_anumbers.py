"""A-Numbers in the forms people write them."""

import pytest

from registration.anumbers import (
    ANumberError,
    format_a_number,
    normalise_a_number,
    parse_a_number_list,
)


@pytest.mark.parametrize(
    "text",
    [
        "A012345678",
        "A-012-345-678",
        "a012 345 678",
        "12345678",
        "012345678",
        "A12345678",
        " A012.345.678 ",
        "A 012-345-678",
        "A０１２－３４５－６７８",
    ],
)
def test_written_forms_become_nine_digits(text):
    assert normalise_a_number(text) == "012345678"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "Enter an A-Number"),
        ("A1234567", "8 or 9 digits"),
        ("A0123456789", "8 or 9 digits"),
        ("B012345678", "8 or 9 digits"),
        ("A01234567X", "8 or 9 digits"),
        ("A٠١٢٣٤٥٦٧٨", "8 or 9 digits"),  # other scripts' digits are not taken as ASCII
        ("000000000", "all zeros"),
        ("AA012345678", "8 or 9 digits"),
    ],
)
def test_anything_else_is_a_clear_error(text, why):
    with pytest.raises(ANumberError, match=why):
        normalise_a_number(text)


def test_list_parsing_keeps_order_drops_duplicates_and_reports_each_error():
    numbers, errors = parse_a_number_list("A012345678\n12345678, A-087-654-321; bad\n\nA1")
    assert numbers == ["012345678", "087654321"]
    assert len(errors) == 2 and "“bad”" in errors[0] and "“A1”" in errors[1]


def test_format_matches_eoir_notices():
    assert format_a_number("012345678") == "A012-345-678"
