"""Jobs about filings. Each takes an id, returns early when the work is done, and is safe to run
twice: the state moves by a conditional update and each notice has a unique key."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from typing import IO, Any

from flask import current_app
from sqlalchemy import select, update

import workers
from app import audit, db
from app.notifications import notify
from filings import drafts, notices, occ_services, precheck_run, signed_receipts
from filings.checks import check_document
from filings.malware import ScannerUnavailable
from filings.models import Document, Filing, FilingStatus
from filings.precheck_models import CheckStatus, FileCheck
from filings.problems import problem
from storage.base import CHUNK, sha256_of

log = logging.getLogger(__name__)


# Check runs without a malware verdict before a filing is held for staff. Each failed run is
# tried again after the back-off of workers/queues.py (10 s, 30 s, 1 min, 5 min): about seven
# minutes, long enough for a scanner to restart, short of leaving an attorney unanswered.
MAX_CHECK_ATTEMPTS = 5


def check_filing(filing_id: str) -> None:
    """Decide a received filing: served, refused (not served) with every problem found, or (no
    malware verdict after several tries) held for staff."""
    filing = db.session.get(Filing, filing_id)
    if filing is None or filing.status != FilingStatus.RECEIVED:
        return
    found, warnings, no_verdict = _check_documents(filing)
    for doc_id, doc_warnings in warnings.items():
        db.session.execute(
            update(Document).where(Document.id == doc_id).values(warnings=doc_warnings)
        )
    if no_verdict and not found:
        # Nothing wrong was found, but the scanner has not said the files are clean.
        _no_verdict(filing, no_verdict)
        return
    # A set with problems is refused whatever the scanner says (or fails to say).
    _decide(filing, found)


@contextlib.contextmanager
def _on_disk(source: IO[bytes], tmp_dir: str) -> Iterator[tuple[str, str]]:
    """A path the checker child can open, and the SHA-256 of the bytes: the stored file itself
    when the store handed out one on disk, else a temporary copy made while hashing.
    ``source`` is left at its start."""
    name = getattr(source, "name", None)
    if isinstance(name, str) and os.path.isfile(name):
        digest = sha256_of(source)
        source.seek(0)
        yield name, digest
        return
    with tempfile.NamedTemporaryFile(dir=tmp_dir, prefix="check-") as copy:
        hasher = hashlib.sha256()
        while chunk := source.read(CHUNK):
            hasher.update(chunk)
            copy.write(chunk)
        copy.flush()
        source.seek(0)
        yield copy.name, hasher.hexdigest()


def _check_documents(
    filing: Filing,
) -> tuple[list[dict[str, Any]], dict[str, list[Any]], str | None]:
    """Every problem of the set, each document's warnings, and why the scanner gave no verdict
    (None when it gave one for every document)."""
    settings = current_app.config["ESERVICE"]
    storage = current_app.extensions["eservice.storage"]
    settings.upload_tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = str(settings.upload_tmp_dir)
    found: list[dict[str, Any]] = []
    warnings: dict[str, list[Any]] = {}
    no_verdict: str | None = None
    for doc in filing.documents:
        # A store that is down raises StorageError: the job fails and is retried.
        with storage.open(doc.storage_key) as source, _on_disk(source, tmp) as (path, digest):
            if not hmac.compare_digest(digest, doc.sha256):
                found.append(problem("checksum_mismatch", doc.filename).as_dict())
                continue
            result = check_document(path, source, doc.size_bytes, doc.filename, settings.clamd_url)
        found += result.problems
        warnings[doc.id] = result.warnings
        no_verdict = no_verdict or result.scan_unavailable
    return found, warnings, no_verdict


def _no_verdict(filing: Filing, reason: str) -> None:
    """The scanner gave no verdict: fail the run (it is retried), or hold after the last."""
    db.conditional_update(
        update(Filing)
        .where(Filing.id == filing.id, Filing.status == FilingStatus.RECEIVED)
        .values(check_attempts=Filing.check_attempts + 1)
    )
    db.session.commit()  # with the documents' warnings: a held filing shows them
    db.session.refresh(filing)
    if filing.check_attempts < MAX_CHECK_ATTEMPTS:
        raise ScannerUnavailable(reason)
    held = db.conditional_update(
        update(Filing)
        .where(Filing.id == filing.id, Filing.status == FilingStatus.RECEIVED)
        .values(
            status=FilingStatus.HELD,
            checked_at=db.utcnow(),
            problems=[problem("scan_unavailable").as_dict()],
        )
    )
    if not held:
        db.session.rollback()
        return
    log.error("filing %s held: no malware verdict after %d tries", filing.id, filing.check_attempts)
    audit.record(
        "filing.held",
        obj_type="filing",
        obj_id=filing.id,
        actor_label="system",
        outcome="alert",
        reason=reason[:200],
    )
    db.session.refresh(filing)
    subject, body = notices.held(filing)
    notify(f"filing:{filing.id}:held", "filing_held", filing.attorney.email, subject, body)
    signed_receipts.sign_outcome(filing)
    workers.commit()


def _decide(filing: Filing, found: list[dict[str, Any]]) -> None:
    filing_id = filing.id
    passed = not found
    # A set the checks refuse was never served: "refused", never "rejected" (OCC's decision on
    # a served set).
    new = FilingStatus.SERVED if passed else FilingStatus.REFUSED
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
        notify(
            f"filing:{filing_id}:served",
            "filing_served",
            filing.attorney.email,
            subject,
            body,
            attachment=f"notice_of_service:{filing_id}",
        )
        # The copy staff read, each page stamped as served: queued with the state change.
        workers.enqueue("filings.stamp_job.stamp_filing", filing_id, queue=workers.CHECKS)
    else:
        subject, body = notices.auto_response(filing)
        to = filing.attorney.email
        notify(f"filing:{filing_id}:refused", "filing_refused", to, subject, body)
    # The signed receipt of the outcome, issued now (and time-stamped when an authority is set).
    signed_receipts.sign_outcome(filing)
    workers.commit()


def check_files(check_id: str) -> None:
    """Check before you serve: run every check on a check's stored files, write the report and
    delete the files. A check already reported is left alone; one pending past the time limit
    (its files may be swept) is reported as not checked."""
    check = db.session.get(FileCheck, check_id)
    if check is None or check.status != CheckStatus.PENDING:
        return
    if precheck_run.given_up(check):
        precheck_run.finish(check, precheck_run.not_checked(check))
        return
    precheck_run.finish(check, precheck_run.run_checks(check))


def sweep_file_checks() -> int:
    """Periodic: report checks whose job was lost as not checked, and delete old reports."""
    given_up, deleted = precheck_run.expire_checks()
    return given_up + deleted


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
    storing, a process killed between the two), except the files of a check still waiting for
    its job. Young objects are left alone: their filing's transaction may still be committing."""
    storage = current_app.extensions["eservice.storage"]
    cutoff = db.utcnow() - timedelta(seconds=older_than_seconds)
    candidates = [key for key, written in storage.objects() if written < cutoff]
    known: set[str] = set()
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        known |= set(
            db.session.scalars(select(Document.storage_key).where(Document.storage_key.in_(chunk)))
        )
        # The stamped copies staff read.
        known |= {
            key
            for key in db.session.scalars(
                select(Document.stamped_storage_key).where(Document.stamped_storage_key.in_(chunk))
            )
            if key is not None
        }
        # Files waiting for their check; those of a check given up (or never recorded) go.
        known |= precheck_run.keys_in_use(chunk)
        # Files of a set in progress, kept for the attorney's next attempt.
        known |= drafts.keys_in_use(chunk)
        # Documents of the sets OCC served on attorneys.
        known |= occ_services.keys_in_use(chunk)
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
