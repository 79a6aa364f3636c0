"""The inbox page of an office's staff, and the links that walk its lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import current_app, render_template, request, url_for
from flask_login import current_user

from app.auth import staff_required
from app.offices import Office
from filings import inbox as inbox_service
from filings.inbox_filters import SORTS, STATES, VIEWS, list_args, parse
from filings.models import Filing
from filings.views import bp

MAX_LIST_QUERY = 2000


@bp.app_template_filter("office_time")
def office_time(moment: datetime | None, office: Office | None) -> str:
    """``23 Nov 2026, 9:05 AM EST``: the office's local time, which its staff work in."""
    if moment is None:
        return "—"
    local = moment.astimezone(office.zone) if office else moment
    return local.strftime("%-d %b %Y, %-I:%M %p %Z")


def _inbox_url(args: dict[str, Any], **cursor: Any) -> str:
    return url_for("filings.inbox", **args, **cursor)


@bp.route("/staff/inbox")
@staff_required
def inbox() -> Any:
    parsed = parse(request.args)
    args: dict[str, Any] = list_args(parsed.typed)
    result = inbox_service.InboxPage([], None, None)
    if not parsed.errors:
        result = inbox_service.page(
            current_user,
            parsed.filters,
            after=request.args.get("after") or None,
            before=request.args.get("before") or None,
        )
    list_query = urlencode(args)
    return render_template(
        "filings/inbox.html",
        page=result,
        filters=parsed.filters,
        typed=parsed.typed,
        errors=parsed.errors,
        counts=inbox_service.counts(current_user),
        views=VIEWS,
        sorts=SORTS,
        states=STATES,
        args=args,
        list_query=list_query,
        prev_url=_inbox_url(args, before=result.prev_before) if result.prev_before else None,
        next_url=_inbox_url(args, after=result.next_after) if result.next_after else None,
        bulk_accept="filings.accept_many" in current_app.view_functions,
        this_url=request.full_path.rstrip("?"),
    )


@dataclass(frozen=True)
class InboxNav:
    prev_url: str | None
    next_url: str | None
    list_url: str


@bp.app_template_global("inbox_nav_for")
def inbox_nav_for(filing: Filing) -> InboxNav | None:
    """Previous / next in the list a filing was opened from (``?list=`` on its page)."""
    if "list" not in request.args or not current_user.is_authenticated:
        return None
    list_query = request.args["list"][:MAX_LIST_QUERY]
    args: dict[str, Any] = list_args(dict(parse_qsl(list_query)))
    prev_id, next_id = inbox_service.neighbours(current_user, filing.id, args)
    query = urlencode(args)

    def show(filing_id: str | None) -> str | None:
        if filing_id is None:
            return None
        return url_for("filings.staff_show", filing_id=filing_id, list=query)

    return InboxNav(show(prev_id), show(next_id), url_for("filings.inbox", **args))


from filings import claims  # noqa: E402, F401  (claim and release, on this blueprint)
