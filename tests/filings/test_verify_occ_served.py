"""Documents OCC served on attorneys are checked the same way: served by the office, at the time
the attorneys were served; a set OCC could not serve is the same no as any other."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from app import db
from app.offices import office_by_code
from filings.occ_service_models import OccService, OccServiceDocument, OccServiceStatus
from filings.receipts import new_receipt_number
from tests.filings.test_verify_steps import with_verify_page
from tests.helpers import create_staff, csrf_token
from tests.pdfs import pdf_bytes

SERVED_AT = datetime(2026, 7, 1, 16, 30, 0, tzinfo=UTC)  # Atlanta in summer: EDT


@pytest.fixture
def app(app):
    return with_verify_page(app)


def _occ_set(app, content: bytes, status: OccServiceStatus) -> OccService:
    """A set OCC Atlanta served on the attorneys of record, as its check job leaves it (staff
    serving through HTTP is tests/filings/test_occ_serve.py's)."""
    with app.app_context():
        staff = create_staff("staff.atl@occ.example", "ATL")
        office = office_by_code("ATL")
        assert office is not None
        received = SERVED_AT - timedelta(minutes=2)
        service = OccService(
            receipt_number=new_receipt_number("ATL", received),
            office_id=office.id,
            served_by_id=staff.id,
            a_number="012345678",
            document_type="motion",
            title="DHS motion to pretermit",
            status=status,
            received_at=received,
            checked_at=SERVED_AT,
            served_at=SERVED_AT if status == OccServiceStatus.SERVED else None,
            problems=[],
        )
        service.documents.append(
            OccServiceDocument(
                position=1,
                filename="Motion.pdf",
                storage_key=f"occ/{service.receipt_number}",
                size_bytes=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                pages=2,
            )
        )
        db.session.add(service)
        db.session.commit()
        db.session.refresh(service)
        db.session.expunge(service)
        return service


def test_a_document_occ_served_matches_by_the_office_at_the_time_served(app, client):
    content = pdf_bytes(pages=2)
    service = _occ_set(app, content, OccServiceStatus.SERVED)
    digest = hashlib.sha256(content).hexdigest()
    answer = client.post(
        "/api/v1/receipts/verify",
        json={"receipt_number": service.receipt_number.lower(), "sha256": digest},
    ).get_json()
    assert answer == {
        "match": True,
        "receipt_number": service.receipt_number,
        "direction": "to_attorneys",
        "office": {"code": "ATL", "name": "OCC Atlanta"},
        "served_at": "2026-07-01T16:30:00Z",
        "served_at_local": "2026-07-01T12:30:00-04:00",
    }
    token = csrf_token(client, "/verify")
    page = client.post(
        "/verify",
        data={"csrf_token": token, "receipt": service.receipt_number, "file_sha256": digest},
    ).get_data(as_text=True)
    assert (
        "These bytes were served by OCC Atlanta at July 1, 2026, 12:30:00 PM EDT (16:30:00 UTC) "
        f"under receipt {service.receipt_number}." in page
    )
    for private in ("012345678", "Lee Lawyer", "Bo Barrister", "DHS motion", "Motion.pdf"):
        assert private not in page
    wrong = client.post(
        "/api/v1/receipts/verify",
        json={"receipt_number": service.receipt_number, "sha256": "ab" * 32},
    )
    assert wrong.get_json() == {"match": False}


@pytest.mark.parametrize(
    "status", [OccServiceStatus.REFUSED, OccServiceStatus.HELD, OccServiceStatus.RECEIVED]
)
def test_a_set_occ_did_not_serve_is_not_served(app, client, status):
    content = pdf_bytes(pages=2)
    service = _occ_set(app, content, status)
    answer = client.post(
        "/api/v1/receipts/verify",
        json={
            "receipt_number": service.receipt_number,
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    assert answer.get_data() == b'{"match":false}\n'
