"""OCC staff deciding on a filing of their office: accept or reject a served set, reject a
held one, send a held one through the checks again."""

from __future__ import annotations

from sqlalchemy import update

import workers
from app import audit, db
from app.notifications import notify
from app.users import User
from filings import notices
from filings.models import Filing, FilingStatus
from filings.problems import FilingRefused, Problem, problem
from filings.services import filing_for_staff


def _field_problem(field: str, detail: str) -> Problem:
    return problem("invalid_field", field=field, detail=detail)


def decide(staff: User, filing_id: str, accept: bool, reason: str) -> Filing:
    """Staff accept or reject a served set of their office, with a reason sent to the attorney."""
    filing = filing_for_staff(staff, filing_id)
    reason = reason.strip()
    if not accept and not reason:
        raise FilingRefused(
            [_field_problem("reason", "Give the reason for rejecting; the attorney sees it.")]
        )
    new = FilingStatus.ACCEPTED if accept else FilingStatus.REJECTED
    # A held set (no malware verdict) may be rejected, never accepted: it was not served.
    allowed = [FilingStatus.SERVED] if accept else [FilingStatus.SERVED, FilingStatus.HELD]
    changed = db.conditional_update(
        update(Filing)
        .where(Filing.id == filing.id, Filing.status.in_(allowed))
        .values(
            status=new,
            decided_at=db.utcnow(),
            decided_by_id=staff.id,
            decision_reason=reason or None,
        )
    )
    if not changed:
        db.session.rollback()
        raise FilingRefused(
            [_field_problem("decision", "This filing has already been decided.")], status=409
        )
    db.session.refresh(filing)
    audit.record(f"filing.{new}", obj_type="filing", obj_id=filing.id, actor=staff, reason=reason)
    subject, body = notices.staff_decision(filing)
    notify(f"filing:{filing.id}:{new}", f"filing_{new}", filing.attorney.email, subject, body)
    workers.commit()
    return filing


def recheck(staff: User, filing_id: str) -> Filing:
    """Staff send a held filing through the checks again (the scanner is back)."""
    filing = filing_for_staff(staff, filing_id)
    changed = db.conditional_update(
        update(Filing)
        .where(Filing.id == filing.id, Filing.status == FilingStatus.HELD)
        .values(status=FilingStatus.RECEIVED, check_attempts=0, problems=[], checked_at=None)
    )
    if not changed:
        db.session.rollback()
        raise FilingRefused(
            [_field_problem("decision", "Only a held filing can be checked again.")], status=409
        )
    audit.record("filing.recheck", obj_type="filing", obj_id=filing.id, actor=staff)
    workers.enqueue("filings.jobs.check_filing", filing.id, queue=workers.CHECKS)
    workers.commit()
    db.session.refresh(filing)
    return filing
