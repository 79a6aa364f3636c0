"""Check before you serve: the same checks a filing gets — intake, the deep check in a child
process, the malware scan — on files that are not served.

The request only receives the files: it refuses at once what is known without reading them
(who asks, the per-account quota, no files, too many files), stores them under generated keys
and queues the check job (``filings.jobs.check_files``, see filings/precheck_run.py), which
writes the report and deletes the files."""

from __future__ import annotations

import logging
import math
from datetime import datetime
from typing import Any, NoReturn

from flask import current_app
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

import workers
from app import audit, db
from app.users import User
from filings import intake, rules
from filings.precheck_models import CheckedFile, CheckStatus, FileCheck
from filings.precheck_run import remove_files
from filings.problems import Problem, problem
from filings.uploads import HashingUpload
from registration.models import AttorneyProfile, RegistrationState
from storage import Storage, StorageError
from storage.base import new_key

log = logging.getLogger(__name__)


class CheckRefused(Exception):
    """A check not taken: every reason, the HTTP status, and for a quota when to try again."""

    def __init__(self, problems: list[Problem], status: int, retry_after: int | None = None):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
        self.status = status
        self.retry_after = retry_after


def start_check(user: User, files: list[FileStorage]) -> FileCheck:
    """Take files to check: store them and queue the check job. Raises CheckRefused (nothing
    kept) for an unconfirmed e-mail, a quota reached, no files or too many."""
    _may_check(user)
    settings = current_app.config["ESERVICE"]
    uploads = _received(files)
    if not uploads:
        _refuse(user, [problem("no_files", field="files")], 422)
    limit = settings.max_documents_per_filing
    if len(uploads) > limit:
        _refuse(user, [problem("too_many_files", limit=limit, field="files")], 422)
    _within_quota(user, len(uploads))
    now = db.utcnow()
    storage: Storage = current_app.extensions["eservice.storage"]
    rows: list[CheckedFile] = []
    try:
        for position, (raw_name, upload) in enumerate(uploads, start=1):
            key = None
            if upload.size and not upload.over_cap:  # else there are no bytes worth keeping
                key = new_key(now)
                upload.file.seek(0)
                storage.put(key, upload.file, upload.sha256)
            rows.append(
                CheckedFile(
                    position=position,
                    filename=intake.sanitise_filename(raw_name, position),
                    size_bytes=upload.size,
                    sha256="" if upload.over_cap else upload.sha256,
                    storage_key=key,
                )
            )
    except StorageError:
        log.exception("storing files to check failed")
        remove_files(storage, rows)
        _refuse(user, [problem("check_not_stored", field="files")], 503)
    check = FileCheck(
        owner_id=user.id,
        status=CheckStatus.PENDING,
        created_at=now,
        file_count=len(rows),
        files=rows,
    )
    try:
        db.session.add(check)
        db.session.flush()
        audit.record(
            "check.requested", obj_type="file_check", obj_id=check.id, actor=user, files=len(rows)
        )
        workers.enqueue("filings.jobs.check_files", check.id, queue=workers.CHECKS)
        workers.commit()
    except BaseException:
        workers.outbox.rollback()
        remove_files(storage, rows)
        raise
    return check


def _received(files: list[FileStorage]) -> list[tuple[str | None, HashingUpload]]:
    """The file parts as UploadRequest received them, without the empty part a browser sends
    for a file input left empty (that is no file at all)."""
    uploads = []
    for part in files:
        stream: Any = part.stream
        if not isinstance(stream, HashingUpload):
            raise TypeError("uploads must be received through filings.uploads.UploadRequest")
        if part.filename or stream.size:
            uploads.append((part.filename, stream))
    return uploads


def _refuse(
    user: User, problems: list[Problem], status: int, retry_after: int | None = None
) -> NoReturn:
    audit.record(
        "check.refused",
        actor=user,
        outcome={403: "denied", 503: "error"}.get(status, "refused"),
        codes=sorted({p.code for p in problems}),
    )
    db.session.commit()
    raise CheckRefused(problems, status, retry_after)


def _may_check(user: User) -> None:
    """An attorney whose e-mail is confirmed, verified or not."""
    profile = db.session.get(AttorneyProfile, user.id)
    if profile is None or profile.state == RegistrationState.EMAIL_UNCONFIRMED:
        _refuse(user, [problem("email_unconfirmed")], 403)
    if profile.state == RegistrationState.SUSPENDED:
        _refuse(user, [problem("account_suspended")], 403)


def _within_quota(user: User, new_files: int) -> None:
    """Refuse (429, with when to try again) past the per-account limits in filings.rules."""
    now = db.utcnow()
    # One account's requests take turns here (PostgreSQL), so two at once cannot both pass.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    pending = db.session.scalar(
        select(func.count())
        .select_from(FileCheck)
        .where(
            FileCheck.owner_id == user.id,
            FileCheck.status == CheckStatus.PENDING,
            FileCheck.created_at > now - rules.CHECK_GIVE_UP_AFTER,
        )
    )
    at_once = rules.CHECKS_PENDING_AT_ONCE
    if (pending or 0) >= at_once:
        found = problem("checks_pending", field="files", pending=pending, limit=at_once)
        _refuse(user, [found], 429, 30)
    window = list(
        db.session.execute(
            select(FileCheck.created_at, FileCheck.file_count)
            .where(FileCheck.owner_id == user.id, FileCheck.created_at > now - rules.CHECK_WINDOW)
            .order_by(FileCheck.created_at)
        )
    )
    limit = rules.CHECK_FILES_PER_WINDOW
    used = sum(count for _, count in window)
    if used + new_files <= limit:
        return
    retry_at = _room_at(window, used + new_files - limit)
    hours = int(rules.CHECK_WINDOW.total_seconds() // 3600)
    found = problem(
        "checks_per_day",
        field="files",
        used=used,
        hours=hours,
        limit=limit,
        new=new_files,
        retry_at=f"{retry_at:%Y-%m-%d %H:%M}",
    )
    retry_after = max(1, math.ceil((retry_at - now).total_seconds()))
    _refuse(user, [found], 429, retry_after)


def _room_at(window: list[Any], excess: int) -> datetime:
    """When enough of the window's files (oldest first) have left it to make ``excess`` room."""
    freed = 0
    for created_at, count in window:
        freed += count
        if freed >= excess:
            return created_at + rules.CHECK_WINDOW
    return db.utcnow() + rules.CHECK_WINDOW


def check_of(user: User, check_id: str) -> FileCheck | None:
    """The user's own check; None for anyone else's (shown as not found)."""
    check = db.session.get(FileCheck, check_id)
    return check if check is not None and check.owner_id == user.id else None


def as_json(check: FileCheck) -> dict[str, Any]:
    """The report in the API's shape; while pending, with no verdict yet."""
    report = check.report or {"ok": None, "problems": [], "documents": []}
    return {
        "id": check.id,
        "status": check.status,
        "created_at": _iso(check.created_at),
        "finished_at": _iso(check.finished_at) if check.finished_at else None,
        **report,
    }


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")
