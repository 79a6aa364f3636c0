"""The rule for correcting a refused set: the attorney's own set, refused, not corrected yet,
within the correction window (ESERVICE_CORRECTION_DAYS after it was received). Pure: the
filings and the time are given; the words are the serve page's, the API's and the e-mails'."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.display import local_time
from filings.models import Filing, FilingStatus


def closes_at(original: Filing, days: int) -> datetime:
    """When the window to correct ``original`` closes: ``days`` after it was received."""
    return original.received_at + timedelta(days=days)


def closes_in_words(original: Filing, days: int) -> str:
    """The end of the window in the office's time first, as every time the attorney reads."""
    return local_time(closes_at(original, days), original.office)


def is_open(original: Filing, days: int, now: datetime) -> bool:
    return now < closes_at(original, days)


def refusal(
    attorney_id: int,
    original: Filing | None,
    corrected_by: Filing | None,
    *,
    days: int,
    now: datetime,
) -> str | None:
    """Why ``original`` cannot be corrected now by this attorney, or None when it can.
    ``corrected_by``: a set that corrects it already, if any."""
    if (
        original is None
        or original.attorney_id != attorney_id
        or original.status != FilingStatus.REFUSED
    ):
        # The same words whoever's set it is: nothing about another attorney's sets.
        return "Only a set of yours that was refused can be corrected; that one was not found."
    if corrected_by is not None:
        return (
            f"{original.receipt_number} was corrected already, by "
            f"{corrected_by.receipt_number}. Serve a new set instead (not linked to it)."
        )
    if not is_open(original, days, now):
        return (
            f"The time to correct {original.receipt_number} closed on "
            f"{closes_in_words(original, days)}, {days} days after it was received. Serve a "
            "new set instead (not linked to it)."
        )
    return None
