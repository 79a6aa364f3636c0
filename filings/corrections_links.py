"""What a filing's pages (the attorney's and the staff's) show about its family and its
corrections: every A-Number of the set, the refused set it corrects, the sets that correct it,
and, for a refused set, until when it can be corrected. Read by _family_links.html."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.display import local_time
from app.users import User
from filings import corrections, services
from filings.families import family_a_numbers
from filings.models import Filing, FilingStatus
from registration.anumbers import format_a_number


@dataclass(frozen=True)
class Link:
    """Another set of the chain: its receipt number, its id when the reader may open it (None:
    say its number only), and what happened to it, in words."""

    receipt_number: str
    filing_id: str | None
    what: str
    problems: list[str] = field(default_factory=list)  # staff: what was refused, in words


@dataclass(frozen=True)
class FamilyLinks:
    a_numbers: list[str]  # formatted, the lead's first
    # Staff, on a set served on a self-declared E-28: the A-Numbers (formatted) with no E-28
    # record naming the attorney (yet).
    unrecorded: set[str]
    corrects: Link | None
    corrected_by: list[Link]
    # A refused set: whether it can be corrected now, and when that window closes (closed).
    correction_open: bool | None
    correction_closes: str | None

    @property
    def riders(self) -> list[str]:
        return self.a_numbers[1:]


def _refused_words(filing: Filing) -> str:
    at = filing.decided_at or filing.checked_at or filing.received_at
    by = f"by {filing.office.name}" if filing.decided_by_id else "by the checks"
    return f"refused {by} on {local_time(at, filing.office)}"


def _link(other: Filing, reader: User, staff: bool, what: str) -> Link:
    can_open = services.staff_can_see(reader, other) if staff else other.attorney_id == reader.id
    # Staff cannot open a refused set; they read what was refused, of their own office's only.
    own_office = staff and other.office_id == reader.office_id
    problems = [p["message"] for p in other.problems or []] if own_office and not can_open else []
    return Link(other.receipt_number, other.id if can_open else None, what, problems)


def family_links(filing: Filing, reader: User) -> FamilyLinks:
    """The family and correction links of ``filing`` as ``reader`` (its attorney, or staff of
    its office) may see them."""
    staff = bool(reader.is_staff)
    corrects = None
    if filing.corrects is not None:
        corrects = _link(filing.corrects, reader, staff, _refused_words(filing.corrects))
    later = [
        _link(f, reader, staff, f"received {local_time(f.received_at, f.office)}")
        for f in corrections.corrected_by(filing)
    ]
    riders = [r.a_number for r in filing.riders]
    unrecorded = set()
    if staff and filing.self_declared_e28:
        every = [filing.a_number, *riders]
        unrecorded = {
            format_a_number(n) for n in every if not services.e28_on_record(filing.attorney, n)
        }
    is_open = closes = None
    if filing.status == FilingStatus.REFUSED and not staff and not later:
        is_open, closes = corrections.window_words(filing)
    return FamilyLinks(
        a_numbers=family_a_numbers(filing.a_number, riders),
        unrecorded=unrecorded,
        corrects=corrects,
        corrected_by=later,
        correction_open=is_open,
        correction_closes=closes,
    )
