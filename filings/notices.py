"""The words of the e-mails about a filing: notice of service, the automatic response to a set
the checks refused (nothing served), held, and OCC's decisions.

A refused set and a rejected one are different outcomes and read differently from the subject
on: "Not served: ..." (nothing was served; serve a corrected set) against "Rejected by OCC: ..."
(served at the time received, then rejected by the office)."""

from __future__ import annotations

from flask import current_app

from app import db
from app.display import local_time
from app.links import external_url
from filings import corrections_window
from filings.models import Filing, FilingStatus
from filings.receipts import receipt_text


def _dear(filing: Filing) -> str:
    return f"Dear {filing.attorney.full_name},"


def _set(filing: Filing) -> str:
    return f"“{filing.title}” (receipt {filing.receipt_number})"


def _correct_link(filing: Filing) -> str:
    """The serve page, filled in from this set (the filing id only: no A-Number in a link)."""
    return external_url("filings.new", correct=filing.id)


def _correct_until(filing: Filing) -> str:
    """Until when the refused set can be corrected (the correction window), or that the window
    closed and a new set is needed; with the link to the serve page while it is open."""
    days = current_app.config["ESERVICE"].correction_days
    closes = corrections_window.closes_in_words(filing, days)
    if corrections_window.is_open(filing, days, db.utcnow()):
        return (
            f"Serve a corrected set: {_correct_link(filing)}\nYou can correct this set until "
            f"{closes}; the corrected set is linked to this one and has its own receipt."
        )
    return (
        f"The time to correct this set closed on {closes}. Serve a new set instead; it will "
        "have its own receipt."
    )


def _corrects(filing: Filing) -> str:
    """For a set served as a correction: the refused set it corrects."""
    original = filing.corrects
    if original is None:
        return ""
    at = original.decided_at or original.checked_at or original.received_at
    return (
        f"This set corrects {original.receipt_number} (refused on "
        f"{local_time(at, original.office)}; nothing in it was served). Each keeps its own "
        "time received.\n\n"
    )


def notice_of_service(filing: Filing) -> tuple[str, str]:
    subject = f"Notice of service {filing.receipt_number}: served on {filing.office.name}"
    body = (
        f"{_dear(filing)}\n\n"
        f"Your document set was served on {filing.office.name}. Service was complete at the "
        "time it was received, shown below. Keep this notice as proof of service; the SHA-256 "
        "of each document identifies exactly the bytes that were served.\n\n"
        f"{_corrects(filing)}"
        f"{receipt_text(filing)}\n"
    )
    return subject, body


def _problem_lines(filing: Filing) -> list[str]:
    """Every problem, the set's first, then each file's, each with its fix."""
    lines: list[str] = []
    by_file: dict[str, list[str]] = {}
    for item in filing.problems or []:
        line = f"  - [{item['code']}] {item['message']}"
        if item.get("file"):
            by_file.setdefault(item["file"], []).append(line)
        else:
            lines.append(line)
    for name, found in by_file.items():
        lines += [f"  {name}:", *(f"  {line}" for line in found)]
    return lines


def auto_response(filing: Filing) -> tuple[str, str]:
    """The automatic response to a set the checks refused: nothing was served; every problem,
    per file, and how to serve a corrected set."""
    office = filing.office.name
    # Short enough not to be folded: the office is in the first line of the body.
    subject = f"Not served: {filing.receipt_number} refused by the checks"
    lines = [
        f"Not served: your document set {_set(filing)} for {office} was refused by the "
        "automatic checks. Nothing in this set was served.",
        "",
        _dear(filing),
        "",
        "Service of this set was NOT successful, so it has no time of service. Fix the "
        "problems below, then serve a corrected set; it will have its own receipt.",
        "",
        "Problems found:",
        *_problem_lines(filing),
        "",
        _correct_until(filing),
        "",
        receipt_text(filing),
        "",
    ]
    return subject, "\n".join(lines)


def held(filing: Filing) -> tuple[str, str]:
    subject = f"Held for review {filing.receipt_number}: not served yet"
    body = (
        f"{_dear(filing)}\n\n"
        "Your document set was received and stored, but the malware scanner could not check it, "
        f"so it is held for review by {filing.office.name} and is NOT served yet. You will be "
        "e-mailed the outcome; you do not need to serve it again.\n\n"
        f"{receipt_text(filing)}\n"
    )
    return subject, body


def staff_decision(filing: Filing) -> tuple[str, str]:
    """OCC's decision: accepted or rejected (a served set), or refused (a held set, which was
    never served)."""
    office = filing.office.name
    reason = ""
    if filing.decision_reason:
        reason = f"Reason given by {office}: {filing.decision_reason}\n\n"
    if filing.status == FilingStatus.ACCEPTED:
        subject = f"Accepted by OCC: {filing.receipt_number}"
        first = f"Accepted by OCC: {office} accepted your served document set {_set(filing)}."
        after = "Nothing more is needed from you for this set."
    elif filing.status == FilingStatus.REFUSED:
        subject = f"Not served: {filing.receipt_number} refused by OCC"
        first = (
            f"Not served: {office} refused your held document set {_set(filing)}. Nothing in "
            "this set was served."
        )
        after = f"Fix what the reason says.\n{_correct_until(filing)}"
    else:
        subject = f"Rejected by OCC: {filing.receipt_number}"
        first = (
            f"Rejected by OCC: {office} rejected your served document set {_set(filing)}. It "
            "was served at the time received, shown below; OCC has rejected it."
        )
        after = (
            "If the reason can be put right, serve a new set with what is needed; it will have "
            f"its own receipt. For questions, contact {office} and give the receipt number."
        )
    body = f"{first}\n\n{_dear(filing)}\n\n{reason}{after}\n\n{receipt_text(filing)}\n"
    return subject, body
