"""Serving a document set, deciding on it, and who may see which filing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from flask import abort, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

import workers
from app import audit, db
from app.offices import Office, office_by_code
from app.users import User
from filings import corrections_window, families, intake
from filings.models import Document, Filing, FilingRider, FilingStatus, new_id
from filings.problems import FilingRefused, Problem, problem
from filings.receipts import new_receipt_number
from filings.rules import MAX_TITLE, DocumentType
from registration.anumbers import ANumberError, format_a_number, normalise_a_number
from registration.appearances import a_numbers_on_record, on_record
from registration.models import AttorneyProfile
from storage import Storage, StorageError
from storage.base import new_key
from storage.sets import Item, SetUpload

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceRequest:
    """What an attorney asks to serve, as typed: validated by ``serve``."""

    office: str
    a_number: str
    document_type: str
    title: str
    next_hearing_on: date | None = None
    detained: bool = False
    includes_e28: bool = False
    idempotency_key: str | None = None
    # Each new file's own type, in the order of the files ("": the set's type).
    document_types: tuple[str, ...] = ()
    # A family: the riders' A-Numbers served with the lead's (``a_number``), as typed.
    rider_a_numbers: tuple[str, ...] = ()
    # The id of the refused set this one corrects (the attorney's own, within the window).
    corrects_id: str | None = None


class KeptDocument(Protocol):
    """A file stored already (a draft's): served under its key, never uploaded again."""

    filename: str
    storage_key: str
    size_bytes: int
    sha256: str
    pages: int
    document_type: str | None


def get_storage() -> Storage:
    return current_app.extensions["eservice.storage"]


def _field_problem(field: str, detail: str) -> Problem:
    return problem("invalid_field", field=field, detail=detail)


def _check_fields(req: ServiceRequest) -> tuple[list[Problem], str | None, Office | None]:
    """Problems with the typed fields, the A-Number as nine digits and the office, when they
    are valid."""
    problems: list[Problem] = []
    a_number = None
    office = office_by_code(req.office or "")
    if office is None:
        problems.append(_field_problem("office", "Choose the OCC field office to serve."))
    try:
        a_number = normalise_a_number(req.a_number)
    except ANumberError as exc:
        problems.append(_field_problem("a_number", str(exc)))
    if req.document_type not in set(DocumentType):
        problems.append(_field_problem("document_type", "Choose a document type from the list."))
    if any(t and t not in set(DocumentType) for t in req.document_types):
        problems.append(
            _field_problem("document_types", "Choose each document's type from the list.")
        )
    title = (req.title or "").strip()
    if not title:
        problems.append(_field_problem("title", "Give the document set a title."))
    elif len(title) > MAX_TITLE:
        problems.append(
            _field_problem("title", f"The title may be at most {MAX_TITLE} characters.")
        )
    if req.next_hearing_on is not None:
        # A day of slack: "today" at the court may still be yesterday in UTC.
        today = db.utcnow().date()
        if req.next_hearing_on < today - timedelta(days=1):
            problems.append(
                _field_problem("next_hearing_on", "The next hearing date is in the past.")
            )
        elif req.next_hearing_on > today + timedelta(days=3660):
            problems.append(
                _field_problem(
                    "next_hearing_on", "The next hearing date is more than ten years away."
                )
            )
    if req.idempotency_key is not None and not (0 < len(req.idempotency_key) <= 100):
        problems.append(
            _field_problem("idempotency_key", "An idempotency key is 1 to 100 characters.")
        )
    return problems, a_number, office


def e28_on_record(attorney: User, a_number: str) -> bool:
    """Whether an E-28 appearance record names this attorney for this A-Number: the only thing
    that gives the right to serve on it. (A set that declares an E-28 is let through without
    one, but gives no right to serve again.)"""
    profile = db.session.get(AttorneyProfile, attorney.id)
    return profile is not None and on_record(profile, a_number)


def e28_a_numbers(attorney: User) -> list[str]:
    """A-Numbers with an E-28 appearance record naming this attorney."""
    profile = db.session.get(AttorneyProfile, attorney.id)
    return a_numbers_on_record(profile) if profile else []


def _rider_problems(
    attorney: User, req: ServiceRequest, a_number: str | None, includes_e28: bool
) -> tuple[list[Problem], list[str], bool]:
    """Problems with the riders' A-Numbers, the riders (nine digits, in order), and whether
    any of them has no E-28 record naming the attorney (let through by an E-28 in the set)."""
    riders = families.parse_riders(req.rider_a_numbers, a_number)
    problems = [_field_problem("rider_a_numbers", e) for e in riders.errors]
    unrecorded = [r for r in riders.a_numbers if not e28_on_record(attorney, r)]
    if not includes_e28:
        problems += [
            problem("no_e28_on_record", field="rider_a_numbers", a_number=format_a_number(r))
            for r in unrecorded
        ]
    return problems, riders.a_numbers, bool(unrecorded)


def _correction_problem(attorney: User, corrects_id: str) -> Problem | None:
    """Why the set cannot be served as a correction of ``corrects_id``, or None."""
    original = db.session.get(Filing, corrects_id) if len(corrects_id) <= 36 else None
    corrected_by = None
    if original is not None:
        corrected_by = db.session.scalar(
            select(Filing).where(Filing.corrects_id == original.id).limit(1)
        )
    why = corrections_window.refusal(
        attorney.id,
        original,
        corrected_by,
        days=current_app.config["ESERVICE"].correction_days,
        now=db.utcnow(),
    )
    return _field_problem("corrects", why) if why else None


def _existing_for_key(attorney: User, key: str | None) -> Filing | None:
    if not key:
        return None
    return db.session.scalar(
        select(Filing).where(Filing.attorney_id == attorney.id, Filing.idempotency_key == key)
    )


def earlier_filing(attorney: User, idempotency_key: str | None) -> Filing | None:
    """The filing a repeated submission already made, if any."""
    return _existing_for_key(attorney, idempotency_key)


def _set_limits(kept: Sequence[KeptDocument], new: list[intake.ReceivedDocument]) -> list[Problem]:
    """The limits of a whole set made of kept files and new ones."""
    settings = current_app.config["ESERVICE"]
    problems = []
    if len(kept) + len(new) > settings.max_documents_per_filing:
        problems.append(
            problem("too_many_files", limit=settings.max_documents_per_filing, field="files")
        )
    if sum(k.size_bytes for k in kept) + sum(d.size for d in new) > settings.max_filing_bytes:
        problems.append(problem("set_too_large", limit=settings.max_filing_mb, field="files"))
    names = {k.sha256: k.filename for k in kept}
    for d in new:
        if d.sha256 in names:
            problems.append(problem("duplicate_file", d.filename, other=f"“{names[d.sha256]}”"))
    return problems


def serve(
    attorney: User,
    req: ServiceRequest,
    files: list[FileStorage],
    *,
    kept: Sequence[KeptDocument] = (),
    found: Sequence[Problem] = (),
    before_commit: Callable[[Filing], None] | None = None,
) -> tuple[Filing, bool]:
    """Check, store and record a document set of the ``kept`` files (stored already) and the
    new ``files``; return (filing, created). ``found``: problems found before (the set is
    refused with them); ``before_commit`` runs in the transaction that records the filing.

    A repeated idempotency key returns the first filing with ``created`` False. Raises
    FilingRefused with every problem found; nothing new is kept then.
    """
    profile = db.session.get(AttorneyProfile, attorney.id)
    if profile is None or not profile.is_verified:
        raise FilingRefused([problem("not_verified")], status=403)
    earlier = _existing_for_key(attorney, req.idempotency_key)
    if earlier is not None:
        return earlier, False
    problems, a_number, office = _check_fields(req)
    problems = [*found, *problems]
    own_types = [*(k.document_type for k in kept), *req.document_types]
    includes_e28 = (
        req.includes_e28 or req.document_type == DocumentType.E28 or DocumentType.E28 in own_types
    )
    has_record = bool(a_number) and e28_on_record(attorney, a_number or "")
    if a_number and not includes_e28 and not has_record:
        problems.append(problem("no_e28_on_record", field="a_number", a_number=req.a_number))
    rider_problems, riders, riders_unrecorded = _rider_problems(
        attorney, req, a_number, includes_e28
    )
    problems += rider_problems
    corrects_id = req.corrects_id or None
    if corrects_id and (wrong := _correction_problem(attorney, corrects_id)):
        problems.append(wrong)
    settings = current_app.config["ESERVICE"]
    documents: list[intake.ReceivedDocument] = []
    if files or not kept:
        try:
            documents = intake.receive(
                files,
                max_document_bytes=settings.max_document_bytes,
                max_filing_bytes=settings.max_filing_bytes,
                max_files=settings.max_documents_per_filing,
            )
        except FilingRefused as refused:
            problems += refused.problems
    if kept:
        problems += _set_limits(kept, documents)
    if problems:
        audit.record(
            "filing.refused",
            actor=attorney,
            outcome="refused",
            codes=sorted({p.code for p in problems}),
        )
        db.session.commit()
        raise FilingRefused(problems)
    assert a_number is not None and office is not None

    received_at = db.utcnow()
    items = [
        Item(d.writer.key if d.writer else new_key(received_at), d.stream, d.sha256, d.writer)
        for d in documents
    ]
    filing = Filing(
        id=new_id(),  # known now, so the rows are written in one flush, at the commit
        receipt_number=new_receipt_number(office.code, received_at),
        attorney=attorney,
        office=office,
        a_number=a_number,
        document_type=req.document_type,
        includes_e28=includes_e28,
        self_declared_e28=includes_e28 and (not has_record or riders_unrecorded),
        title=" ".join(req.title.split()),
        next_hearing_on=req.next_hearing_on,
        detained=req.detained,
        status=FilingStatus.RECEIVED,
        received_at=received_at,
        idempotency_key=req.idempotency_key or None,
        corrects_id=corrects_id,
        riders=[FilingRider(a_number=r, position=i) for i, r in enumerate(riders, start=1)],
        documents=[
            Document(
                position=i,
                filename=k.filename,
                storage_key=k.storage_key,
                size_bytes=k.size_bytes,
                sha256=k.sha256,
                pages=k.pages,
                document_type=k.document_type,
            )
            for i, k in enumerate(kept, start=1)
        ]
        + [
            Document(
                position=len(kept) + i,
                filename=d.filename,
                storage_key=item.key,
                size_bytes=d.size,
                sha256=d.sha256,
                pages=d.pages,
                document_type=_own_type(req, i - 1),
            )
            for i, (d, item) in enumerate(zip(documents, items, strict=True), start=1)
        ],
    )
    # The documents go to the store while the rows are written; the commit that issues the
    # receipt waits for them to be durable.
    upload = SetUpload(get_storage(), items)
    try:
        db.session.add(filing)
        audit.record(
            "filing.received",
            obj_type="filing",
            obj_id=filing.id,
            actor=attorney,
            receipt=filing.receipt_number,
            documents=len(kept) + len(documents),
            self_declared_e28=filing.self_declared_e28,
            riders=len(riders),
            corrects=corrects_id,
        )
        if before_commit is not None:
            before_commit(filing)
        workers.enqueue("filings.jobs.check_filing", filing.id, queue=workers.CHECKS)
        upload.wait()  # every document durable (or none kept) before the commit
        workers.commit()
    except StorageError:
        log.exception("storing a document set failed")
        workers.outbox.rollback()
        audit.record(
            "filing.refused", actor=attorney, outcome="error", codes=["storage_unavailable"]
        )
        db.session.commit()
        raise FilingRefused([problem("storage_unavailable")], status=503) from None
    except IntegrityError:
        workers.outbox.rollback()
        upload.discard()
        earlier = _existing_for_key(attorney, req.idempotency_key)
        if earlier is not None:  # the same submission, committed a moment before this one
            return earlier, False
        if kept:  # the kept files were served a moment before, from another page
            taken = "These files were served a moment ago from another page: see My filings."
            raise FilingRefused([problem("invalid_field", detail=taken)], status=409) from None
        raise
    except BaseException:
        workers.outbox.rollback()
        upload.discard()
        raise
    return filing, True


def _own_type(req: ServiceRequest, index: int) -> str | None:
    chosen = req.document_types[index] if index < len(req.document_types) else ""
    return chosen or None


def filings_of(attorney: User) -> list[Filing]:
    return list(
        db.session.scalars(
            select(Filing)
            .where(Filing.attorney_id == attorney.id)
            .order_by(Filing.received_at.desc(), Filing.id)
        )
    )


def filing_for_attorney(attorney: User, filing_id: str) -> Filing:
    filing = db.session.get(Filing, filing_id)
    if filing is None or filing.attorney_id != attorney.id:
        abort(404)
    return filing


def staff_can_see(staff: User, filing: Filing) -> bool:
    """Whether a staff member may open the set: their office's, served, held or decided by
    staff (a set refused by the checks was never served, and staff never see it)."""
    return (
        staff.office_id is not None
        and filing.office_id == staff.office_id
        and bool(filing.passed_checks or filing.status == FilingStatus.HELD or filing.decided_by_id)
    )


def filing_for_staff(staff: User, filing_id: str) -> Filing:
    filing = db.session.get(Filing, filing_id)
    if filing is None or not staff_can_see(staff, filing):
        abort(404)
    return filing


def document_of(filing: Filing, document_id: str) -> Document:
    for doc in filing.documents:
        if doc.id == document_id:
            return doc
    abort(404)


def record_download(user: User, doc: Document) -> None:
    audit.record(
        "document.download", obj_type="document", obj_id=doc.id, actor=user, filing=doc.filing_id
    )
    db.session.commit()
