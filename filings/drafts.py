"""A set in progress (draft): the serve form keeps what it was given, so an attorney never
picks a file twice. Every file that passes intake is stored at once under a generated key and
listed on the serve page; on serving, the keys become the documents' (filings.services.serve).
Kept a day after the last change, then purged."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import abort, current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from app import audit, db
from app.users import User
from filings import intake
from filings.draft_models import DraftFile, DraftSet
from filings.families import MAX_TEXT as MAX_RIDERS_TEXT
from filings.problems import Problem, problem
from filings.rules import DocumentType
from storage import Storage, StorageError
from storage.base import new_key
from storage.sets import Item, SetUpload

log = logging.getLogger(__name__)

KEPT_FOR = timedelta(days=1)
# The serve form's fields, as typed, kept with the draft.
FIELDS = ("office", "a_number", "rider_a_numbers", "document_type", "title", "next_hearing_on")
FLAGS = ("detained", "includes_e28")
# How much of each typed field is kept: enough for what the service accepts, and a little more
# so that the attorney sees what was too long.
_KEEP_CHARS = {"rider_a_numbers": MAX_RIDERS_TEXT + 100}


def _storage() -> Storage:
    return current_app.extensions["eservice.storage"]


def draft_of(user: User) -> DraftSet | None:
    return db.session.scalar(select(DraftSet).where(DraftSet.owner_id == user.id))


def _get_or_create(user: User) -> DraftSet:
    draft = draft_of(user)
    if draft is not None:
        return draft
    now = db.utcnow()
    draft = DraftSet(owner_id=user.id, created_at=now, updated_at=now, fields={})
    try:
        with db.session.begin_nested():  # two requests at once: one draft
            db.session.add(draft)
    except IntegrityError:
        existing = draft_of(user)
        assert existing is not None
        return existing
    audit.record("draft.created", obj_type="draft", obj_id=draft.id, actor=user)
    return draft


def typed_fields(form: Any) -> dict[str, Any]:
    """What the attorney typed in the serve form (a request form), to keep with the draft."""
    fields: dict[str, Any] = {
        name: (form.get(name) or "")[: _KEEP_CHARS.get(name, 400)] for name in FIELDS
    }
    fields.update({name: bool(form.get(name)) for name in FLAGS})
    return fields


def _size(f: FileStorage) -> int:
    return int(getattr(f.stream, "size", None) or 0)


def in_order(draft: DraftSet) -> list[DraftFile]:
    """The kept files in the order they will be served."""
    return sorted(draft.files, key=lambda f: f.position)


def _valid_type(value: str | None) -> str | None:
    return value if value in set(DocumentType) else None


@dataclass
class Kept:
    """What one POST of the serve form left in the draft, and the files it could not keep."""

    draft: DraftSet | None
    problems: list[Problem]


def keep(
    user: User,
    fields: dict[str, Any] | None,
    files: list[FileStorage],
    document_types: list[str],
    kept_types: dict[str, str],
) -> Kept:
    """Keep the typed fields, each chosen type of a kept file, and every new file that passes
    intake (the others are named in problems); one commit."""
    settings = current_app.config["ESERVICE"]
    files_and_types = [
        (f, document_types[i] if i < len(document_types) else "") for i, f in enumerate(files)
    ]
    sent = [(f, t) for f, t in files_and_types if f.filename or _size(f)]
    draft = draft_of(user)
    if draft is None and not sent and not _worth_keeping(fields):
        return Kept(None, [])
    draft = draft or _get_or_create(user)
    if fields is not None:
        draft.fields = {**fields, "corrects": (draft.fields or {}).get("corrects")}
    for row in draft.files:
        if row.id in kept_types:
            row.document_type = _valid_type(kept_types[row.id])
    problems: list[Problem] = []
    items: list[Item] = []
    if sent:
        _, examined = intake.examine(
            [f for f, _ in sent],
            max_document_bytes=settings.max_document_bytes,
            max_filing_bytes=settings.max_filing_bytes,
            max_files=10**6,  # the limits of the set are counted with the kept files below
        )
        count, total = len(draft.files), sum(r.size_bytes for r in draft.files)
        known = {r.sha256: r.filename for r in draft.files}
        now = db.utcnow()
        for item, (_, chosen) in zip(examined, sent, strict=True):
            problems += item.problems
            if item.problems or item.upload.sha256 in known:
                continue  # a file already kept (the form sent twice) is kept once
            if count + 1 > settings.max_documents_per_filing:
                problems.append(
                    problem(
                        "too_many_files", limit=settings.max_documents_per_filing, field="files"
                    )
                )
                continue
            if total + item.upload.size > settings.max_filing_bytes:
                problems.append(
                    problem("set_too_large", limit=settings.max_filing_mb, field="files")
                )
                continue
            writer = item.upload.writer
            key = writer.key if writer else new_key(now)
            items.append(Item(key, item.upload, item.upload.sha256, writer))  # type: ignore[arg-type]
            count, total = count + 1, total + item.upload.size
            known[item.upload.sha256] = item.filename
            draft.files.append(
                DraftFile(
                    position=count,
                    filename=item.filename,
                    storage_key=key,
                    size_bytes=item.upload.size,
                    sha256=item.upload.sha256,
                    pages=item.pages,
                    document_type=_valid_type(chosen),
                    added_at=now,
                )
            )
    draft.updated_at = db.utcnow()
    try:
        _store_and_commit(user, draft, items)
    except StorageError:
        return Kept(draft_of(user), _once([*problems, problem("storage_unavailable")]))
    return Kept(draft, _once(problems))


def _once(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str | None, str | None]] = set()
    out = []
    for p in problems:
        if (p.code, p.file, p.field) not in seen:
            seen.add((p.code, p.file, p.field))
            out.append(p)
    return out


def _worth_keeping(fields: dict[str, Any] | None) -> bool:
    return bool(fields) and any(fields.get(n) for n in ("a_number", "title"))  # type: ignore[union-attr]


def _store_and_commit(user: User, draft: DraftSet, items: list[Item]) -> None:
    """The new files durable before the rows that list them are committed; on any failure
    neither stays (the rows roll back, the stored bytes are removed)."""
    upload = SetUpload(_storage(), items)
    try:
        if items:
            audit.record(
                "draft.files_kept", obj_type="draft", obj_id=draft.id, actor=user, files=len(items)
            )
        upload.wait()
        db.session.commit()
    except StorageError:
        log.exception("storing files of a set in progress failed")
        db.session.rollback()
        raise
    except BaseException:
        db.session.rollback()
        upload.discard()
        raise


def file_of(user: User, file_id: str) -> DraftFile:
    """A kept file of this attorney's draft; 404 for anyone else's."""
    row = db.session.get(DraftFile, file_id) if len(file_id) <= 36 else None
    if row is None or row.draft.owner_id != user.id:
        audit.record("authz.not_found", outcome="denied", actor=user, obj_type="draft_file")
        db.session.commit()
        abort(404)
    return row


def remove_file(user: User, file_id: str) -> str:
    """Remove a kept file from the draft (its bytes go after the commit); its name."""
    row = file_of(user, file_id)
    name, key, draft = row.filename, row.storage_key, row.draft
    draft.files.remove(row)
    _renumber(draft)
    audit.record("draft.file_removed", obj_type="draft", obj_id=draft.id, actor=user)
    db.session.commit()
    delete_bytes([key])
    return name


def move_file(user: User, file_id: str, step: int) -> str:
    """Move a kept file one place up (-1) or down (+1) in the set; its name."""
    row = file_of(user, file_id)
    rows = list(row.draft.files)
    i = rows.index(row)
    j = min(max(i + step, 0), len(rows) - 1)
    rows[i], rows[j] = rows[j], rows[i]
    for position, r in enumerate(rows, start=1):
        r.position = position
    row.draft.updated_at = db.utcnow()
    db.session.commit()
    return row.filename


def _renumber(draft: DraftSet) -> None:
    for position, r in enumerate(draft.files, start=1):
        r.position = position
    draft.updated_at = db.utcnow()


def discard(user: User) -> None:
    """Drop the attorney's draft and its files."""
    draft = draft_of(user)
    if draft is None:
        return
    keys = [r.storage_key for r in draft.files]
    db.session.delete(draft)
    audit.record("draft.discarded", obj_type="draft", obj_id=draft.id, actor=user)
    db.session.commit()
    delete_bytes(keys)


