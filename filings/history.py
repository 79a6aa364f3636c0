"""The history of a filing as staff read it: what happened, who did it and when, from the
audit log (the filing's own events and those of its documents) and the filing's own times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from app import db
from app.audit import AuditEvent
from app.users import User
from filings.models import Filing

# Most events shown; a filing viewed page by page for years could have many more.
MAX_EVENTS = 300

WORDS: dict[str, str] = {
    "filing.received": "Received and stored; receipt issued",
    "filing.checks_passed": "Passed the checks: served",
    "filing.checks_failed": "Not served: refused by the checks",
    "filing.held": "Held: the malware scanner gave no verdict",
    "filing.recheck": "Sent through the checks again",
    "filing.claimed": "Claimed",
    "filing.released": "Released",
    "filing.accepted": "Accepted",
    "filing.rejected": "Rejected (served, then rejected by OCC)",
    "filing.refused": "Not served: refused by OCC",
    "filing.undone": "Decision undone",
    "document.download": "Downloaded",
    "document.page_view": "Viewed",
}


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str
    what: str
    detail: str


def _detail(event: AuditEvent, names: dict[str, str]) -> str:
    info: dict[str, Any] = event.detail or {}
    if event.object_type == "document":
        name = names.get(event.object_id or "", "a document")
        page = info.get("page")
        return f"{name}, page {page}" if page else name
    if info.get("reason"):
        return f"Reason: {info['reason']}"
    if event.action == "filing.undone":
        return f"{str(info.get('undid', '')).capitalize()} undone; back to {info.get('back_to')}"
    if info.get("codes"):
        return "Problems: " + ", ".join(str(c) for c in info["codes"])
    return ""


def history(filing: Filing) -> list[Entry]:
    """Everything recorded about ``filing``, oldest first."""
    names = {d.id: d.filename for d in filing.documents}
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(
                and_(AuditEvent.object_type == "filing", AuditEvent.object_id == filing.id),
                and_(AuditEvent.object_type == "document", AuditEvent.object_id.in_(names)),
            )
        )
        .order_by(AuditEvent.seq)
        .limit(MAX_EVENTS)
    ).all()
    entries = [
        Entry(
            at=e.at,
            who="the system" if e.actor in ("system", "anonymous") else e.actor,
            what=WORDS.get(e.action, e.action),
            detail=_detail(e, names),
        )
        for e in events
    ]
    if not any(e.action == "filing.received" for e in events):
        # Rows written without the log (imports, demo data): the filing's own time.
        entries.insert(
            0, Entry(filing.received_at, filing.attorney.email, WORDS["filing.received"], "")
        )
    return entries


def decider(filing: Filing) -> User | None:
    """The staff member whose decision stands on ``filing``, if any."""
    return db.session.get(User, filing.decided_by_id) if filing.decided_by_id else None
