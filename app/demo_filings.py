"""Demo filings in every state, so every page of the app can be seen with data.

``seed_filings()`` gives the demo attorneys about 120 document sets in Atlanta (enough for the
inbox to page) and a few in New York City: received, served (some detained, some with a
hearing date, some claimed by staff), accepted, rejected by OCC with a reason, refused by the
checks with the problems the check job writes, and held. Each document is a real small PDF
stored through the app's storage under a generated key. The plan is fixed (a seeded random
generator), and each set carries an idempotency key of its own, so a second run adds nothing.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from app import audit, db
from app.demo import DEMO_ATTORNEYS, DEMO_STAFF
from app.demo_pdfs import Flaw, demo_pdf
from app.offices import office_by_code
from app.users import User, user_by_email
from filings.models import Document, Filing, FilingStatus
from filings.problems import problem
from filings.receipts import new_receipt_number
from filings.rules import DocumentType
from storage.base import new_key, sha256_of

S = FilingStatus
# How many sets of each state each office gets.
PLAN: dict[str, dict[FilingStatus, int]] = {
    "ATL": {S.RECEIVED: 4, S.SERVED: 62, S.ACCEPTED: 26, S.REJECTED: 12, S.REFUSED: 12, S.HELD: 4},
    "NYC": {S.RECEIVED: 2, S.SERVED: 6, S.ACCEPTED: 3, S.REJECTED: 2, S.REFUSED: 2, S.HELD: 1},
}
TITLES: dict[DocumentType, tuple[str, ...]] = {
    DocumentType.MOTION: (
        "Motion to continue",
        "Motion to change venue",
        "Motion to reopen",
        "Motion to appear by video",
    ),
    DocumentType.BRIEF: ("Pre-hearing brief", "Brief in support of asylum"),
    DocumentType.EVIDENCE: ("Country conditions evidence", "Supporting exhibits"),
    DocumentType.APPLICATION: ("Form I-589 with supplements", "Cancellation of removal"),
    DocumentType.PROSECUTORIAL_DISCRETION: ("Request for prosecutorial discretion",),
    DocumentType.JOINT_MOTION: ("Joint motion to dismiss",),
}
REJECTION_REASONS = (
    "The certificate of service is missing. Serve the set again with it.",
    "This case is heard in another court: serve the office for that court.",
    "The exhibits are not numbered. Serve them again with page numbers.",
)
FLAWS = (Flaw.JAVASCRIPT, Flaw.EMBEDDED_FILE, Flaw.LAUNCH_ACTION)


@dataclass(frozen=True)
class DemoDocument:
    filename: str
    pages: int
    document_type: DocumentType | None = None  # None: the set's own type
    flaw: Flaw | None = None


@dataclass(frozen=True)
class DemoFiling:
    key: str  # the idempotency key that makes a second run skip it
    office: str
    attorney: str  # e-mail of a demo attorney
    a_number: str
    document_type: DocumentType
    title: str
    status: FilingStatus
    age: timedelta  # received this long before the seed
    detained: bool
    hearing_in_days: int | None
    documents: tuple[DemoDocument, ...]
    reason: str | None = None
    claimed: bool = False


@dataclass
class Summary:
    created: Counter[str] = field(default_factory=Counter)
    offices: Counter[str] = field(default_factory=Counter)
    existing: int = 0

    def line(self) -> str:
        states = ", ".join(f"{s} {self.created[s]}" for s in FilingStatus if self.created[s])
        offices = ", ".join(f"{o} {n}" for o, n in sorted(self.offices.items()))
        made = sum(self.created.values())
        where = f" ({offices}: {states})" if made else ""
        return f"Demo filings: {made} created{where}; {self.existing} already there."


def plan() -> list[DemoFiling]:
    """Every demo set, the same on every run."""
    rng = random.Random(20261123)
    out: list[DemoFiling] = []
    for office, counts in PLAN.items():
        statuses = [s for s, n in counts.items() for _ in range(n)]
        rng.shuffle(statuses)
        for i, status in enumerate(statuses, start=1):
            out.append(_one(rng, office, i, status))
    return out


def _one(rng: random.Random, office: str, i: int, status: FilingStatus) -> DemoFiling:
    attorney = DEMO_ATTORNEYS[i % len(DEMO_ATTORNEYS)]
    kind = rng.choice(list(TITLES))
    title = rng.choice(TITLES[kind])
    docs = [DemoDocument(f"{title}.pdf", rng.randint(1, 4))]
    if rng.random() < 0.5:
        docs.append(DemoDocument("Exhibit A.pdf", rng.randint(1, 3), DocumentType.EVIDENCE))
    if rng.random() < 0.4:
        docs.append(DemoDocument("Certificate of service.pdf", 1, DocumentType.OTHER))
    if status == S.REFUSED:
        bad = rng.randrange(len(docs))
        docs[bad] = DemoDocument(
            docs[bad].filename, docs[bad].pages, docs[bad].document_type, rng.choice(FLAWS)
        )
    # Newest first in the inbox: the ones still being checked arrived minutes ago.
    minutes = rng.randint(2, 50) if status == S.RECEIVED else 60 * (5 * i + rng.randint(0, 4))
    return DemoFiling(
        key=f"demo-{office}-{i:03d}",
        office=office,
        attorney=attorney.email,
        a_number=rng.choice(attorney.a_numbers),
        document_type=kind,
        title=title,
        status=status,
        age=timedelta(minutes=minutes),
        detained=rng.random() < 0.25,
        hearing_in_days=rng.randint(1, 120) if rng.random() < 0.6 else None,
        documents=tuple(docs),
        reason=rng.choice(REJECTION_REASONS) if status == S.REJECTED else None,
        claimed=status == S.SERVED and rng.random() < 0.2,
    )


def seed_filings(now: datetime | None = None) -> Summary:
    """Add the demo sets that are not there yet (the demo accounts must exist: seed-demo)."""
    now = now or db.utcnow()
    summary = Summary()
    users: dict[str, User] = {}
    missing = []
    for email in _demo_emails():
        user = user_by_email(email)
        if user is None:
            missing.append(email)
        else:
            users[email] = user
    if missing:
        raise LookupError(f"demo accounts missing (run seed-demo first): {', '.join(missing)}")
    existing = set(
        db.session.scalars(
            select(Filing.idempotency_key).where(Filing.idempotency_key.like("demo-%"))
        )
    )
    for item in plan():
        if item.key in existing:
            summary.existing += 1
            continue
        _create(item, users, now)
        summary.created[item.status] += 1
        summary.offices[item.office] += 1
    return summary


def _demo_emails() -> list[str]:
    return [a.email for a in DEMO_ATTORNEYS] + [email for email, *_ in DEMO_STAFF]


def _staff_of(office: str) -> str:
    return next(email for email, _n, _r, code in DEMO_STAFF if code == office and "staff" in email)


def _create(item: DemoFiling, users: dict[str, User], now: datetime) -> None:
    """Store the documents, then write the filing and its audit events in one transaction."""
    office = office_by_code(item.office)
    assert office is not None
    attorney, staff = users[item.attorney], users[_staff_of(item.office)]
    received_at = now - item.age
    storage = current_app.extensions["eservice.storage"]
    documents, problems = [], []
    for position, doc in enumerate(item.documents, start=1):
        data = demo_pdf(item.title if position == 1 else doc.filename[:-4], doc.pages, doc.flaw)
        digest = sha256_of(io.BytesIO(data))
        key = new_key(received_at)
        storage.put(key, io.BytesIO(data), digest)
        documents.append(
            Document(
                position=position,
                filename=doc.filename,
                storage_key=key,
                size_bytes=len(data),
                sha256=digest,
                pages=doc.pages,
                document_type=doc.document_type,
            )
        )
        if doc.flaw is not None:
            problems.append(problem(doc.flaw.value, doc.filename).as_dict())
    filing = Filing(
        receipt_number=new_receipt_number(office.code, received_at),
        attorney=attorney,
        office=office,
        a_number=item.a_number,
        document_type=item.document_type,
        title=item.title,
        next_hearing_on=(
            (now + timedelta(days=item.hearing_in_days)).date() if item.hearing_in_days else None
        ),
        detained=item.detained,
        status=item.status,
        received_at=received_at,
        idempotency_key=item.key,
        documents=documents,
        **_outcome(item, staff, received_at, now, problems),
    )
    db.session.add(filing)
    db.session.flush()
    _audit(filing, item, attorney, staff)
    db.session.commit()


def _outcome(
    item: DemoFiling, staff: User, received_at: datetime, now: datetime, problems: list[Any]
) -> dict[str, Any]:
    """The columns that follow from the set's state: checks, decision, claim."""
    if item.status == S.RECEIVED:
        return {"problems": []}
    checked = {"checked_at": received_at + timedelta(seconds=40)}
    if item.status == S.REFUSED:
        return {**checked, "problems": problems}
    if item.status == S.HELD:
        from filings.jobs import MAX_CHECK_ATTEMPTS

        held = [problem("scan_unavailable").as_dict()]
        return {**checked, "problems": held, "check_attempts": MAX_CHECK_ATTEMPTS}
    served = {**checked, "passed_checks": True, "problems": []}
    if item.status == S.SERVED:
        if item.claimed:
            return {**served, "claimed_by_id": staff.id, "claimed_at": now - timedelta(minutes=20)}
        return served
    decided_at = min(received_at + timedelta(hours=3), now - timedelta(minutes=1))
    return {
        **served,
        "decided_at": decided_at,
        "decided_by_id": staff.id,
        "decision_reason": item.reason,
    }


def _audit(filing: Filing, item: DemoFiling, attorney: User, staff: User) -> None:
    """The events the real flow would have written, marked as demo data."""
    record: dict[str, Any] = {"obj_type": "filing", "obj_id": filing.id, "demo": True}
    audit.record(
        "filing.received",
        actor=attorney,
        receipt=filing.receipt_number,
        documents=len(item.documents),
        **record,
    )
    if item.status == S.RECEIVED:
        return
    if item.status == S.HELD:
        audit.record("filing.held", actor_label="system", outcome="alert", **record)
        return
    if item.status == S.REFUSED:
        codes = sorted({p["code"] for p in filing.problems})
        audit.record("filing.checks_failed", actor_label="system", codes=codes, **record)
        return
    audit.record("filing.checks_passed", actor_label="system", codes=[], **record)
    if item.claimed:
        audit.record("filing.claimed", actor=staff, **record)
    if item.status in (S.ACCEPTED, S.REJECTED):
        audit.record(f"filing.{item.status}", actor=staff, reason=item.reason or "", **record)
