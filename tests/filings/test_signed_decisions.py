"""A staff decision is signed only once it is final: while it can be undone, a signed receipt
(the JWS, the Notice PDF's, the notice's) states the set as served, so no signed receipt ever
states a decision that was undone."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from filings.decision_notices import send_due_notices
from filings.signed_receipt_models import SignedReceipt
from tests.filings.decide_steps import decide, move_clock, serve, undo
from tests.filings.receipt_steps import parts


def _jws_status(client, filing_id: str) -> str:
    response = client.get(f"/filings/{filing_id}/receipt.jws")
    assert response.status_code == 200 and response.mimetype == "application/jose"
    return parts(response.get_data(as_text=True))[1]["status"]


def test_an_undoable_decision_is_not_signed_and_a_final_one_is(
    app, attorney_client, staff_client, monkeypatch
):
    filing_id = serve(attorney_client)
    assert decide(staff_client, filing_id, "reject", "No certificate of service").status_code in (
        302,
        303,
    )
    assert _jws_status(attorney_client, filing_id) == "served"  # the rejection can be undone
    assert attorney_client.get(f"/filings/{filing_id}/receipt.pdf").status_code == 200
    undo(staff_client, filing_id)
    assert _jws_status(attorney_client, filing_id) == "served"

    decide(staff_client, filing_id, "accept")
    move_clock(monkeypatch, 6)  # past the undo window (5 minutes)
    with app.app_context():
        assert send_due_notices() == 1  # final now: signed as it is sent
        statuses = [
            r.claims["status"]
            for r in db.session.scalars(
                select(SignedReceipt)
                .where(SignedReceipt.filing_id == filing_id)
                .order_by(SignedReceipt.id)
            )
        ]
    assert statuses == ["served", "accepted"]
    assert "rejected" not in statuses
    assert _jws_status(attorney_client, filing_id) == "accepted"
