"""The rules for a new password (NIST SP 800-63B): length, blocklists, no composition rules."""

from __future__ import annotations

import pytest

from app.password_rules import password_problem


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Kyrie eleison, Δ lamps at noon",  # any script, spaces and punctuation
        "tnemucod revres 4 eno",
        "x" * 3 + "7 unrelated wörds",
    ],
)
def test_long_unusual_passwords_pass_without_composition_rules(password):
    assert password_problem(password) is None


def test_length_depends_on_a_second_factor():
    assert "at least 15" in (password_problem("zq8#Lm2p-Wv4") or "")
    assert password_problem("zq8#Lm2p", has_second_factor=True) is None
    assert "at least 8" in (password_problem("zq8#Lm2", has_second_factor=True) or "")
    assert "at most 200" in (password_problem("a unique phrase " * 20) or "")


def test_length_counts_characters_after_normalising():
    # "é" typed as e + combining accent is one character, as it is when typed precomposed.
    assert "at least 15" in (password_problem("caf" + "e\u0301" + " au lait x") or "")
    assert password_problem("caf" + "e\u0301" + " au lait, merci") is None


@pytest.mark.parametrize(
    ("password", "second_factor"),
    [
        ("password12345678", False),
        ("iloveyou1234567", False),
        ("qwertyuiopasdfgh", False),
        ("Password1234567", False),  # a list entry with one capital is still that entry
        ("qwerty12", True),
        ("password", True),
        ("baseball1", True),
    ],
)
def test_common_and_breached_passwords_are_refused(password, second_factor):
    problem = password_problem(password, has_second_factor=second_factor)
    assert problem and "common or breached" in problem


@pytest.mark.parametrize(
    "password",
    ["zzzzzzzzzzzzzzzzzz", "1212121212121212", "abcdefghijklmnopqrst", "98765432109876543210"[:16]],
)
def test_runs_and_sequences_are_refused(password):
    assert password_problem(password) is not None


def test_the_accounts_own_words_are_refused():
    context = ["maria.lopez@law.example", "Maria Lopez", "Lopez & Partners"]
    assert "name" in (password_problem("Maria.Lopez2026!!", context=context) or "")
    assert "name" in (password_problem("OCC-eService-2026!!", context=context) or "")
    assert password_problem("Maria walks to the harbour", context=context) is None
