"""OCC staff deciding on a filing of their office: accept or reject a served set, refuse a held
one (it was never served), undo a decision while its window is open, accept several served
sets at once, send a held one through the checks again.

The attorney's notice of a decision is not written here: it waits until the undo window has
closed (filings/decision_notices.py), so an undone decision never reaches the attorney."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

import workers
from app import audit, db
from app.users import User
from filings.decision_models import FilingDecision
from filings.decision_notices import undo_window
from filings.models import Filing, FilingStatus
from filings.problems import FilingRefused, Problem, problem
from filings.services import filing_for_staff

# Most filings one bulk accept takes (the inbox shows 50 a page).
MAX_BULK = 100


def _field_problem(field: str, detail: str) -> Problem:
    return problem("invalid_field", field=field, detail=detail)


def outcome(status: str, accept: bool, reason: str) -> FilingStatus | Problem:
    """What deciding makes of a filing in ``status``, or the problem that stops it."""
    if status not in (FilingStatus.SERVED, FilingStatus.HELD):
        return _field_problem("decision", "This filing has already been decided.")
    if accept and status == FilingStatus.HELD:
        return _field_problem(
            "decision",
            "A held set was never served: check it again or refuse it with a reason.",
        )
    if not accept and not reason.strip():
        return _field_problem("reason", "Give the reason for rejecting; the attorney sees it.")
    if accept:
        return FilingStatus.ACCEPTED
    # A held set turned down by staff was never served: "not served", not "rejected".
    return FilingStatus.REJECTED if status == FilingStatus.SERVED else FilingStatus.REFUSED


def _decide(staff: User, filing: Filing, accept: bool, reason: str) -> FilingDecision:
    """Decide within the caller's transaction; raise FilingRefused (nothing changed) if not."""
    reason, previous = reason.strip(), str(filing.status)
    new = outcome(previous, accept, reason)
    if isinstance(new, Problem):
        raise FilingRefused([new], status=409 if new.field == "decision" else 422)
    now = db.utcnow()
    changed = db.conditional_update(
        update(Filing)
        .where(Filing.id == filing.id, Filing.status == previous)
        .values(status=new, decided_at=now, decided_by_id=staff.id, decision_reason=reason or None)
    )
    if not changed:  # another decision won the race
        raise FilingRefused(
            [_field_problem("decision", "This filing has already been decided.")], status=409
        )
    decision = FilingDecision(
        filing_id=filing.id,
        status=str(new),
        previous_status=previous,
        reason=reason or None,
        decided_by_id=staff.id,
        decided_at=now,
        undo_until=now + undo_window(),
    )
    db.session.add(decision)
    db.session.flush()
    audit.record(
        f"filing.{new}",
        obj_type="filing",
        obj_id=filing.id,
        actor=staff,
        reason=reason,
        decision=decision.id,
    )
    return decision


def decide(staff: User, filing_id: str, accept: bool, reason: str) -> FilingDecision:
    """Staff accept or reject a served set of their office (or refuse a held one)."""
    filing = filing_for_staff(staff, filing_id)
    try:
        decision = _decide(staff, filing, accept, reason)
    except FilingRefused:
        db.session.rollback()
        raise
    workers.commit()
    db.session.refresh(filing)
    return decision


def undoable(filing: Filing) -> FilingDecision | None:
    """The decision on ``filing`` that may still be undone, if any."""
    return db.session.scalar(
        select(FilingDecision)
        .where(
            FilingDecision.filing_id == filing.id,
            FilingDecision.undone_at.is_(None),
            FilingDecision.notified_at.is_(None),
            FilingDecision.undo_until > db.utcnow(),
        )
        .order_by(FilingDecision.id.desc())
        .limit(1)
    )


def undo(staff: User, filing_id: str) -> Filing:
    """Put a filing back as it was before the last decision, while the window is open; the
    attorney is never told of the undone decision."""
    filing = filing_for_staff(staff, filing_id)
    decision = undoable(filing)
    now = db.utcnow()
    # Conditional, against the notice sweep: of the two, one wins.
    taken = decision is not None and db.conditional_update(
        update(FilingDecision)
        .where(
            FilingDecision.id == decision.id,
            FilingDecision.undone_at.is_(None),
            FilingDecision.notified_at.is_(None),
            FilingDecision.undo_until > now,
        )
        .values(undone_at=now, undone_by_id=staff.id)
    )
    if not taken or decision is None:
        db.session.rollback()
        raise FilingRefused(
            [_field_problem("decision", "The time to undo this decision has passed.")],
            status=409,
        )
    db.conditional_update(
        update(Filing)
        .where(Filing.id == filing.id, Filing.status == decision.status)
        .values(
            status=decision.previous_status,
            decided_at=None,
            decided_by_id=None,
            decision_reason=None,
        )
    )
    audit.record(
        "filing.undone",
        obj_type="filing",
        obj_id=filing.id,
        actor=staff,
        decision=decision.id,
        undid=decision.status,
        back_to=decision.previous_status,
    )
    workers.commit()
    db.session.refresh(filing)
    return filing


@dataclass(frozen=True)
class BulkResult:
    accepted: list[Filing]
    skipped: list[tuple[str, str]]  # (receipt number or the id given, why)


def accept_many(staff: User, filing_ids: list[str]) -> BulkResult:
    """Accept each served set of the staff member's office; name the others and why."""
    accepted: list[Filing] = []
    skipped: list[tuple[str, str]] = []
    for filing_id in dict.fromkeys(filing_ids):  # each once, in the order given
        filing = visible_filing(staff, filing_id)
        if filing is None:
            skipped.append((filing_id[:40], "not a filing of your office"))
            continue
        try:
            _decide(staff, filing, accept=True, reason="")
        except FilingRefused as refused:
            db.session.rollback()
            skipped.append((filing.receipt_number, refused.problems[0].message))
            continue
        workers.commit()
        accepted.append(filing)
    for filing in accepted:
        db.session.refresh(filing)
    return BulkResult(accepted, skipped)


def visible_filing(staff: User, filing_id: str) -> Filing | None:
    """The filing if this staff member may see it; None (never a 404) for a list of ids."""
    from werkzeug.exceptions import NotFound

    try:
        return filing_for_staff(staff, filing_id)
    except NotFound:
        return None


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
