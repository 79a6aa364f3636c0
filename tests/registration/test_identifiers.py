"""Bar numbers, EOIR IDs and names: the pure rules that make two writings compare equal."""

from __future__ import annotations

import re

import pytest

from registration.identifiers import IdentifierError, normalise_bar_number, normalise_eoir_id
from registration.names import NameProblem, clean_firm_name, clean_person_name, name_key


@pytest.mark.parametrize(
    "text",
    ["GA-448812", "448812", "0448812", "ga 448 812", "GA.448.812", "GA 0448812", "４４８８１２"],
)
def test_one_georgia_bar_number_written_many_ways(text):
    assert normalise_bar_number(text, "GA") == "448812"


def test_letters_within_a_number_are_kept():
    assert normalise_bar_number("P-12345", "MI") == "P12345"
    assert normalise_bar_number("MI-P12345", "MI") == "P12345"
    assert normalise_bar_number("P012345", "MI") == "P012345"  # zeros after a letter mean something


def test_without_a_state_the_number_is_only_compacted():
    assert normalise_bar_number("12-345", None) == "12345"
    assert normalise_bar_number("  ", None) is None


@pytest.mark.parametrize(
    ("text", "state", "why"),
    [
        ("NY-12345", "GA", "begins with NY, but the admission is in GA"),
        ("000", "GA", "all zeros"),
        ("12#45", "GA", "only letters and digits"),
    ],
)
def test_bad_bar_numbers_are_clear_errors(text, state, why):
    with pytest.raises(IdentifierError, match=why):
        normalise_bar_number(text, state)


def test_eoir_ids_are_compacted_and_upper_case():
    assert normalise_eoir_id(" xy-123 456 ") == "XY123456"
    with pytest.raises(IdentifierError):
        normalise_eoir_id("!!")


@pytest.mark.parametrize(
    "name",
    ["María José O’Brien-Núñez", "李小龍", "Ngozi Okonkwo-Adeyemi, Jr.", "محمد عبد الله", "D'Arcy"],
)
def test_names_in_any_script_are_accepted(name):
    assert clean_person_name(name) == name


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Lee <script>", "“<” is not allowed"),
        ("Agent 007", "“0” is not allowed"),
        ("Lee\u202eLawyer", "U+202E"),
        ("L", "at least two letters"),
        ("A" * 101, "at most 100 characters"),
        ("Lee 😀", "“😀” is not allowed"),
    ],
)
def test_implausible_names_are_refused_naming_the_problem(name, why):
    with pytest.raises(NameProblem, match=re.escape(why)):
        clean_person_name(name)


def test_firm_names_may_have_ampersands_and_digits_but_not_markup():
    assert clean_firm_name("Smith  &  Jones, P.C.") == "Smith & Jones, P.C."
    assert clean_firm_name("1st Street Legal Clinic") == "1st Street Legal Clinic"
    assert clean_firm_name("") == ""
    with pytest.raises(NameProblem, match="“/” is not allowed"):
        clean_firm_name("Smith/Jones")
    with pytest.raises(NameProblem, match="at most 150"):
        clean_firm_name("F" * 151)


def test_name_key_ignores_order_case_accents_punctuation_and_titles():
    assert name_key("Dana Demo, Esq.") == name_key("DEMO, Dána") == "dana demo"
    assert name_key("O’Brien, Pat") == name_key("Pat O'Brien")
    assert name_key("Lee Lawyer") != name_key("Lee Lawyers")
