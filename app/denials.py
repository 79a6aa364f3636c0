"""Denials as audit events: a request refused because what it asks for is not the caller's
(404: another attorney's filing or document, another office's filing, a page of another role)
or because its form carried no valid CSRF token.

They are recorded in one place, an after-request hook and the CSRF error handler, not in each
view. A denial is recorded for a caller who is logged in or holds an API token, on a route
that exists: an anonymous scanner's misses and a browser's request for a missing favicon write
nothing. A CSRF failure is recorded for anyone, but at most ``ANONYMOUS_CSRF_EVENTS`` an hour
from one address without a session, so a scanner cannot turn its requests into audit rows.

The event holds the user, the address and the path, never a query string; a run of eight or
more digits in the path (an A-Number typed into an address), outside an id, is masked.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from flask_login import current_user
from limits import parse
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

from app import audit, db

log = logging.getLogger(__name__)

ANONYMOUS_CSRF_EVENTS = parse("10 per hour")

_NUMBER_RUN = re.compile(r"\d(?:-?\d){7,}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PATH_CHARS = 200


def init_app(app: Flask) -> None:
    app.after_request(_record_denial)


@event.listens_for(audit.AuditEvent, "after_insert")
def _note_denial(_mapper: Any, _connection: Any, target: audit.AuditEvent) -> None:
    # A view or a role check that audits its own denial (with more to say) is not recorded twice.
    if has_request_context() and target.outcome == "denied":
        g.denial_recorded = True


def masked_path() -> str:
    """The request's path, without anything that looks like an A-Number, cut short. Ids (UUIDs)
    are kept whole: they are what an investigation needs."""
    segments = (
        segment if _UUID.fullmatch(segment) else _NUMBER_RUN.sub("#", segment)
        for segment in request.path.split("/")
    )
    return "/".join(segments)[:PATH_CHARS]


def _caller() -> Any:
    """The user behind the request: logged in, or holding an API token; None if anonymous."""
    if current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return g.get("api_user")


def _record(action: str, actor: Any, **detail: Any) -> None:
    try:
        db.session.rollback()  # nothing of a refused request is kept, only its record
        audit.record(
            action,
            outcome="denied",
            actor=actor,
            path=masked_path(),
            method=request.method,
            **detail,
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not record %s for %s", action, request.endpoint)


def _record_denial(response: Response) -> Response:
    if response.status_code != 404 or request.url_rule is None or g.get("denial_recorded"):
        return response
    actor = _caller()
    if actor is not None:
        _record("authz.not_found", actor, endpoint=request.endpoint)
    return response


def record_csrf_failure(reason: str) -> None:
    """Audit a form refused for its CSRF token (throttled per address when anonymous)."""
    actor = _caller()
    if actor is None and not _anonymous_event_allowed("csrf"):
        return
    _record("csrf.failed", actor, endpoint=request.endpoint, reason=reason)


def _anonymous_event_allowed(kind: str) -> bool:
    from app.throttle import client_address, limiter

    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "eservice")
    try:
        return bool(
            limiter.limiter.hit(ANONYMOUS_CSRF_EVENTS, prefix, f"audit-{kind}", client_address())
        )
    except Exception:  # the counters' store is down: record nothing rather than fail
        log.exception("no counter for anonymous %s events", kind)
        return False
