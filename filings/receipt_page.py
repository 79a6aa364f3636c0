"""What the attorney's page of one filing shows, in words: its outcome, the filer, times in the
office's zone first, and each document with its type and size. Read by the page and the e-mails."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from app import db
from app.display import size_mb
from app.offices import Office
from app.users import User
from filings.families import family_a_numbers
from filings.models import Filing, FilingStatus
from filings.rules import document_type_label
from registration.anumbers import format_a_number
from registration.models import AttorneyProfile


def office_time(at: datetime, office: Office) -> str:
    """``November 23, 2026, 2:05:09 PM EST (19:05:09 UTC)``: the office's clock first, to the
    second, as proof of service needs (lists use app.display.local_time)."""
    local = at.astimezone(office.zone)
    hour = local.hour % 12 or 12
    utc = at.astimezone(UTC)
    return (
        f"{local:%B} {local.day}, {local.year}, {hour}:{local:%M:%S} "
        f"{'AM' if local.hour < 12 else 'PM'} {local.tzname()} ({utc:%H:%M:%S} UTC"
        f"{'' if utc.date() == local.date() else f' on {utc:%B} {utc.day}'})"
    )


@dataclass(frozen=True)
class Filer:
    name: str
    firm: str
    bar_admission: str | None  # "GA bar no. 448812"
    eoir_id: str | None

    @property
    def identifiers(self) -> str:
        """The filer's bar admission and EOIR ID, as many as are on record."""
        found = [x for x in (self.bar_admission, self.eoir_id and f"EOIR ID {self.eoir_id}") if x]
        return "; ".join(found) or "none on record"


def filer_of(filing: Filing) -> Filer:
    profile = db.session.get(AttorneyProfile, filing.attorney_id)
    bar = None
    if profile is not None and profile.bar_state and profile.bar_number:
        bar = f"{profile.bar_state} bar no. {profile.bar_number}"
    return Filer(
        name=filing.attorney.full_name,
        firm=profile.firm if profile is not None else "",
        bar_admission=bar,
        eoir_id=profile.eoir_id if profile is not None else None,
    )


@dataclass(frozen=True)
class Outcome:
    """The filing's state in words: what the page is headed and what it says happened."""

    served: bool  # proof of service (a receipt), or not
    heading: str
    summary: str


def outcome_of(filing: Filing) -> Outcome:
    office = filing.office.name
    status = filing.status
    if status == FilingStatus.RECEIVED:
        return Outcome(
            False,
            "Received: checking",
            "Your documents are received and stored. The checks have not finished yet; if they "
            f"pass, service on {office} is complete at the time received.",
        )
    if status == FilingStatus.HELD:
        return Outcome(
            False,
            "Held for review: not served yet",
            "The malware scanner could not check these documents, so they are held for review "
            f"by {office} and are not served yet. You will be e-mailed the outcome; you do not "
            "need to serve them again.",
        )
    if status == FilingStatus.REFUSED:
        by = f"by {office}" if filing.decided_by_id else "by the checks"
        return Outcome(
            False,
            f"Not served: refused {by}",
            "Nothing in this set was served: service was not successful. Fix the problems "
            "below and serve a corrected set.",
        )
    if status == FilingStatus.ACCEPTED:
        return Outcome(True, "Receipt", f"Served on {office} and accepted by OCC.")
    if status == FilingStatus.REJECTED:
        return Outcome(
            True,
            "Receipt",
            f"Rejected by OCC: served on {office}, then rejected by OCC. Service was complete "
            "at the time received; the reason is below.",
        )
    return Outcome(
        True,
        "Receipt",
        f"Served on {office}. Service was complete at the time received. Keep this receipt as "
        "proof of service.",
    )


@dataclass(frozen=True)
class DocumentRow:
    id: str
    position: int
    filename: str
    document_type: str  # in words
    pages: int
    size: str  # in MB
    sha256: str
    problems: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ReceiptPage:
    filing: Filing
    outcome: Outcome
    filer: Filer
    a_number: str  # the lead's
    a_numbers: list[str]  # the lead's, then each rider's (a family)
    document_type: str
    received: str
    next_hearing: str
    documents: list[DocumentRow]
    set_problems: list[dict[str, Any]]  # problems of the set as a whole, not of one file
    decided: str | None  # when OCC decided, in the office's time
    decided_by: str | None  # the office that decided (never the person)


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _decider_office(filing: Filing) -> str | None:
    if filing.decided_by_id is None:
        return None
    staff = db.session.get(User, filing.decided_by_id)
    office = staff.office if staff is not None and staff.office is not None else filing.office
    return office.label


def receipt_page(filing: Filing) -> ReceiptPage:
    """Everything the filing's page shows, in words."""
    problems = list(filing.problems or [])
    names = {d.filename for d in filing.documents}
    documents = [
        DocumentRow(
            id=d.id,
            position=d.position,
            filename=d.filename,
            document_type=document_type_label(d.document_type or filing.document_type),
            pages=d.pages,
            size=size_mb(d.size_bytes),
            sha256=d.sha256,
            problems=[p for p in problems if p.get("file") == d.filename],
        )
        for d in filing.documents
    ]
    return ReceiptPage(
        filing=filing,
        outcome=outcome_of(filing),
        filer=filer_of(filing),
        a_number=format_a_number(filing.a_number),
        a_numbers=family_a_numbers(filing.a_number, (r.a_number for r in filing.riders)),
        document_type=document_type_label(filing.document_type),
        received=office_time(filing.received_at, filing.office),
        next_hearing=_day(filing.next_hearing_on) if filing.next_hearing_on else "Not given",
        documents=documents,
        set_problems=[p for p in problems if p.get("file") not in names],
        decided=office_time(filing.decided_at, filing.office) if filing.decided_at else None,
        decided_by=_decider_office(filing),
    )
