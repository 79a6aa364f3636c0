"""Shared steps of the receipt-verification tests: served sets to check against (no tests here)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from app import db
from filings.models import Filing
from tests.helpers import serve_form

# Atlanta in November: EST, five hours behind UTC.
RECEIVED_AT = datetime(2026, 11, 23, 15, 4, 5, tzinfo=UTC)
SERVED_SENTENCE = (
    "These bytes were served on OCC Atlanta at November 23, 2026, 10:04:05 AM EST "
    "(15:04:05 UTC) under receipt {number}."
)
TITLE = "Motion to continue the hearing of Maria Example"


@dataclass(frozen=True)
class ServedSet:
    id: str
    receipt_number: str
    sha256: str
    content: bytes
    filename: str


def with_verify_page(app: Flask) -> Flask:
    """The /verify page's blueprint, registered where the app factory does not yet do it."""
    if "verify" not in app.blueprints:
        from filings.verify_views import bp

        app.register_blueprint(bp)
    return app


def serve_set(
    app: Flask, attorney: FlaskClient, content: bytes, filename: str = "Motion.pdf", **fields: Any
) -> ServedSet:
    """Serve ``content`` through the form as the logged-in attorney; the checks run inline."""
    response = serve_form(attorney, [(content, filename)], title=TITLE, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    filing_id = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        db.session.execute(
            update(Filing).where(Filing.id == filing_id).values(received_at=RECEIVED_AT)
        )
        db.session.commit()
        filing = db.session.get(Filing, filing_id)
        assert filing is not None
        number = filing.receipt_number
    return ServedSet(filing_id, number, hashlib.sha256(content).hexdigest(), content, filename)


def set_state(app: Flask, filing_id: str, status: str, passed_checks: bool) -> None:
    with app.app_context():
        db.session.execute(
            update(Filing)
            .where(Filing.id == filing_id)
            .values(status=status, passed_checks=passed_checks)
        )
        db.session.commit()


def signed_receipt(app: Flask, filing_id: str) -> str:
    """The filing's signed receipt (JWS) as the API and the notice give it."""
    from filings import signed_receipts

    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing is not None
        token = signed_receipts.current(filing).jws
        db.session.commit()
    return token
