"""The demo set OCC served: OCC Atlanta served a two-document set on the demo attorney (the
attorney of record for A012-345-678), checked by the real check job, so it is under the demo
attorney's "Served on me" and on Atlanta's "Served by this office". Idempotent: the set carries
an idempotency key, so a second run adds nothing."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app import audit, db
from app.demo_pdfs import demo_pdf
from app.offices import office_by_code
from app.users import user_by_email
from filings.models import new_id
from filings.occ_service_models import OccService, OccServiceDocument, OccServiceStatus
from filings.occ_services import recipients_for
from filings.receipts import new_receipt_number
from filings.rules import DocumentType
from registration.of_record import attorneys_of_record
from storage.base import new_key, sha256_of

DEMO_KEY = "demo-occ-1"
STAFF = "staff.atl@demo.eservice.localhost"
A_NUMBER = "012345678"  # the demo attorney's (attorney@demo.eservice.localhost)
TITLE = "DHS motion to pretermit"
DOCUMENTS = (("DHS motion to pretermit.pdf", 3), ("Certificate of service.pdf", 1))


def seed_occ_service(now: datetime | None = None) -> bool:
    """Add the demo set OCC Atlanta served, unless it is there; True when it was added."""
    from filings.occ_service_jobs import check_service

    staff = user_by_email(STAFF)
    office = office_by_code("ATL")
    if staff is None or office is None:
        raise LookupError(f"demo accounts missing (run seed-demo first): {STAFF}")
    exists = db.session.scalar(
        select(OccService.id).where(
            OccService.served_by_id == staff.id, OccService.idempotency_key == DEMO_KEY
        )
    )
    if exists is not None:
        return False
    received_at = (now or db.utcnow()) - timedelta(hours=2)
    storage = current_app.extensions["eservice.storage"]
    documents = []
    for position, (filename, pages) in enumerate(DOCUMENTS, start=1):
        data = demo_pdf(filename[:-4], pages)
        digest = sha256_of(io.BytesIO(data))
        key = new_key(received_at)
        storage.put(key, io.BytesIO(data), digest)
        documents.append(
            OccServiceDocument(
                position=position,
                filename=filename,
                storage_key=key,
                size_bytes=len(data),
                sha256=digest,
                pages=pages,
            )
        )
    service = OccService(
        id=new_id(),
        receipt_number=new_receipt_number(office.code, received_at),
        office=office,
        served_by_id=staff.id,
        a_number=A_NUMBER,
        document_type=DocumentType.MOTION,
        title=TITLE,
        status=OccServiceStatus.RECEIVED,
        received_at=received_at,
        problems=[],
        idempotency_key=DEMO_KEY,
        documents=documents,
        recipients=recipients_for(attorneys_of_record(A_NUMBER)),
    )
    db.session.add(service)
    audit.record(
        "occ_service.received",
        obj_type="occ_service",
        obj_id=service.id,
        actor=staff,
        receipt=service.receipt_number,
        documents=len(documents),
        demo=True,
    )
    db.session.commit()
    check_service(service.id)  # the real checks: served on the attorney of record
    return True
