"""Checking a document against a receipt, for anyone: were these bytes served under it?

The answer is yes, with the office and the time of service, or a no that is the same whatever
the reason (no such receipt, a set that was refused, held or not yet checked, another file), so
that it reveals nothing about a receipt to someone who does not hold the served document. Read
by the /verify page and ``POST /api/v1/receipts/verify``; both are throttled per address.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app import db
from app.offices import Office
from filings.models import Document, Filing
from filings.occ_service_models import OccService, OccServiceDocument, OccServiceStatus
from filings.receipt_page import office_time

# ES-<office>-<day>-XXXX-XXXX, as filings.receipts.new_receipt_number makes them.
RECEIPT_NUMBER = re.compile(r"ES-[A-Z]{2,8}-\d{8}-[A-Z0-9]{4}-[A-Z0-9]{4}")
SHA256 = re.compile(r"[0-9a-f]{64}")

# Page and API together, per client address: enough for a person or a firm checking a stack of
# documents, far too few to guess receipt numbers (40 random bits each). A setting of the app
# (Flask config) so that a deployment or a test can change it.
LIMIT_SETTING = "VERIFY_RATE_LIMIT"
DEFAULT_LIMIT = "30 per minute;300 per day"

NOT_SIGNED = "This is not a valid receipt signed by OCC eService"
# The one word a refused JWS is given (filings.receipt_signing.ReceiptInvalid.reason).
JWS_REASONS = {
    "malformed": "not a receipt",
    "not_a_receipt": "not a receipt",
    "algorithm": "not a receipt",
    "unknown_key": "unknown key",
    "altered": "altered",
}


def rate_limit() -> str:
    return str(current_app.config.get(LIMIT_SETTING) or DEFAULT_LIMIT)


def receipt_number(raw: str | None) -> str | None:
    """The receipt number typed, trimmed and in capitals, or None if it is not one."""
    value = (raw or "").strip().upper()
    return value if RECEIPT_NUMBER.fullmatch(value) else None


def sha256_hex(raw: str | None) -> str | None:
    """A SHA-256 typed or sent as 64 hexadecimal digits (any case, spaces around), or None."""
    value = (raw or "").strip().lower()
    return value if SHA256.fullmatch(value) else None


class Digest:
    """A file-like sink that hashes what is written and keeps none of it: an upload to the
    verify page is checked while it streams, never stored."""

    def __init__(self, cap: int) -> None:
        self._hash = hashlib.sha256()
        self.cap = cap
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size <= self.cap:
            self._hash.update(data)
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:  # the form parser rewinds a file part
        return 0

    def read(self, size: int = -1) -> bytes:
        return b""

    def close(self) -> None:
        pass

    @property
    def over_cap(self) -> bool:
        return self.size > self.cap

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


class JwsRefused(Exception):
    """A pasted JWS that is not a receipt signed by one of our keys; ``word`` says why."""

    def __init__(self, word: str) -> None:
        super().__init__(f"{NOT_SIGNED} ({word}).")
        self.word = word


def signed_claims(token: str) -> dict[str, Any]:
    """The claims of a receipt signed by one of our keys (current or retired)."""
    from filings import receipt_signing, signed_receipts

    try:
        claims = signed_receipts.verify(token)
    except receipt_signing.ReceiptInvalid as exc:
        raise JwsRefused(JWS_REASONS.get(exc.reason, "not a receipt")) from None
    if receipt_number(str(claims.get("receipt_number") or "")) is None:
        raise JwsRefused("not a receipt")
    return claims


def lists_document(claims: dict[str, Any], sha256: str) -> bool:
    """Whether a signed receipt's own document list holds this SHA-256."""
    documents = claims.get("documents")
    return isinstance(documents, list) and any(
        isinstance(d, dict) and str(d.get("sha256", "")).lower() == sha256 for d in documents
    )


@dataclass(frozen=True)
class Served:
    """A document found served: under which receipt, by or on which office, when."""

    receipt_number: str
    direction: str  # "to_occ": an attorney served OCC; "to_attorneys": OCC served attorneys
    office_code: str
    office_name: str
    served_at: datetime  # UTC: when service was complete
    when: str  # in words, the office's time first, then UTC, as on the receipt
    zone: ZoneInfo

    @property
    def sentence(self) -> str:
        whom = "on" if self.direction == "to_occ" else "by"
        return (
            f"These bytes were served {whom} {self.office_name} at {self.when} under receipt "
            f"{self.receipt_number}."
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "match": True,
            "receipt_number": self.receipt_number,
            "direction": self.direction,
            "office": {"code": self.office_code, "name": self.office_name},
            "served_at": self.served_at.isoformat().replace("+00:00", "Z"),
            "served_at_local": self.served_at.astimezone(self.zone).isoformat(),
        }


def not_served_sentence(number: str) -> str:
    return f"These bytes were not served under receipt {number}."


def _service(direction: str, number: str, office: Office, at: datetime) -> Served:
    return Served(
        number, direction, office.code, office.name, at, office_time(at, office), office.zone
    )


def served(number: str, sha256: str) -> Served | None:
    """The service of the document with ``sha256`` in the set with receipt ``number``, if that
    set was served: an attorney's set that passed the checks (served, accepted or rejected;
    service was complete when it was received), or a set OCC served on attorneys. None in every
    other case."""
    filing = db.session.scalar(
        select(Filing)
        .join(Document, Document.filing_id == Filing.id)
        .where(
            Filing.receipt_number == number,
            Filing.passed_checks.is_(True),
            Document.sha256 == sha256,
        )
        .limit(1)
    )
    if filing is not None:
        return _service("to_occ", filing.receipt_number, filing.office, filing.received_at)
    by_occ = db.session.scalar(
        select(OccService)
        .join(OccServiceDocument, OccServiceDocument.service_id == OccService.id)
        .where(
            OccService.receipt_number == number,
            OccService.status == OccServiceStatus.SERVED,
            OccService.served_at.is_not(None),
            OccServiceDocument.sha256 == sha256,
        )
        .limit(1)
    )
    if by_occ is not None and by_occ.served_at is not None:
        return _service("to_attorneys", by_occ.receipt_number, by_occ.office, by_occ.served_at)
    return None
