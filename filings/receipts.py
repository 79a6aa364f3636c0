"""Receipt numbers and the acknowledgement an attorney gets the moment a set is stored."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from filings.models import Filing
from filings.receipt_page import receipt_page

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a phone call


def new_receipt_number(office_code: str, at: datetime) -> str:
    """``ES-ATL-20261123-7KQ4-M2XD``: office and day for people, 40 random bits for uniqueness."""
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"ES-{office_code}-{at:%Y%m%d}-{tail[:4]}-{tail[4:]}"


def local_time(filing: Filing) -> datetime:
    return filing.received_at.astimezone(filing.office.zone)


def acknowledgement(filing: Filing) -> dict[str, Any]:
    """The acknowledgement as data: the API's JSON body and what the receipt page shows."""
    return {
        "id": filing.id,
        "receipt_number": filing.receipt_number,
        "status": str(filing.status),
        "received_at": filing.received_at.isoformat().replace("+00:00", "Z"),
        "received_at_local": local_time(filing).isoformat(),
        "office": {
            "code": filing.office.code,
            "name": filing.office.name,
            "timezone": filing.office.timezone,
        },
        "a_number": filing.a_number,
        "rider_a_numbers": [r.a_number for r in filing.riders],
        "a_numbers": [filing.a_number, *(r.a_number for r in filing.riders)],
        "corrects": (
            {"id": filing.corrects.id, "receipt_number": filing.corrects.receipt_number}
            if filing.corrects is not None
            else None
        ),
        "document_type": filing.document_type,
        "includes_e28": filing.includes_e28,
        "title": filing.title,
        "next_hearing_on": filing.next_hearing_on.isoformat() if filing.next_hearing_on else None,
        "detained": filing.detained,
        "documents": [
            {
                "filename": d.filename,
                "pages": d.pages,
                "bytes": d.size_bytes,
                "sha256": d.sha256,
                "document_type": d.document_type or filing.document_type,
                "warnings": list(d.warnings or []),
            }
            for d in filing.documents
        ],
        "problems": list(filing.problems or []),
        "decision_reason": filing.decision_reason,
    }


def receipt_text(filing: Filing) -> str:
    """The receipt as plain text, for the e-mailed notices."""
    page = receipt_page(filing)
    filer = page.filer
    lines = [
        f"Receipt number: {filing.receipt_number}",
        f"Received: {page.received}",
        f"Filed by: {filer.name}{f', {filer.firm}' if filer.firm else ''} ({filer.identifiers})",
        f"Served on: {filing.office.label}"
        if page.outcome.served
        else f"Office: {filing.office.label} (not served)",
        f"A-Number: {page.a_number}"
        if len(page.a_numbers) == 1
        else f"A-Numbers: {page.a_numbers[0]} (lead); riders {', '.join(page.a_numbers[1:])}",
        f"Document type: {page.document_type}",
        f"Title: {filing.title}",
    ]
    if filing.corrects is not None:
        lines.append(f"Corrects: {filing.corrects.receipt_number} (refused, not served)")
    lines.append("Documents:")
    for d, doc in zip(page.documents, filing.documents, strict=True):
        pages = f"{d.pages} page{'' if d.pages == 1 else 's'}"
        lines.append(
            f"  {d.position}. {d.filename} ({d.document_type}): {pages}, {d.size}, "
            f"SHA-256 {d.sha256}"
        )
        lines += [f"     Note: {w['message']}" for w in doc.warnings or []]
    return "\n".join(lines)
