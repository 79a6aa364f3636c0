"""Running a check before you serve (``filings.jobs.check_files``): every check on the stored
files as intake and the filing check job run them, the report, and the files deleted; a check
whose job was lost is given up; reports are deleted after a week."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, update
from werkzeug.datastructures import FileStorage

from app import audit, db
from filings import intake, rules
from filings.checks import check_document
from filings.precheck_models import CheckedFile, CheckStatus, FileCheck
from filings.problems import Problem, problem
from filings.uploads import HashingUpload
from storage import Storage, StorageError
from storage.base import CHUNK

log = logging.getLogger(__name__)


@dataclass
class DocumentReport:
    filename: str
    pages: int
    bytes: int
    sha256: str
    problems: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CheckReport:
    problems: list[dict[str, Any]]  # of the set as a whole
    documents: list[DocumentReport]

    @property
    def ok(self) -> bool:
        return not self.problems and not any(d.problems for d in self.documents)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": self.problems,
            "documents": [asdict(d) for d in self.documents],
        }


def _storage() -> Storage:
    return current_app.extensions["eservice.storage"]


def given_up(check: FileCheck) -> bool:
    """Pending so long that its job was lost (and its files may have been swept)."""
    return check.created_at < db.utcnow() - rules.CHECK_GIVE_UP_AFTER


def run_checks(check: FileCheck) -> CheckReport:
    """Every check on the stored files, as intake and the check job run them on a filing."""
    settings = current_app.config["ESERVICE"]
    settings.upload_tmp_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(_fetched(row)) for row in check.files]
        set_problems, examined = intake.examine(
            files,
            max_document_bytes=settings.max_document_bytes,
            max_filing_bytes=settings.max_filing_bytes,
            max_files=settings.max_documents_per_filing,
        )
        reports = []
        for item, row in zip(examined, check.files, strict=True):
            upload = item.upload
            report = DocumentReport(
                item.filename,
                item.pages,
                upload.size,
                upload.sha256 if not upload.over_cap else "",
                [p.as_dict() for p in item.problems],
            )
            if row.storage_key and upload.sha256 != row.sha256:
                report.problems = [problem("checksum_mismatch", item.filename).as_dict()]
            elif not item.problems:
                result = check_document(
                    upload.name, upload.file, upload.size, item.filename, settings.clamd_url
                )
                report.pages = result.pages or report.pages
                report.problems += result.problems
                report.warnings = result.warnings
                if result.scan_unavailable:
                    report.problems.append(_scanner_down(item.filename).as_dict())
            reports.append(report)
    return CheckReport([p.as_dict() for p in set_problems], reports)


@contextlib.contextmanager
def _fetched(row: CheckedFile) -> Iterator[FileStorage]:
    """One stored file as intake receives an upload: a temporary file hashed as it is written
    (so the SHA-256 is of the bytes checked). A file whose bytes were not kept (empty, or over
    the size limit) is only its size, which is all intake looks at then."""
    settings = current_app.config["ESERVICE"]
    upload = HashingUpload(str(settings.upload_tmp_dir), settings.max_document_bytes)
    try:
        if row.storage_key:
            # A store that is down raises StorageError: the job fails and is retried.
            with _storage().open(row.storage_key) as source:
                while chunk := source.read(CHUNK):
                    upload.write(chunk)
        else:
            upload.size = row.size_bytes
        yield FileStorage(upload, filename=row.filename)  # type: ignore[arg-type]
    finally:
        upload.close()


def _scanner_down(filename: str) -> Problem:
    return problem("scanner_no_verdict", filename, field="files")


def not_checked(check: FileCheck) -> CheckReport:
    """The report of a check given up: every file named, none checked."""
    hours = int(rules.CHECK_GIVE_UP_AFTER.total_seconds() // 3600) or 1
    within = f"{hours} hour{'s' if hours > 1 else ''}"
    return CheckReport(
        [problem("check_given_up", field="files", hours=within).as_dict()],
        [DocumentReport(f.filename, 0, f.size_bytes, f.sha256) for f in check.files],
    )


def finish(check: FileCheck, report: CheckReport) -> bool:
    """Write the report (once: a second run changes nothing) and delete the stored files."""
    done = db.conditional_update(
        update(FileCheck)
        .where(FileCheck.id == check.id, FileCheck.status == CheckStatus.PENDING)
        .values(status=CheckStatus.DONE, finished_at=db.utcnow(), report=report.as_dict())
    )
    if done:
        audit.record(
            "check.finished",
            obj_type="file_check",
            obj_id=check.id,
            actor_label="system",
            ok=report.ok,
            codes=sorted(
                {p["code"] for p in report.problems}
                | {p["code"] for d in report.documents for p in d.problems}
            ),
        )
        db.session.commit()
    else:
        db.session.rollback()
    remove_files(_storage(), check.files)
    return bool(done)


def remove_files(storage: Storage, rows: list[CheckedFile]) -> None:
    """Delete the stored bytes of these files; what cannot be deleted now, the sweep will."""
    for row in rows:
        if row.storage_key:
            try:
                storage.delete(row.storage_key)
            except StorageError:
                log.exception("could not remove checked file %s; the sweep will", row.storage_key)


def expire_checks() -> tuple[int, int]:
    """Give up checks pending too long (their job was lost), and delete reports past their
    time with any files left; return (given up, deleted)."""
    now = db.utcnow()
    stale = db.session.scalars(
        select(FileCheck)
        .where(
            FileCheck.status == CheckStatus.PENDING,
            FileCheck.created_at < now - rules.CHECK_GIVE_UP_AFTER,
        )
        .limit(500)
    ).all()
    given = sum(1 for check in stale if finish(check, not_checked(check)))
    old = db.session.scalars(
        select(FileCheck).where(FileCheck.created_at < now - rules.CHECK_REPORT_KEPT_FOR).limit(500)
    ).all()
    for check in old:
        remove_files(_storage(), check.files)
    ids = [check.id for check in old]
    if ids:
        db.session.execute(delete(CheckedFile).where(CheckedFile.check_id.in_(ids)))
        db.session.execute(delete(FileCheck).where(FileCheck.id.in_(ids)))
        audit.record("maintenance.expire_checks", actor_label="system", deleted=len(ids))
    db.session.commit()
    return given, len(ids)


def keys_in_use(keys: list[str]) -> set[str]:
    """Of these stored keys, those of checks still waiting for their job (not given up)."""
    return set(
        db.session.scalars(
            select(CheckedFile.storage_key)
            .join(FileCheck)
            .where(
                CheckedFile.storage_key.in_(keys),
                FileCheck.status == CheckStatus.PENDING,
                FileCheck.created_at >= db.utcnow() - rules.CHECK_GIVE_UP_AFTER,
            )
        )
    )
