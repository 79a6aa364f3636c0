"""A-Numbers: the forms people write them in, and the nine digits we store."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-.]")
_FORM = re.compile(r"^(?:A)?([0-9]{8,9})$", re.IGNORECASE)
_DIGITS_ONLY = re.compile(r"^(?:A)?([0-9]+)$", re.IGNORECASE)


class ANumberError(ValueError):
    """The text is not an A-Number; the message says why in words an attorney can act on."""


def normalise_a_number(text: str) -> str:
    """``A012345678``, ``A-012-345-678``, ``a 12345678`` and ``12345678`` -> ``"012345678"``."""
    raw = (text or "").strip()
    if not raw:
        raise ANumberError("Enter an A-Number.")
    # NFKC turns full-width digits and dashes (pasted from some keyboards) into ASCII ones.
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    match = _FORM.match(compact)
    if not match:
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        digits_only = _DIGITS_ONLY.match(compact)
        if digits_only:
            count = len(digits_only.group(1))
            raise ANumberError(
                f"“{shown}” is not an A-Number: it has {count} digit{'s' if count != 1 else ''}, "
                "and an A-Number has 8 or 9."
            )
        raise ANumberError(
            f"“{shown}” is not an A-Number: it must be 8 or 9 digits, optionally after an “A” "
            "(for example A012-345-678)."
        )
    digits = match.group(1).zfill(9)
    if digits == "000000000":
        raise ANumberError("An A-Number cannot be all zeros.")
    return digits


def parse_a_number_list(text: str) -> tuple[list[str], list[str]]:
    """Split a list typed one per line or separated by commas/semicolons.

    Returns (nine-digit A-Numbers in order, each once; one error message per bad item and per
    repeated A-Number, naming its line). A repeat is named because it often hides a typo in
    the number that was meant.
    """
    numbers: list[str] = []
    first_line: dict[str, int] = {}
    errors: list[str] = []
    for line_number, line in enumerate((text or "").splitlines(), start=1):
        for item in re.split(r"[,;]", line):
            if not item.strip():
                continue
            try:
                digits = normalise_a_number(item)
            except ANumberError as exc:
                errors.append(f"Line {line_number}: {exc}")
                continue
            if digits in first_line:
                where = first_line[digits]
                earlier = "earlier on this line" if where == line_number else f"on line {where}"
                errors.append(
                    f"Line {line_number}: {format_a_number(digits)} is listed twice (also "
                    f"{earlier}); list each A-Number once."
                )
                continue
            first_line[digits] = line_number
            numbers.append(digits)
    return numbers, errors


def format_a_number(digits: str) -> str:
    """``"012345678"`` -> ``"A012-345-678"``, the way it appears on EOIR notices."""
    return f"A{digits[:3]}-{digits[3:6]}-{digits[6:]}"
