"""The staff queue of registrations waiting for verification: by default those of the staff
member's own field office, with the E-28 evidence filters and their counts."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user

from app.auth import staff_required
from registration import additions, appearances, holders, practice_office, services
from registration.views import bp

QUEUE_FILTERS = {
    "all": "All waiting",
    "matched": "An E-28 record matches",
    "unmatched": "No E-28 record matches",
    "held": "Identifier held by another account",
}


@bp.route("/staff/registrations")
@staff_required
def queue() -> Any:
    shown = request.args.get("show", "all")
    if shown not in QUEUE_FILTERS:
        shown = "all"
    scope = practice_office.scope_of(current_user, request.args.get("office"))
    waiting = services.review_queue()
    items = [
        (
            p,
            appearances.check_claims(p, [c.a_number for c in p.claims]),
            holders.conflicts(p),
        )
        for p in waiting
        if scope.includes(p)
    ]
    kinds = {
        "all": items,
        "matched": [i for i in items if any(c.match for c in i[1])],
        "unmatched": [i for i in items if not any(c.match for c in i[1])],
        "held": [i for i in items if i[2]],
    }
    return render_template(
        "registration/queue.html",
        items=kinds[shown],
        shown=shown,
        filters=QUEUE_FILTERS,
        counts={k: len(v) for k, v in kinds.items()},
        scope=scope,
        office_counts=practice_office.counts(waiting, scope.office),
        requests_waiting=len(additions.pending_requests()),
    )
