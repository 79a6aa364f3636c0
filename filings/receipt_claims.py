"""What a signed receipt says: the payload of its JWS, made from the records (never from what a
user typed). The format is documented in the README ("Signed receipts")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select

from app import db
from filings.decision_models import FilingDecision
from filings.models import Filing
from filings.receipt_page import filer_of

# The payload's "typ": a verifier refuses a JWS of ours that is not a receipt of this version.
RECEIPT_TYPE = "occ-eservice-receipt/1"


class ReceiptDocument(Protocol):
    filename: str
    pages: int
    size_bytes: int
    sha256: str
    document_type: str | None


def iso_utc(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at else None


def document_claims(docs: Iterable[ReceiptDocument], set_type: str = "") -> list[dict[str, Any]]:
    return [
        {
            "filename": d.filename,
            "pages": d.pages,
            "bytes": d.size_bytes,
            "sha256": d.sha256,
            "document_type": d.document_type or set_type,
        }
        for d in docs
    ]


def status_at(filing: Filing) -> datetime | None:
    """When the set reached its state: the decision, the check, or the receipt."""
    return filing.decided_at or filing.checked_at or filing.received_at


def _undoable(filing: Filing) -> FilingDecision | None:
    """A staff decision on the set that can still be undone: not yet final, so not signed."""
    return db.session.scalar(
        select(FilingDecision)
        .where(
            FilingDecision.filing_id == filing.id,
            FilingDecision.undone_at.is_(None),
            FilingDecision.undo_until > db.utcnow(),
        )
        .order_by(FilingDecision.id.desc())
        .limit(1)
    )


def signed_state(filing: Filing) -> tuple[str, datetime | None]:
    """The state a receipt may state now, and since when: a decision staff can still undo is
    not stated (the state before it is), so no signed receipt ever states an undone one."""
    pending = _undoable(filing) if filing.decided_at else None
    if pending is not None:
        return pending.previous_status, filing.checked_at or filing.received_at
    return str(filing.status), status_at(filing)


def claims_of(filing: Filing) -> dict[str, Any]:
    """The signed statement of an attorney's set as it stands now (without iss/iat/typ, which
    signing adds)."""
    filer = filer_of(filing)
    status, since = signed_state(filing)
    return {
        "direction": "to_occ",
        "receipt_number": filing.receipt_number,
        "office": {
            "code": filing.office.code,
            "name": filing.office.name,
            "timezone": filing.office.timezone,
        },
        "received_at": iso_utc(filing.received_at),
        "received_at_local": filing.received_at.astimezone(filing.office.zone).isoformat(),
        "status": status,
        "status_at": iso_utc(since),
        "filer": {
            "name": filer.name,
            "firm": filer.firm or None,
            "bar": filer.bar_admission,
            "eoir_id": filer.eoir_id,
        },
        "a_numbers": [filing.a_number, *(r.a_number for r in filing.riders)],
        "document_type": filing.document_type,
        "title": filing.title,
        "corrects": filing.corrects.receipt_number if filing.corrects else None,
        "documents": document_claims(filing.documents, filing.document_type),
    }
