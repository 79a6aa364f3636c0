"""Attorney identifiers: bar admissions and EOIR IDs, normalised so records can be compared."""

from __future__ import annotations

import re
import unicodedata

US_JURISDICTIONS = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "PR",
        "GU",
        "VI",
        "AS",
        "MP",
    ]
)


class IdentifierError(ValueError):
    pass


def normalise_bar_state(text: str | None) -> str | None:
    value = (text or "").strip().upper()
    if not value:
        return None
    if value not in US_JURISDICTIONS:
        raise IdentifierError(
            f"“{value[:10]}” is not a U.S. state or territory code (e.g. NY, CA, DC)."
        )
    return value


_BAR_SEPARATORS = re.compile(r"[\s\-.\u2010\u2011\u2013\u2014/]")
_STATE_PREFIX = re.compile(r"^([A-Z]{2})([\s\-.\u2010\u2011\u2013\u2014/]*)(.*)$")


def normalise_bar_number(text: str | None, state: str | None = None) -> str | None:
    """A bar number as registers write it, reduced to one form so two writings compare equal.

    ``GA-448812``, ``ga 448 812``, ``448812`` and ``0448812`` (admitted in GA) -> ``"448812"``:
    full-width characters made ASCII, spaces, dashes, dots and slashes dropped, upper case; the
    admission's own state code in front dropped (a number only means something within its
    state, which is kept beside it); the leading zeros of an all-digit number dropped (registers
    pad numbers to different widths). Letters within are kept (Michigan's ``P12345``). Another
    state's code in front of the digits is an error: the number and the state disagree.
    """
    upper = unicodedata.normalize("NFKC", text or "").strip().upper()
    prefix = _STATE_PREFIX.match(upper)
    if prefix and prefix.group(3):
        code, separator, rest = prefix.groups()
        rest_compact = _BAR_SEPARATORS.sub("", rest)
        if state and code == state and (separator or rest_compact.isdigit()):
            upper = rest
        elif code in US_JURISDICTIONS and code != state and rest_compact.isdigit() and state:
            raise IdentifierError(
                f"The bar number begins with {code}, but the admission is in {state}: "
                "choose the state that admitted you, or give the number without the prefix."
            )
    value = _BAR_SEPARATORS.sub("", upper)
    if not value:
        return None
    if not re.fullmatch(r"[A-Z0-9]{1,32}", value):
        raise IdentifierError("A bar number may contain only letters and digits.")
    if value.isdigit():
        value = value.lstrip("0")
        if not value:
            raise IdentifierError("A bar number cannot be all zeros.")
    return value


def normalise_eoir_id(text: str | None) -> str | None:
    value = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text or "")).upper()
    if not value:
        return None
    if not re.fullmatch(r"[A-Z0-9]{6,12}", value):
        raise IdentifierError("An EOIR ID is 6 to 12 letters and digits (e.g. XY123456).")
    return value


def match_kind(
    attorney: tuple[str | None, str | None, str | None],
    record: tuple[str | None, str | None, str | None],
) -> str | None:
    """How an appearance record matches an attorney, or None.

    Both are (eoir_id, bar_state, bar_number). An EOIR ID is the stronger match, so it is
    named first when both agree.
    """
    a_eoir, a_state, a_number = attorney
    r_eoir, r_state, r_number = record
    by_eoir = bool(a_eoir and r_eoir and a_eoir == r_eoir)
    by_bar = bool(a_state and a_number and a_state == r_state and a_number == r_number)
    if by_eoir and by_bar:
        return "EOIR ID and bar admission"
    if by_eoir:
        return "EOIR ID"
    if by_bar:
        return "bar admission"
    return None
