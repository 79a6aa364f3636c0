"""Families: one document set served for a lead A-Number and the riders' A-Numbers (the
spouse's and children's cases heard with the lead's). Pure rules: no Flask, no database.

Riders are typed one per line or separated by commas, semicolons or spaces. Spaces inside one
A-Number (``A 012 345 678``) are allowed as everywhere else: a piece between commas or line ends
is one A-Number when it reads as one, and otherwise each word in it is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from registration.anumbers import ANumberError, format_a_number, normalise_a_number

# Immigration courts hear a family's cases together; twenty riders covers the largest
# families seen, and more is more likely a pasted list of unrelated cases.
MAX_RIDERS = 20
# The longest riders' text kept or parsed: enough for MAX_RIDERS written any way, with room.
MAX_TEXT = 2000
_PIECES = re.compile(r"[,;\n\r]+")


@dataclass
class Riders:
    """The riders as nine digits, in the order typed (each once), and a message for each bad
    one, each repeat, the lead given again, and too many."""

    a_numbers: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _words(piece: str) -> list[str]:
    """The A-Numbers a piece between separators holds: itself if it reads as one, else each
    of its words."""
    try:
        normalise_a_number(piece)
    except ANumberError:
        return piece.split()
    return [piece]


def split_riders(typed: Iterable[str]) -> list[str]:
    """Each A-Number as typed, from one text or several (the form's box, the API's fields)."""
    found: list[str] = []
    for text in typed:
        for piece in _PIECES.split(text or ""):
            if piece.strip():
                found += _words(piece.strip())
    return found


def parse_riders(typed: Iterable[str], lead: str | None) -> Riders:
    """The riders of a family served under ``lead`` (nine digits, or None when the lead's
    A-Number is not valid itself)."""
    result = Riders()
    text = "\n".join(typed)
    if len(text) > MAX_TEXT:
        result.errors.append(
            f"The riders' A-Numbers may be at most {MAX_TEXT} characters; a family may have at "
            f"most {MAX_RIDERS} riders."
        )
        return result
    for item in split_riders([text]):
        try:
            digits = normalise_a_number(item)
        except ANumberError as exc:
            result.errors.append(f"Rider: {exc}")
            continue
        if digits == lead:
            result.errors.append(
                f"{format_a_number(digits)} is the lead A-Number of this set; list only the "
                "other family members as riders."
            )
        elif digits in result.a_numbers:
            result.errors.append(
                f"{format_a_number(digits)} is listed twice as a rider; list each A-Number once."
            )
        else:
            result.a_numbers.append(digits)
    if len(result.a_numbers) > MAX_RIDERS:
        result.errors.append(
            f"A family set may have at most {MAX_RIDERS} riders; {len(result.a_numbers)} were "
            "given. Serve the others as another set."
        )
    return result


def family_a_numbers(lead: str, riders: Iterable[str]) -> list[str]:
    """Every A-Number of a set, the lead's first, formatted as on EOIR notices."""
    return [format_a_number(lead), *(format_a_number(r) for r in riders)]
