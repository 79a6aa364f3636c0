"""The check job of a set OCC serves: the same checks as an attorney's set, then served on the
attorneys of record (a signed receipt for OCC, a notice to each), refused, or held. Takes an id,
returns early when the set is decided, moves the state by a conditional update: safe to run
twice."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from flask import current_app
from sqlalchemy import update

import workers
from app import audit, db
from app.links import external_url
from app.notifications import notify
from filings.checks import check_document
from filings.jobs import MAX_CHECK_ATTEMPTS, _on_disk
from filings.malware import ScannerUnavailable
from filings.occ_service_models import (
    OccService,
    OccServiceDocument,
    OccServiceRecipient,
    OccServiceStatus,
)
from filings.problems import problem
from filings.receipt_claims import document_claims, iso_utc
from filings.rules import document_type_label
from registration.anumbers import format_a_number

log = logging.getLogger(__name__)


def check_service(service_id: str) -> None:
    """Decide a received set: served on its attorneys, refused with every problem found, or
    (no malware verdict after several tries) held for the office."""
    service = db.session.get(OccService, service_id)
    if service is None or service.status != OccServiceStatus.RECEIVED:
        return
    found, warnings, no_verdict = _check_documents(service)
    for doc_id, doc_warnings in warnings.items():
        db.session.execute(
            update(OccServiceDocument)
            .where(OccServiceDocument.id == doc_id)
            .values(warnings=doc_warnings)
        )
    if no_verdict and not found:
        _no_verdict(service, no_verdict)
        return
    _decide(service, found)


def _check_documents(
    service: OccService,
) -> tuple[list[dict[str, Any]], dict[str, list[Any]], str | None]:
    """Every problem of the set, each document's warnings, and why the scanner gave no verdict."""
    settings = current_app.config["ESERVICE"]
    storage = current_app.extensions["eservice.storage"]
    settings.upload_tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = str(settings.upload_tmp_dir)
    found: list[dict[str, Any]] = []
    warnings: dict[str, list[Any]] = {}
    no_verdict: str | None = None
    for doc in service.documents:
        with storage.open(doc.storage_key) as source, _on_disk(source, tmp) as (path, digest):
            if not hmac.compare_digest(digest, doc.sha256):
                found.append(problem("checksum_mismatch", doc.filename).as_dict())
                continue
            result = check_document(path, source, doc.size_bytes, doc.filename, settings.clamd_url)
        found += result.problems
        warnings[doc.id] = result.warnings
        no_verdict = no_verdict or result.scan_unavailable
    return found, warnings, no_verdict


def _no_verdict(service: OccService, reason: str) -> None:
    """The scanner gave no verdict: fail the run (it is retried), or hold after the last."""
    db.conditional_update(
        update(OccService)
        .where(OccService.id == service.id, OccService.status == OccServiceStatus.RECEIVED)
        .values(check_attempts=OccService.check_attempts + 1)
    )
    db.session.commit()
    db.session.refresh(service)
    if service.check_attempts < MAX_CHECK_ATTEMPTS:
        raise ScannerUnavailable(reason)
    held = db.conditional_update(
        update(OccService)
        .where(OccService.id == service.id, OccService.status == OccServiceStatus.RECEIVED)
        .values(
            status=OccServiceStatus.HELD,
            checked_at=db.utcnow(),
            problems=[problem("scan_unavailable").as_dict()],
        )
    )
    if not held:
        db.session.rollback()
        return
    audit.record(
        "occ_service.held",
        obj_type="occ_service",
        obj_id=service.id,
        actor_label="system",
        outcome="alert",
        reason=reason[:200],
    )
    db.session.commit()


