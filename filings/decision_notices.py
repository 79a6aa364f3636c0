"""The attorney's notice of a staff decision, sent only once the decision's undo window has
closed, and never for a decision undone in time.

``send_due_notices`` is a periodic job (app/schedule.py). It is safe to run twice and at the
same time as an undo: a decision's notice is claimed by a conditional update that an undo
cannot pass once it is made (and the other way round), and the notice's dedupe key is the
decision's own.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

import workers
from app import db
from app.notifications import notify
from filings import notices, signed_receipts
from filings.decision_models import FilingDecision
from filings.models import Filing, FilingStatus
from filings.receipts import receipt_text


def undo_minutes() -> int:
    """Minutes during which staff may undo a decision (``ESERVICE_DECISION_UNDO_MINUTES``,
    default 5, 0 to 60, checked when the settings load); the attorney's notice waits for them."""
    minutes: int = current_app.config["ESERVICE"].decision_undo_minutes
    return minutes


def undo_window() -> timedelta:
    return timedelta(minutes=undo_minutes())


def refused_by_staff(filing: Filing) -> tuple[str, str]:
    """The words for a held set that staff turned down: it was never served."""
    subject = f"Not served {filing.receipt_number}: refused by OCC"
    body = (
        f"Dear {filing.attorney.full_name},\n\n"
        f"Your document set was held for review and {filing.office.name} refused it. It was "
        "NOT served. Fix what the reason below names and serve the set again.\n\n"
        f"Reason given: {filing.decision_reason}\n\n{receipt_text(filing)}\n"
    )
    return subject, body


def send_due_notices(limit: int = 500) -> int:
    """Periodic: write the notice of each decision whose undo window has closed; return how
    many were written (each is then delivered by its own job)."""
    now = db.utcnow()
    due = list(
        db.session.scalars(
            select(FilingDecision.id)
            .where(
                FilingDecision.notified_at.is_(None),
                FilingDecision.undone_at.is_(None),
                FilingDecision.undo_until <= now,
            )
            .order_by(FilingDecision.undo_until)
            .limit(limit)
        )
    )
    db.session.rollback()  # end the read: each notice is its own transaction
    return sum(1 for decision_id in due if _send(decision_id, now))


def _send(decision_id: int, now: object) -> bool:
    claimed = db.conditional_update(
        update(FilingDecision)
        .where(
            FilingDecision.id == decision_id,
            FilingDecision.notified_at.is_(None),
            FilingDecision.undone_at.is_(None),
            FilingDecision.undo_until <= now,
        )
        .values(notified_at=now)
    )
    if not claimed:
        db.session.rollback()
        return False
    decision = db.session.get(FilingDecision, decision_id)
    assert decision is not None
    filing = db.session.get(Filing, decision.filing_id)
    assert filing is not None
    if decision.status == FilingStatus.REFUSED:
        subject, body = refused_by_staff(filing)
    else:
        subject, body = notices.staff_decision(filing)
    notify(
        f"filing:{filing.id}:decision:{decision.id}",
        f"filing_{decision.status}",
        filing.attorney.email,
        subject,
        body,
    )
    # The decision is final now (its undo window closed): its signed receipt.
    signed_receipts.sign_outcome(filing)
    workers.commit()
    return True
