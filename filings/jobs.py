"""Jobs about filings. Each takes an id, returns early when the work is done, and is safe to run
twice: the state moves by a conditional update and each notice has a unique key."""

from __future__ import annotations

import hmac
from typing import Any

from flask import current_app
from sqlalchemy import update

import workers
from app import audit, db
from app.notifications import notify
from filings import notices, pdfcheck
from filings.models import Filing, FilingStatus
from filings.problems import problem
from storage.base import sha256_of


def check_filing(filing_id: str) -> None:
    """Decide a received filing: served, or rejected with every problem found."""
    filing = db.session.get(Filing, filing_id)
    if filing is None or filing.status != FilingStatus.RECEIVED:
        return
    storage = current_app.extensions["eservice.storage"]
    found: list[dict[str, Any]] = []
    for doc in filing.documents:
        # A store that is down raises StorageError: the job fails and is retried, nothing decided.
        with storage.open(doc.storage_key) as stream:
            if not hmac.compare_digest(sha256_of(stream), doc.sha256):
                found.append(problem("checksum_mismatch", doc.filename).as_dict())
                continue
            for finding in pdfcheck.find_active_content(stream):
                found.append(problem(finding.code, doc.filename, **finding.params).as_dict())
    passed = not found
    new = FilingStatus.SERVED if passed else FilingStatus.REJECTED
    changed = db.conditional_update(
        update(Filing)
        .where(Filing.id == filing_id, Filing.status == FilingStatus.RECEIVED)
        .values(status=new, checked_at=db.utcnow(), passed_checks=passed, problems=found)
    )
    if not changed:  # another run decided it first
        db.session.rollback()
        return
    db.session.refresh(filing)
    audit.record(
        f"filing.checks_{'passed' if passed else 'failed'}",
        obj_type="filing",
        obj_id=filing_id,
        actor_label="system",
        codes=sorted({p["code"] for p in found}),
    )
    if passed:
        subject, body = notices.notice_of_service(filing)
        notify(f"filing:{filing_id}:served", "filing_served", filing.attorney.email, subject, body)
    else:
        subject, body = notices.auto_response(filing)
        notify(
            f"filing:{filing_id}:auto_rejected",
            "filing_auto_rejected",
            filing.attorney.email,
            subject,
            body,
        )
    workers.commit()