def consume(user: User, draft: DraftSet, filing_id: str) -> None:
    """In the transaction that serves the set: the draft is gone, its keys now the documents'.
    (If that commit fails, the draft is still there, with every file.)"""
    db.session.delete(draft)
    audit.record("draft.served", obj_type="draft", obj_id=draft.id, actor=user, filing=filing_id)


def corrects_id(draft: DraftSet | None) -> str | None:
    """The id of the refused set this draft corrects, if it corrects one."""
    corrects = (draft.fields or {}).get("corrects") if draft is not None else None
    return corrects.get("id") if isinstance(corrects, dict) else None


def forget_correction(user: User) -> str | None:
    """The draft no longer corrects a refused set (its window closed, or it was corrected
    already): served, it is a new set. The receipt number it corrected, if any."""
    draft = draft_of(user)
    corrects = (draft.fields or {}).get("corrects") if draft is not None else None
    if draft is None or not corrects:
        return None
    draft.fields = {**draft.fields, "corrects": None}
    draft.updated_at = db.utcnow()
    audit.record(
        "draft.correction_dropped",
        obj_type="draft",
        obj_id=draft.id,
        actor=user,
        corrects=corrects.get("id"),
    )
    db.session.commit()
    return str(corrects.get("receipt") or "")


def forget_served(user: User, filing: Any) -> None:
    """A form sent twice: files the second copy kept again, already served by the first, go."""
    draft = draft_of(user)
    served = {d.sha256 for d in filing.documents}
    if draft is None or not any(r.sha256 in served for r in draft.files):
        return
    keys = [r.storage_key for r in draft.files if r.sha256 in served]
    for row in [r for r in draft.files if r.sha256 in served]:
        draft.files.remove(row)
    if not draft.files:
        db.session.delete(draft)
    db.session.commit()
    delete_bytes(keys)


