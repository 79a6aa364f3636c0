"""The words of the e-mails about a filing: notice of service, auto-response, staff decisions."""

from __future__ import annotations

from filings.models import Filing, FilingStatus
from filings.receipts import receipt_text


def notice_of_service(filing: Filing) -> tuple[str, str]:
    subject = f"Notice of service {filing.receipt_number}: served on {filing.office.name}"
    body = (
        f"Dear {filing.attorney.full_name},\n\n"
        f"Your document set was served on {filing.office.name}. Service was complete at the "
        "time it was received, shown below. Keep this notice as proof of service; the SHA-256 "
        "of each document identifies exactly the bytes that were served.\n\n"
        f"{receipt_text(filing)}\n"
    )
    return subject, body


def auto_response(filing: Filing) -> tuple[str, str]:
    """The automatic response to a set that failed its checks: every problem, per file."""
    subject = f"Service NOT successful {filing.receipt_number}: documents refused"
    lines = [
        f"Dear {filing.attorney.full_name},",
        "",
        f"Service of your document set on {filing.office.name} was NOT successful. "
        "Nothing in this set was served. Fix the problems below and serve the set again.",
        "",
        "Problems found:",
    ]
    for item in filing.problems:
        lines.append(f"  - [{item['code']}] {item['message']}")
    lines += ["", receipt_text(filing), ""]
    return subject, "\n".join(lines)


def held(filing: Filing) -> tuple[str, str]:
    subject = f"Held for review {filing.receipt_number}: not served yet"
    body = (
        f"Dear {filing.attorney.full_name},\n\n"
        "Your document set was received and stored, but the malware scanner could not check it, "
        f"so it is held for review by {filing.office.name} and is NOT served yet. You will be "
        "e-mailed the outcome; you do not need to serve it again.\n\n"
        f"{receipt_text(filing)}\n"
    )
    return subject, body


def staff_decision(filing: Filing) -> tuple[str, str]:
    if filing.status == FilingStatus.ACCEPTED:
        subject = f"Accepted by OCC {filing.receipt_number}"
        verdict = f"{filing.office.name} accepted your served document set."
    else:
        subject = f"Rejected by OCC {filing.receipt_number}"
        verdict = f"{filing.office.name} rejected your served document set."
    reason = f"\n\nReason given: {filing.decision_reason}" if filing.decision_reason else ""
    body = f"Dear {filing.attorney.full_name},\n\n{verdict}{reason}\n\n{receipt_text(filing)}\n"
    return subject, body
