"""Jobs about filings. Each takes an id, returns early when the work is done, and is safe to run
twice: the state moves by a conditional update and each notice has a unique key."""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

import workers
from app import audit, db
from app.notifications import notify
from filings import notices, pdfcheck
from filings.models import Document, Filing, FilingStatus
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


def sweep_stale_filings(older_than_seconds: int = 300) -> int:
    """Periodic: queue the check again for filings still `received` after this long."""
    cutoff = db.utcnow() - timedelta(seconds=older_than_seconds)
    ids = list(
        db.session.scalars(
            select(Filing.id)
            .where(Filing.status == FilingStatus.RECEIVED, Filing.received_at < cutoff)
            .limit(1000)
        )
    )
    for filing_id in ids:
        workers.enqueue("filings.jobs.check_filing", filing_id, queue=workers.CHECKS)
    if ids:
        audit.record("maintenance.requeue_checks", actor_label="system", filings=len(ids))
    workers.commit()
    return len(ids)


def sweep_orphaned_documents(older_than_seconds: int = 3600) -> int:
    """Periodic: remove stored bytes no document row points to (a commit that failed after
    storing, a process killed between the two). Young objects are left alone: their filing's
    transaction may still be committing."""
    storage = current_app.extensions["eservice.storage"]
    cutoff = db.utcnow() - timedelta(seconds=older_than_seconds)
    candidates = [key for key, written in storage.objects() if written < cutoff]
    known: set[str] = set()
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        known |= set(
            db.session.scalars(select(Document.storage_key).where(Document.storage_key.in_(chunk)))
        )
    orphans = [key for key in candidates if key not in known]
    for key in orphans:
        storage.delete(key)
    # Upload files a killed process left behind (a live request's file is younger).
    tmp_dir = current_app.config["ESERVICE"].upload_tmp_dir
    for leftover in tmp_dir.glob("*") if tmp_dir.exists() else []:
        if leftover.is_file() and leftover.stat().st_mtime < cutoff.timestamp():
            leftover.unlink(missing_ok=True)
    if orphans:
        audit.record("maintenance.remove_orphans", actor_label="system", removed=len(orphans))
        db.session.commit()
    return len(orphans)
