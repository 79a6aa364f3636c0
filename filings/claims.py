"""Claiming a served set: one staff member works it, and the others see who.

A claim is a note between colleagues, not a lock: a set claimed by someone away can be taken
over, knowingly (the page asks first), and the audit log says from whom.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import update

from app import audit, db
from app.auth import staff_required
from app.forms import PlainForm
from app.reauth import safe_next
from app.users import User
from filings.models import Filing, FilingStatus
from filings.problems import FilingRefused, problem
from filings.services import filing_for_staff
from filings.views import bp


def _refused(detail: str) -> FilingRefused:
    return FilingRefused([problem("invalid_field", field="claim", detail=detail)], status=409)


def claim(staff: User, filing_id: str, take_over: bool = False) -> Filing:
    """Claim a served set of the staff member's office; another's claim only with
    ``take_over``."""
    filing = filing_for_staff(staff, filing_id)
    previous = filing.claimed_by
    if filing.claimed_by_id == staff.id:
        return filing
    if previous is not None and not take_over:
        raise _refused(f"{previous.full_name} has claimed this set. Take it over to work it.")
    changed = db.conditional_update(
        update(Filing)
        .where(
            Filing.id == filing.id,
            Filing.status == FilingStatus.SERVED,
            # Only the claim that was seen: two taking over at once, one wins.
            Filing.claimed_by_id == previous.id
            if previous is not None
            else Filing.claimed_by_id.is_(None),
        )
        .values(claimed_by_id=staff.id, claimed_at=db.utcnow())
    )
    if not changed:
        db.session.rollback()
        raise _refused("Only a served set not yet decided can be claimed; reload the page.")
    detail = {"taken_from": previous.email} if previous is not None else {}
    audit.record("filing.claimed", obj_type="filing", obj_id=filing.id, actor=staff, **detail)
    db.session.commit()
    db.session.refresh(filing)
    return filing


def release(staff: User, filing_id: str) -> Filing:
    """Give back a claim of one's own, so the set is new work again for the office."""
    filing = filing_for_staff(staff, filing_id)
    changed = db.conditional_update(
        update(Filing)
        .where(Filing.id == filing.id, Filing.claimed_by_id == staff.id)
        .values(claimed_by_id=None, claimed_at=None)
    )
    if not changed:
        db.session.rollback()
        raise _refused("This set is not claimed by you.")
    audit.record("filing.released", obj_type="filing", obj_id=filing.id, actor=staff)
    db.session.commit()
    db.session.refresh(filing)
    return filing


def _back(filing_id: str) -> Any:
    target = safe_next(request.form.get("next"), url_for("filings.staff_show", filing_id=filing_id))
    return redirect(target, code=303)


@bp.route("/staff/filings/<filing_id>/claim", methods=["GET", "POST"])
@staff_required
def claim_filing(filing_id: str) -> Any:
    """POST claims; GET (and a POST on another's claim) asks before taking a claim over."""
    filing = filing_for_staff(current_user, filing_id)
    form = PlainForm()
    if form.validate_on_submit():
        take_over = request.form.get("take_over") == "yes"
        try:
            claim(current_user, filing.id, take_over=take_over)
        except FilingRefused as refused:
            if filing.claimed_by_id is None or take_over:
                flash(refused.problems[0].message, "error")
                return _back(filing.id)
        else:
            flash(f"You have claimed {filing.receipt_number}.", "success")
            return _back(filing.id)
    next_url = safe_next(
        request.values.get("next"), url_for("filings.staff_show", filing_id=filing.id)
    )
    return render_template("filings/claim_confirm.html", filing=filing, next_url=next_url)


@bp.route("/staff/filings/<filing_id>/release", methods=["POST"])
@staff_required
def release_filing(filing_id: str) -> Any:
    if PlainForm().validate_on_submit():
        try:
            filing = release(current_user, filing_id)
        except FilingRefused as refused:
            flash(refused.problems[0].message, "error")
        else:
            flash(f"You have released {filing.receipt_number}: it is new work again.", "success")
    return _back(filing_id)
