"""Serve a corrected set: a set refused by the checks starts a draft with its fields and every
document the checks found nothing wrong with (copied in the store: no upload again), leaving out
the files that were refused. Served, the new set is linked to the refused one (Filing.corrects),
within the correction window (filings.corrections_window)."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import abort, current_app
from sqlalchemy import select

from app import audit, db
from app.users import User
from filings import corrections_window, drafts
from filings.draft_models import DraftFile, DraftSet
from filings.models import Filing, FilingStatus
from filings.services import filing_for_attorney
from registration.anumbers import format_a_number
from storage import Storage, StorageError
from storage.base import new_key

log = logging.getLogger(__name__)


class BusyDraft(Exception):
    """Another set is in progress: serve or discard it before correcting this one."""


class CannotCorrect(Exception):
    """The refused set cannot be corrected now (its window closed, or it was corrected
    already); the message says why and what to do instead."""


def _days() -> int:
    return int(current_app.config["ESERVICE"].correction_days)


def corrected_by(filing: Filing) -> list[Filing]:
    """The sets served as corrections of ``filing``, oldest first."""
    return list(
        db.session.scalars(
            select(Filing)
            .where(Filing.corrects_id == filing.id)
            .order_by(Filing.received_at, Filing.id)
        )
    )


def closes_at(filing: Filing) -> datetime:
    """When the window to correct this (refused) set closes."""
    return corrections_window.closes_at(filing, _days())


def window_words(filing: Filing) -> tuple[bool, str]:
    """Whether the window to correct this refused set is open now, and when it closes (or
    closed), in the office's time."""
    days = _days()
    return (
        corrections_window.is_open(filing, days, db.utcnow()),
        corrections_window.closes_in_words(filing, days),
    )


def of_draft(draft: DraftSet | None) -> dict[str, object] | None:
    """What the serve page says about the refused set a draft corrects: its receipt number,
    the files left out, and until when it can be corrected."""
    corrects = (draft.fields or {}).get("corrects") if draft is not None else None
    if not isinstance(corrects, dict) or not corrects.get("id"):
        return None
    original = db.session.get(Filing, corrects["id"])
    if original is None:
        return None
    is_open, closes = window_words(original)
    return {**corrects, "open": is_open, "closes": closes}


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
    if current is not None and drafts.corrects_id(current) == filing.id:
        return current
    later = corrected_by(filing)
    why = corrections_window.refusal(
        user.id, filing, later[0] if later else None, days=_days(), now=db.utcnow()
    )
    if why:
        raise CannotCorrect(why)
    if current is not None:
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
