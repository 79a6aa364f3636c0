"""Names of people and firms: what may be typed, and a key to compare names written differently.

Letters of any script are welcome (with their accents and combining marks); beyond those, a
person's name may hold spaces, apostrophes, hyphens, periods and commas, and a firm's name
also ampersands and digits ("Smith & Jones", "1st Street Legal Clinic"). Anything else (angle
brackets, quotes, emoji, control and direction-changing characters) is refused with a message
naming the character.
"""

from __future__ import annotations

import unicodedata

MAX_PERSON_NAME = 100
MAX_FIRM_NAME = 150

_APOSTROPHES = "'\u2019\u02bc"  # typewriter, typographic, modifier letter
_HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen
# Zero-width (non-)joiners are part of the spelling of names in Persian and Indic scripts.
_JOINERS = "\u200c\u200d"
_PERSON_EXTRA = frozenset(" .," + _APOSTROPHES + _HYPHENS + _JOINERS)
_FIRM_EXTRA = _PERSON_EXTRA | frozenset("&")
# Words that do not tell two attorneys apart when names are compared.
_IGNORED_WORDS = frozenset({"esq", "esquire", "attorney", "atty"})


class NameProblem(ValueError):
    """The name cannot be accepted; the message says why."""


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in ("L", "M")


def _clean(text: str | None, what: str, maximum: int, extra: frozenset[str], digits: bool) -> str:
    value = " ".join(unicodedata.normalize("NFC", text or "").split())
    if len(value) > maximum:
        raise NameProblem(f"{what} may be at most {maximum} characters; this one has {len(value)}.")
    for ch in value:
        if _is_letter(ch) or ch in extra or (digits and ch.isdecimal()):
            continue
        shown = ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"
        allowed = "letters, spaces, apostrophes, hyphens, periods and commas"
        if digits:
            allowed = "letters, digits, spaces, apostrophes, hyphens, periods, commas and “&”"
        raise NameProblem(f"{what} may contain only {allowed}; “{shown}” is not allowed.")
    return value


def clean_person_name(text: str | None) -> str:
    """A person's full name with its spaces tidied, or NameProblem."""
    value = _clean(text, "A name", MAX_PERSON_NAME, _PERSON_EXTRA, digits=False)
    if sum(1 for ch in value if unicodedata.category(ch)[0] == "L") < 2:
        raise NameProblem("Enter your full name (at least two letters).")
    return value


def clean_firm_name(text: str | None) -> str:
    """A firm or organisation name with its spaces tidied ("" when none), or NameProblem."""
    value = _clean(text, "A firm name", MAX_FIRM_NAME, _FIRM_EXTRA, digits=True)
    if value and not any(unicodedata.category(ch)[0] == "L" for ch in value):
        raise NameProblem("A firm name needs at least one letter.")
    return value


def name_key(name: str | None) -> str:
    """A key under which ``Dana Demo, Esq.``, ``DEMO, Dana`` and ``Dana Démo`` are the same.

    Accents and case dropped, punctuation made space, titles such as "Esq." left out, and the
    words sorted (registers write surname first or last).
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(
        ch if unicodedata.category(ch)[0] in ("L", "N") else " "
        for ch in decomposed
        if unicodedata.category(ch)[0] != "M"
    )
    words = [w for w in letters.casefold().split() if w not in _IGNORED_WORDS]
    return " ".join(sorted(words))[:200]
