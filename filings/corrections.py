"""Serve a corrected set: a set refused by the checks starts a draft with its fields and every
document the checks found nothing wrong with (copied in the store: no upload again), leaving out
the files that were refused."""

from __future__ import annotations

import logging

from flask import abort, current_app

from app import audit, db
from app.users import User
from filings import drafts
from filings.draft_models import DraftFile, DraftSet
from filings.models import Filing, FilingStatus
from filings.services import filing_for_attorney
from registration.anumbers import format_a_number
from storage import Storage, StorageError
from storage.base import new_key

log = logging.getLogger(__name__)


class BusyDraft(Exception):
    """Another set is in progress: serve or discard it before correcting this one."""


def refused_filing(user: User, filing_id: str) -> Filing:
    """A set of this attorney refused by the checks; 404 for anything else."""
    filing = filing_for_attorney(user, filing_id)
    if filing.status != FilingStatus.REFUSED:
        abort(404)
    return filing


def start(user: User, filing_id: str) -> DraftSet:
    """The draft correcting a refused set (made once; the same one on reload)."""
    filing = refused_filing(user, filing_id)
    current = drafts.draft_of(user)
    if current is not None:
        if (current.fields or {}).get("corrects", {}) and current.fields["corrects"].get(
            "id"
        ) == filing.id:
            return current
        if current.files:
            raise BusyDraft()
        drafts.discard(user)
    refused = {p.get("file") for p in filing.problems or [] if p.get("file")}
    good = [d for d in filing.documents if d.filename not in refused]
    storage: Storage = current_app.extensions["eservice.storage"]
    now = db.utcnow()
    rows: list[DraftFile] = []
    try:
        for doc in good:
            key = new_key(now)
            with storage.open(doc.storage_key) as source:
                storage.put(key, source, doc.sha256)  # checks the bytes against the SHA-256
            rows.append(
                DraftFile(
                    position=len(rows) + 1,
                    filename=doc.filename,
                    storage_key=key,
                    size_bytes=doc.size_bytes,
                    sha256=doc.sha256,
                    pages=doc.pages,
                    document_type=doc.document_type,
                    added_at=now,
                )
            )
    except StorageError:
        log.exception("copying the documents of a refused set failed")
        drafts.delete_bytes([r.storage_key for r in rows])
        raise
    fields = {
        "office": filing.office.code,
        "a_number": format_a_number(filing.a_number),
        "document_type": filing.document_type,
        "title": filing.title,
        "next_hearing_on": filing.next_hearing_on.isoformat() if filing.next_hearing_on else "",
        "detained": filing.detained,
        "includes_e28": filing.includes_e28 and filing.self_declared_e28,
        "corrects": {
            "id": filing.id,
            "receipt": filing.receipt_number,
            "left_out": sorted(n for n in refused if n),
        },
    }
    draft = DraftSet(owner_id=user.id, created_at=now, updated_at=now, fields=fields, files=rows)
    try:
        db.session.add(draft)
        db.session.flush()
        audit.record(
            "draft.created",
            obj_type="draft",
            obj_id=draft.id,
            actor=user,
            corrects=filing.id,
            files=len(rows),
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        drafts.delete_bytes([r.storage_key for r in rows])
        raise
    return draft
