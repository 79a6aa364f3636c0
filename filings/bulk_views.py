"""Accepting several served sets at once, from the inbox: a confirmation listing them, then
each accepted on its own (the others named, with why)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth import staff_required
from app.forms import PlainForm
from app.reauth import safe_next
from filings import decisions
from filings.decision_notices import undo_minutes
from filings.views import bp


@bp.route("/staff/filings/accept", methods=["POST"])
@staff_required
def accept_many() -> Any:
    form = PlainForm()
    back = safe_next(request.form.get("next"), url_for("filings.inbox"))
    ids = [i for i in request.form.getlist("filing_id") if i][: decisions.MAX_BULK + 1]
    if not form.validate_on_submit():
        return redirect(back, code=303)
    if not ids:
        flash("Choose at least one served set to accept.", "error")
        return redirect(back, code=303)
    if len(ids) > decisions.MAX_BULK:
        flash(f"Accept at most {decisions.MAX_BULK} sets at once.", "error")
        return redirect(back, code=303)
    if request.form.get("confirm") != "yes":
        found = [(i, decisions.visible_filing(current_user, i)) for i in dict.fromkeys(ids)]
        return render_template(
            "filings/staff_accept_many.html",
            form=form,
            found=found,
            next=back,
            minutes=undo_minutes(),
        )
    result = decisions.accept_many(current_user, ids)
    if result.accepted:
        flash(
            f"Accepted {len(result.accepted)} "
            f"{'set' if len(result.accepted) == 1 else 'sets'}: "
            + ", ".join(f.receipt_number for f in result.accepted)
            + f". The attorneys are told by e-mail in {undo_minutes()} minutes; until then each "
            "can be undone on its own page.",
            "success",
        )
    for label, why in result.skipped:
        flash(f"Not accepted: {label}: {why}", "error")
    return redirect(back, code=303)
