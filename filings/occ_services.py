"""OCC serving attorneys: an office's staff serve a document set on the attorneys of record for an
A-Number, through the same intake and checks as attorneys' sets; and who may see which set."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

import workers
from app import audit, db
from app.offices import Office
from app.users import User
from filings import intake
from filings.models import new_id
from filings.occ_service_models import (
    OccService,
    OccServiceDocument,
    OccServiceRecipient,
    OccServiceStatus,
)
from filings.problems import FilingRefused, Problem, problem
from filings.receipts import new_receipt_number
from filings.rules import DOCUMENT_TYPE_LABELS, MAX_TITLE, DocumentType
from registration.anumbers import ANumberError, format_a_number, normalise_a_number
from registration.models import AttorneyProfile
from registration.of_record import attorneys_of_record
from storage import Storage, StorageError
from storage.base import new_key
from storage.sets import Item, SetUpload

log = logging.getLogger(__name__)

# What OCC serves: the attorneys' document types, less the attorney's own E-28.
SERVABLE_TYPES = {k: v for k, v in DOCUMENT_TYPE_LABELS.items() if k != DocumentType.E28}


@dataclass(frozen=True)
class OccServeRequest:
    """What staff ask to serve, as typed: validated by ``serve``."""

    a_number: str
    document_type: str
    title: str
    # The attorneys the staff member was shown (user ids): served only if they are still the
    # attorneys of record. None: whoever is of record now.
    expected: tuple[int, ...] | None = None
    idempotency_key: str | None = None


def office_of(staff: User) -> Office | None:
    """The office a staff member serves for; None for anyone else."""
    return staff.office if staff.is_staff and staff.office_id else None


def _field(field: str, detail: str) -> Problem:
    return problem("invalid_field", field=field, detail=detail)


def no_attorney_of_record(a_number: str) -> Problem:
    return _field(
        "a_number",
        f"No attorney of record for {format_a_number(a_number)}: no verified attorney has an "
        "E-28 on record for it, so nothing can be served here. Serve by mail instead.",
    )


def _a_number(raw: str) -> tuple[str | None, list[Problem]]:
    try:
        return normalise_a_number(raw), []
    except ANumberError as exc:
        return None, [_field("a_number", str(exc))]


def lookup(staff: User, raw_a_number: str) -> tuple[str, list[AttorneyProfile]]:
    """The A-Number (nine digits) and whom a set for it would be served on; FilingRefused when
    it is not an A-Number or has no attorney of record."""
    a_number, problems = _a_number(raw_a_number)
    attorneys = attorneys_of_record(a_number) if a_number else []
    if a_number and not attorneys:
        problems.append(no_attorney_of_record(a_number))
    audit.record(
        "occ_service.lookup",
        actor=staff,
        outcome="refused" if problems else "success",
        a_number=a_number,  # who represents whom is what the lookup reveals
        attorneys=len(attorneys),
    )
    db.session.commit()
    if problems:
        raise FilingRefused(problems)
    assert a_number is not None
    return a_number, attorneys


def whom(raw_a_number: str) -> list[AttorneyProfile]:
    """The attorneys of record for what was typed (none when it is not an A-Number)."""
    a_number, _problems = _a_number(raw_a_number)
    return attorneys_of_record(a_number) if a_number else []


def _check_fields(req: OccServeRequest) -> tuple[list[Problem], str | None]:
    a_number, problems = _a_number(req.a_number)
    if req.document_type not in {str(k) for k in SERVABLE_TYPES}:
        problems.append(_field("document_type", "Choose a document type from the list."))
    title = (req.title or "").strip()
    if not title:
        problems.append(_field("title", "Give the document set a title."))
    elif len(title) > MAX_TITLE:
        problems.append(_field("title", f"The title may be at most {MAX_TITLE} characters."))
    if req.idempotency_key is not None and not (0 < len(req.idempotency_key) <= 100):
        problems.append(_field("idempotency_key", "An idempotency key is 1 to 100 characters."))
    return problems, a_number


def _earlier(staff: User, key: str | None) -> OccService | None:
    if not key:
        return None
    return db.session.scalar(
        select(OccService).where(
            OccService.served_by_id == staff.id, OccService.idempotency_key == key
        )
    )


def recipients_for(attorneys: list[AttorneyProfile]) -> list[OccServiceRecipient]:
    """The rows naming each attorney served, as they are named now."""
    return [
        OccServiceRecipient(
            attorney_id=p.user_id,
            position=i,
            name=p.user.full_name,
            eoir_id=p.eoir_id,
            bar_state=p.bar_state,
            bar_number=p.bar_number,
        )
        for i, p in enumerate(attorneys, start=1)
    ]


def serve(staff: User, req: OccServeRequest, files: list[FileStorage]) -> tuple[OccService, bool]:
    """Check, store and record a set OCC serves; return (set, created). The check job then
    serves it on the attorneys of record (or refuses or holds it). Raises FilingRefused with
    every problem found, nothing kept; a repeated idempotency key returns the first set."""
    office = office_of(staff)
    if office is None:
        raise FilingRefused([_field("office", "Only staff of an OCC office serve.")], status=403)
    earlier = _earlier(staff, req.idempotency_key)
    if earlier is not None:
        return earlier, False
    problems, a_number = _check_fields(req)
    attorneys = attorneys_of_record(a_number) if a_number else []
    if a_number and not attorneys:
        problems.append(no_attorney_of_record(a_number))
    elif req.expected is not None and sorted(req.expected) != sorted(p.user_id for p in attorneys):
        problems.append(
            _field(
                "a_number",
                f"The attorneys of record for {format_a_number(a_number or '')} changed since "
                "you looked them up. Check whom the set will be served on, then serve it.",
            )
        )
    settings = current_app.config["ESERVICE"]
    documents: list[intake.ReceivedDocument] = []
    try:
        documents = intake.receive(
            files,
            max_document_bytes=settings.max_document_bytes,
            max_filing_bytes=settings.max_filing_bytes,
            max_files=settings.max_documents_per_filing,
        )
    except FilingRefused as refused:
        problems += refused.problems
    if problems:
        audit.record(
            "occ_service.refused",
            actor=staff,
            outcome="refused",
            codes=sorted({p.code for p in problems}),
        )
        db.session.commit()
        raise FilingRefused(problems)
    assert a_number is not None
    return _store(staff, office, req, a_number, attorneys, documents), True


def _store(
    staff: User,
    office: Office,
    req: OccServeRequest,
    a_number: str,
    attorneys: list[AttorneyProfile],
    documents: list[intake.ReceivedDocument],
) -> OccService:
    """Write the set's rows while its documents go to the store; commit once both are done."""
    received_at = db.utcnow()
    items = [Item(new_key(received_at), d.stream, d.sha256, d.writer) for d in documents]
    service = OccService(
        id=new_id(),
        receipt_number=new_receipt_number(office.code, received_at),
        office=office,
        served_by_id=staff.id,
        a_number=a_number,
        document_type=req.document_type,
        title=" ".join(req.title.split()),
        status=OccServiceStatus.RECEIVED,
        received_at=received_at,
        problems=[],
        idempotency_key=req.idempotency_key or None,
        documents=[
            OccServiceDocument(
                position=i,
                filename=d.filename,
                storage_key=item.key,
                size_bytes=d.size,
                sha256=d.sha256,
                pages=d.pages,
            )
            for i, (d, item) in enumerate(zip(documents, items, strict=True), start=1)
        ],
        recipients=recipients_for(attorneys),
    )
    upload = SetUpload(get_storage(), items)
    try:
        db.session.add(service)
        audit.record(
            "occ_service.received",
            obj_type="occ_service",
            obj_id=service.id,
            actor=staff,
            receipt=service.receipt_number,
            documents=len(documents),
            attorneys=[p.user_id for p in attorneys],
        )
        workers.enqueue("filings.occ_service_jobs.check_service", service.id, queue=workers.CHECKS)
        upload.wait()
        workers.commit()
    except StorageError:
        log.exception("storing a set OCC serves failed")
        workers.outbox.rollback()
        audit.record(
            "occ_service.refused", actor=staff, outcome="error", codes=["storage_unavailable"]
        )
        db.session.commit()
        raise FilingRefused([problem("storage_unavailable")], status=503) from None
    except IntegrityError:
        workers.outbox.rollback()
        upload.discard()
        earlier = _earlier(staff, req.idempotency_key)
        if earlier is not None:  # the same form, committed a moment before this one
            return earlier
        raise
    except BaseException:
        workers.outbox.rollback()
        upload.discard()
        raise
    return service


