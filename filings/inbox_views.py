"""The inbox page of an office's staff."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user

from app.auth import staff_required
from filings import inbox as inbox_service
from filings.models import FilingStatus
from filings.views import bp
from registration.anumbers import ANumberError, normalise_a_number


@bp.route("/staff/inbox")
@staff_required
def inbox() -> Any:
    raw_number = request.args.get("a_number", "").strip()
    status = request.args.get("status", "")
    a_number, filter_error = None, None
    if raw_number:
        try:
            a_number = normalise_a_number(raw_number)
        except ANumberError as exc:
            filter_error = str(exc)
    if status not in {"", *FilingStatus}:
        status = ""
    items = [] if filter_error else inbox_service.inbox(current_user, a_number, status or None)
    return render_template(
        "filings/inbox.html",
        filings=items,
        a_number=raw_number,
        status=status,
        filter_error=filter_error,
        statuses=list(FilingStatus),
    )
