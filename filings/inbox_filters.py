"""What an inbox list asks for (view, state, sort, search), read from a query string.

Pure: no Flask, no database. Every bad value is a message for its field; nothing else is
guessed, so a list is never silently wider or narrower than the staff member asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from registration.anumbers import ANumberError, normalise_a_number

VIEWS: dict[str, str] = {
    "new": "New (served, not claimed)",
    "mine": "Claimed by me",
    "all": "All",
}
SORTS: dict[str, str] = {
    "urgent": "Most urgent: detained first, then nearest hearing",
    "newest": "Newest received first",
    "oldest": "Oldest received first",
    "hearing": "Nearest hearing first",
}
# The states a set in the inbox can be in, in the order staff read them.
STATES: tuple[str, ...] = ("served", "held", "accepted", "rejected", "refused")
# The query-string keys a list is made of (cursors apart): kept when paging and when opening a
# filing, so "previous / next in this list" walks the same list.
LIST_KEYS: tuple[str, ...] = (
    "view",
    "state",
    "sort",
    "receipt",
    "a_number",
    "attorney",
    "title",
    "received_from",
    "received_to",
)
MAX_TEXT = 100


@dataclass(frozen=True)
class InboxFilters:
    view: str = "all"
    state: str | None = None
    sort: str = "urgent"
    receipt: str | None = None
    a_number: str | None = None  # nine digits: the lead's, or a rider's of a family
    attorney: str | None = None  # lower case
    title_words: tuple[str, ...] = ()  # lower case
    received_from: date | None = None  # office-local dates, inclusive
    received_to: date | None = None

    @property
    def searching(self) -> bool:
        return any(
            (
                self.state,
                self.receipt,
                self.a_number,
                self.attorney,
                self.title_words,
                self.received_from,
                self.received_to,
            )
        )


@dataclass
class ParsedFilters:
    filters: InboxFilters
    errors: dict[str, str] = field(default_factory=dict)
    # What was typed, to show back in the form.
    typed: dict[str, str] = field(default_factory=dict)


def _date(text: str, label: str, errors: dict[str, str], key: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[key] = f"“{text[:20]}” is not a date: write the {label} as YYYY-MM-DD."
        return None


def _text(typed: dict[str, str], key: str, errors: dict[str, str]) -> str:
    value = " ".join(typed[key].split())
    if len(value) > MAX_TEXT:
        errors[key] = f"Search with at most {MAX_TEXT} characters."
        return ""
    return value


def parse(args: Mapping[str, str]) -> ParsedFilters:
    """The list the query string asks for, and a message for each field it got wrong.

    With nothing asked, the new work; a search or a state without a view looks through all.
    """
    typed = {key: (args.get(key) or "").strip() for key in LIST_KEYS}
    errors: dict[str, str] = {}
    asked = any(typed[key] for key in LIST_KEYS if key not in ("view", "sort"))
    view = typed["view"] if typed["view"] in VIEWS else ("all" if asked else "new")
    state = typed["state"] if typed["state"] in STATES else None
    sort = typed["sort"] if typed["sort"] in SORTS else "urgent"
    a_number = None
    if typed["a_number"]:
        try:
            a_number = normalise_a_number(typed["a_number"])
        except ANumberError as exc:
            errors["a_number"] = str(exc)
    receipt = _text(typed, "receipt", errors).replace(" ", "").upper() or None
    attorney = _text(typed, "attorney", errors).lower() or None
    title_words = tuple(dict.fromkeys(_text(typed, "title", errors).lower().split()))
    received_from = _date(typed["received_from"], "first day", errors, "received_from")
    received_to = _date(typed["received_to"], "last day", errors, "received_to")
    if received_from and received_to and received_to < received_from:
        errors["received_to"] = "The last day must be on or after the first day."
    filters = InboxFilters(
        view=view,
        state=state,
        sort=sort,
        receipt=receipt,
        a_number=a_number,
        attorney=attorney,
        title_words=title_words,
        received_from=received_from,
        received_to=received_to,
    )
    typed["view"], typed["sort"], typed["state"] = view, sort, state or ""
    return ParsedFilters(filters, errors, typed)


def list_args(typed: Mapping[str, str]) -> dict[str, str]:
    """The non-empty list keys of a query string: what a link back to the same list carries."""
    return {key: typed[key] for key in LIST_KEYS if typed.get(key)}