def get_storage() -> Storage:
    return current_app.extensions["eservice.storage"]


# --- who may see what -------------------------------------------------------------------------


def office_services(staff: User, limit: int = 200) -> list[OccService]:
    """What the staff member's office served, newest first."""
    if office_of(staff) is None:
        return []
    return list(
        db.session.scalars(
            select(OccService)
            .where(OccService.office_id == staff.office_id)
            .order_by(OccService.received_at.desc(), OccService.id)
            .limit(limit)
        )
    )


def service_for_staff(staff: User, service_id: str) -> OccService | None:
    """A set of the staff member's own office; None for any other."""
    service = db.session.get(OccService, service_id)
    if service is None or office_of(staff) is None or service.office_id != staff.office_id:
        return None
    return service


def served_on(attorney: User) -> list[tuple[OccService, OccServiceRecipient]]:
    """The sets served on this attorney (served ones only), newest first."""
    rows = db.session.execute(
        select(OccService, OccServiceRecipient)
        .join(OccServiceRecipient, OccServiceRecipient.service_id == OccService.id)
        .where(
            OccServiceRecipient.attorney_id == attorney.id,
            OccService.status == OccServiceStatus.SERVED,
        )
        .order_by(OccService.served_at.desc(), OccService.id)
    )
    return [(s, r) for s, r in rows]


