"""The served stamp job: after a set passes the checks, each document gets a copy whose every
page says "Served on OCC <office>, <local time>, receipt <no.>" in its margin, made in the
sandboxed child of filings/stamp.py. Staff read that copy; the original bytes, which the receipt
proves, are never changed.

Safe to run twice: a document already stamped is skipped, and the copy is recorded by a
conditional update, so a second run that loses the race deletes its own copy. A crash between
storing the copy and recording it leaves an object no row names, which the orphan sweep
removes. A document the child cannot stamp keeps only its original (logged and audited)."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

import workers
from app import audit, db
from app.offices import Office
from filings.models import Document, Filing
from filings.stamp import StampFailed, StampLimits, stamp_pdf
from storage.base import new_key

log = logging.getLogger(__name__)


def stamp_text(filing: Filing) -> str:
    """``Served on OCC Atlanta, November 23, 2026, 2:05:09 PM EST, receipt ES-ATL-...``."""
    return f"Served on {filing.office.name}, {_local(filing.received_at, filing.office)}, " + (
        f"receipt {filing.receipt_number}"
    )


def _local(at: datetime, office: Office) -> str:
    local = at.astimezone(office.zone)
    hour = local.hour % 12 or 12
    return (
        f"{local:%B} {local.day}, {local.year}, {hour}:{local:%M:%S} "
        f"{'AM' if local.hour < 12 else 'PM'} {local.tzname()}"
    )


def stamp_filing(filing_id: str, limits: StampLimits | None = None) -> int:
    """Job: stamp every document of a served set not stamped yet; returns how many it stamped."""
    filing = db.session.get(Filing, filing_id)
    if filing is None or not filing.passed_checks:
        return 0
    text = stamp_text(filing)
    done = 0
    for doc_id in [d.id for d in filing.documents if d.stamped_storage_key is None]:
        doc = db.session.get(Document, doc_id)
        if doc is not None and doc.stamped_storage_key is None:
            done += _stamp_document(doc, text, limits)
    return done


def _stamp_document(doc: Document, text: str, limits: StampLimits | None) -> int:
    storage = current_app.extensions["eservice.storage"]
    with storage.open(doc.storage_key) as source:
        original = source.read()
    if not hmac.compare_digest(hashlib.sha256(original).hexdigest(), doc.sha256):
        return _failed(doc, "the stored original is not the bytes served")
    try:
        stamped = stamp_pdf(original, text, limits)
    except StampFailed as exc:
        return _failed(doc, str(exc))
    key = new_key(db.utcnow())
    storage.put(key, io.BytesIO(stamped), hashlib.sha256(stamped).hexdigest())
    recorded = db.conditional_update(
        update(Document)
        .where(Document.id == doc.id, Document.stamped_storage_key.is_(None))
        .values(stamped_storage_key=key, stamped_at=db.utcnow())
    )
    if not recorded:  # another run recorded its copy first: ours is not needed
        db.session.rollback()
        storage.delete(key)
        return 0
    audit.record(
        "document.stamped",
        obj_type="document",
        obj_id=doc.id,
        actor_label="system",
        filing=doc.filing_id,
        bytes=len(stamped),
    )
    db.session.commit()
    return 1


def _failed(doc: Document, reason: str) -> int:
    log.warning("document %s not stamped: %s", doc.id, reason)
    audit.record(
        "document.stamp_failed",
        obj_type="document",
        obj_id=doc.id,
        actor_label="system",
        outcome="failure",
        filing=doc.filing_id,
        reason=reason[:200],
    )
    db.session.commit()
    return 0


SWEEP_DAYS = 2


def sweep_unstamped(older_than_seconds: int = 600) -> int:
    """Periodic: queue the stamp job again for served sets with a document still unstamped
    and no failure recorded (a job lost with its worker)."""
    from app.audit import AuditEvent

    cutoff = db.utcnow() - timedelta(seconds=older_than_seconds)
    failed = select(AuditEvent.object_id).where(AuditEvent.action == "document.stamp_failed")
    ids = list(
        db.session.scalars(
            select(Filing.id)
            .join(Document, Document.filing_id == Filing.id)
            .where(
                Filing.passed_checks,
                Document.stamped_storage_key.is_(None),
                Document.id.not_in(failed),
                Filing.checked_at < cutoff,
                # Sets served before copies were stamped are read as they are: the sweep
                # catches lost jobs, it does not stamp the archive.
                Filing.checked_at > db.utcnow() - timedelta(days=SWEEP_DAYS),
            )
            .distinct()
            .limit(500)
        )
    )
    for filing_id in ids:
        workers.enqueue("filings.stamp_job.stamp_filing", filing_id, queue=workers.CHECKS)
    workers.commit()
    return len(ids)
