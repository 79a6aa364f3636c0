"""Filings written straight into the database, for inbox tests that need many of them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app import db
from app.offices import Office
from app.users import User
from filings.models import Filing, FilingStatus

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def add_filings(
    app: Any, count: int, office: str = "ATL", attorney: str = "lawyer@firm.example", **fields: Any
) -> list[str]:
    """``count`` served sets, one a minute from START (fields may be callables of the index);
    their ids in order of receipt."""
    ids = []
    with app.app_context():
        office_id = db.session.scalar(select(Office.id).where(Office.code == office))
        attorney_id = db.session.scalar(select(User.id).where(User.email == attorney))
        for i in range(count):
            values: dict[str, Any] = {
                "a_number": "012345678",
                "document_type": "motion",
                "title": f"Motion number {i}",
                "status": FilingStatus.SERVED,
                "passed_checks": True,
                "detained": False,
                "next_hearing_on": None,
                "received_at": START + timedelta(minutes=i),
            }
            for key, value in fields.items():
                values[key] = value(i) if callable(value) else value
            tail = uuid.uuid4().hex[:8].upper()
            filing = Filing(
                receipt_number=f"ES-{office}-{values['received_at']:%Y%m%d}-{tail[:4]}-{tail[4:]}",
                attorney_id=attorney_id,
                office_id=office_id,
                **values,
            )
            db.session.add(filing)
            db.session.flush()
            ids.append(filing.id)
        db.session.commit()
    return ids


def hearing(day: int) -> date:
    return date(2026, 4, 1) + timedelta(days=day)