def service_for_attorney(
    attorney: User, service_id: str
) -> tuple[OccService, OccServiceRecipient] | None:
    """A set served on this attorney, and their place in it; None for any other (or one not
    served yet)."""
    service = db.session.get(OccService, service_id)
    if service is None or service.status != OccServiceStatus.SERVED:
        return None
    mine = next((r for r in service.recipients if r.attorney_id == attorney.id), None)
    return (service, mine) if mine is not None else None


def document_in(service: OccService, document_id: str) -> OccServiceDocument | None:
    return next((d for d in service.documents if d.id == document_id), None)


def record_download(
    user: User, doc: OccServiceDocument, recipient: OccServiceRecipient | None
) -> None:
    """Audit a download; an attorney's first one is the moment the set was opened, recorded
    once however many downloads race for it."""
    audit.record(
        "occ_service.download",
        obj_type="occ_service_document",
        obj_id=doc.id,
        actor=user,
        service=doc.service_id,
    )
    if recipient is not None:
        now = db.utcnow()
        opened = db.conditional_update(
            update(OccServiceRecipient)
            .where(OccServiceRecipient.id == recipient.id, OccServiceRecipient.opened_at.is_(None))
            .values(opened_at=now)
        )
        if opened:
            audit.record(
                "occ_service.opened",
                obj_type="occ_service",
                obj_id=doc.service_id,
                actor=user,
                opened_at=now.isoformat(),
            )
    db.session.commit()


def keys_in_use(keys: list[str]) -> set[str]:
    """Which of these stored keys hold documents of sets OCC served: the orphan sweep keeps
    them."""
    if not keys:
        return set()
    return set(
        db.session.scalars(
            select(OccServiceDocument.storage_key).where(OccServiceDocument.storage_key.in_(keys))
        )
    )


def local_time(service: OccService, at: Any) -> Any:
    """A time in the office's zone."""
    return at.astimezone(service.office.zone) if at is not None else None
