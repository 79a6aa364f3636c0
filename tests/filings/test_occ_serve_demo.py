"""The demo set OCC Atlanta served on the demo attorney: served by the real checks, seen by the
demo attorney, added once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import db
from app.audit import AuditEvent
from app.demo_occ_service import A_NUMBER, DEMO_KEY, seed_occ_service
from app.notifications import Notification
from filings import signed_receipts
from filings.occ_service_models import OccService, OccServiceStatus


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_demo_set_is_served_on_the_demo_attorney_once(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert seed_occ_service() is True
        service = db.session.scalar(select(OccService))
        assert service is not None and service.idempotency_key == DEMO_KEY
        assert service.status == OccServiceStatus.SERVED and service.a_number == A_NUMBER
        assert service.office.code == "ATL" and len(service.documents) == 2
        # Only the demo attorney has an E-28 on record for it.
        assert [r.attorney.email for r in service.recipients] == [
            "attorney@demo.eservice.localhost"
        ]
        assert signed_receipts.latest(service.receipt_number) is not None
        notices = db.session.scalars(select(Notification.to_addr)).all()
        assert notices == ["attorney@demo.eservice.localhost"]
        counts = (_count(OccService), _count(AuditEvent), _count(Notification))
        assert seed_occ_service() is False
        assert (_count(OccService), _count(AuditEvent), _count(Notification)) == counts


def test_the_demo_set_needs_the_demo_accounts(app):
    with app.app_context(), pytest.raises(LookupError, match="run seed-demo first"):
        seed_occ_service()