def _decide(service: OccService, found: list[dict[str, Any]]) -> None:
    passed = not found
    now = db.utcnow()
    changed = db.conditional_update(
        update(OccService)
        .where(OccService.id == service.id, OccService.status == OccServiceStatus.RECEIVED)
        .values(
            status=OccServiceStatus.SERVED if passed else OccServiceStatus.REFUSED,
            checked_at=now,
            served_at=now if passed else None,
            problems=found,
        )
    )
    if not changed:  # another run decided it first
        db.session.rollback()
        return
    db.session.refresh(service)
    audit.record(
        f"occ_service.checks_{'passed' if passed else 'failed'}",
        obj_type="occ_service",
        obj_id=service.id,
        actor_label="system",
        codes=sorted({p["code"] for p in found}),
    )
    if passed:
        from filings import signed_receipts

        signed_receipts.sign_claims(service.receipt_number, claims_of(service))
        for recipient in service.recipients:
            subject, body = notice(service, recipient)
            notify(
                f"occ_service:{service.id}:served:{recipient.attorney_id}",
                "occ_service_served",
                recipient.attorney.email,
                subject,
                body,
            )
    workers.commit()


def _served_on(recipient: OccServiceRecipient) -> dict[str, Any]:
    named: dict[str, Any] = {"name": recipient.name}
    if recipient.eoir_id:
        named["eoir_id"] = recipient.eoir_id
    if recipient.bar:
        named["bar"] = recipient.bar
    return named


def claims_of(service: OccService) -> dict[str, Any]:
    """The signed statement of a set OCC served (signing adds iss, iat and typ)."""
    office = service.office
    return {
        "direction": "to_attorneys",
        "receipt_number": service.receipt_number,
        "office": {"code": office.code, "name": office.name, "timezone": office.timezone},
        "received_at": iso_utc(service.received_at),
        "received_at_local": service.received_at.astimezone(office.zone).isoformat(),
        "status": str(service.status),
        "status_at": iso_utc(service.served_at or service.checked_at),
        "filer": {"name": office.name, "firm": None, "bar": None, "eoir_id": None},
        "served_on": [_served_on(r) for r in service.recipients],
        "a_numbers": [service.a_number],
        "document_type": service.document_type,
        "title": service.title,
        "corrects": None,
        "documents": document_claims(service.documents, service.document_type),
    }


def notice(service: OccService, recipient: OccServiceRecipient) -> tuple[str, str]:
    """The e-mail telling an attorney of record that OCC served a set on them."""
    office = service.office
    served = service.served_at or service.received_at
    lines = [
        f"Dear {recipient.name},",
        "",
        f"{office.name} served a document set on you as attorney of record for "
        f"{format_a_number(service.a_number)}. Open it under “Served on me”:",
        "",
        external_url("filings.served_on_me_show", service_id=service.id),
        "",
        f"Receipt number: {service.receipt_number}",
        f"Served: {served.astimezone(office.zone):%B %d, %Y %I:%M:%S %p %Z} "
        f"({served:%Y-%m-%d %H:%M:%S} UTC)",
        f"Document type: {document_type_label(service.document_type)}",
        f"Title: {service.title}",
        "Documents:",
    ]
    for d in service.documents:
        pages = f"{d.pages} page{'' if d.pages == 1 else 's'}"
        lines.append(f"  {d.position}. {d.filename}: {pages}, SHA-256 {d.sha256}")
    lines += ["", "OCC sees when you first download a document of this set."]
    subject = f"Served on you by {office.name}: {service.receipt_number}"
    return subject, "\n".join(lines) + "\n"


def sweep_stale_services(older_than_seconds: int = 300) -> int:
    """Periodic: queue the check again for sets still `received` after this long."""
    from datetime import timedelta

    from sqlalchemy import select

    cutoff = db.utcnow() - timedelta(seconds=older_than_seconds)
    ids = list(
        db.session.scalars(
            select(OccService.id)
            .where(OccService.status == OccServiceStatus.RECEIVED, OccService.received_at < cutoff)
            .limit(1000)
        )
    )
    for service_id in ids:
        workers.enqueue("filings.occ_service_jobs.check_service", service_id, queue=workers.CHECKS)
    workers.commit()
    return len(ids)
