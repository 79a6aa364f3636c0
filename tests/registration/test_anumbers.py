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
        ("A1234567", "it has 7 digits, and an A-Number has 8 or 9"),
        ("A0123456789", "it has 10 digits, and an A-Number has 8 or 9"),
        ("A12-345", "“A12-345” is not an A-Number: it has 5 digits"),
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


def test_list_parsing_keeps_order_and_names_each_bad_line_and_each_repeat():
    numbers, errors = parse_a_number_list("A012345678\n12345678, A-087-654-321; bad\n\nA1")
    assert numbers == ["012345678", "087654321"]
    assert errors == [
        "Line 2: A012-345-678 is listed twice (also on line 1); list each A-Number once.",
        "Line 2: “bad” is not an A-Number: it must be 8 or 9 digits, optionally after an “A” "
        "(for example A012-345-678).",
        "Line 4: “A1” is not an A-Number: it has 1 digit, and an A-Number has 8 or 9.",
    ]


def test_a_repeat_on_the_same_line_is_named_too():
    _, errors = parse_a_number_list("A012345678, 012-345-678")
    assert errors == [
        "Line 1: A012-345-678 is listed twice (also earlier on this line); list each A-Number once."
    ]


def test_format_matches_eoir_notices():
    assert format_a_number("012345678") == "A012-345-678"