def missing_files(draft: DraftSet) -> list[str]:
    """Drop kept files whose bytes are no longer in the store; their names."""
    storage = _storage()
    gone = [r for r in draft.files if not storage.exists(r.storage_key)]
    for row in gone:
        draft.files.remove(row)
    if gone:
        _renumber(draft)
        db.session.commit()
    return [r.filename for r in gone]


def delete_bytes(keys: list[str]) -> None:
    storage = _storage()
    for key in keys:
        try:
            storage.delete(key)
        except StorageError:
            log.exception("could not remove a kept file %s; the orphan sweep will", key)


def purge_expired() -> int:
    """Periodic: drafts untouched for a day go, with their files (rows first: bytes a failed
    delete leaves behind belong to nothing, and the orphan sweep removes them)."""
    cutoff = db.utcnow() - KEPT_FOR
    drafts = list(db.session.scalars(select(DraftSet).where(DraftSet.updated_at < cutoff)))
    if not drafts:
        return 0
    keys = [r.storage_key for d in drafts for r in d.files]
    ids = [d.id for d in drafts]
    db.session.execute(delete(DraftFile).where(DraftFile.draft_id.in_(ids)))
    db.session.execute(delete(DraftSet).where(DraftSet.id.in_(ids)))
    audit.record("maintenance.purge_drafts", actor_label="system", drafts=len(ids))
    db.session.commit()
    delete_bytes(keys)
    return len(ids)


def keys_in_use(keys: list[str]) -> set[str]:
    """Of ``keys``, those a draft holds (for the sweep of stored bytes nothing points to)."""
    return set(
        db.session.scalars(select(DraftFile.storage_key).where(DraftFile.storage_key.in_(keys)))
    )
