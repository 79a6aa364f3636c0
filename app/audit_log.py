"""Reading the audit log: filters, pages newest first (keyset, by id), and a CSV export safe to
open in a spreadsheet. Every read is itself an audit event."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from app import audit, db
from app.audit import AuditEvent
from app.users import User

PAGE_SIZE = 50
MAX_FILTER_LENGTH = 254
CSV_COLUMNS = (
    "id",
    "seq",
    "at",
    "actor",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "ip",
    "user_agent",
    "detail",
    "hash",
)
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class FilterError(ValueError):
    """A filter that cannot be applied; ``field`` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AuditFilter:
    """What to show. Text filters match exactly; an action ending in * matches its prefix."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    outcome: str = ""
    since: date | None = None  # UTC days, both ends included
    until: date | None = None

    def is_empty(self) -> bool:
        return self == AuditFilter()

    def as_args(self) -> dict[str, str]:
        """The query-string form, for links to other pages and the export."""
        return {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v
        }


def parse_filter(args: Mapping[str, str]) -> AuditFilter:
    """The filter from a query string; FilterError names the first bad input."""
    text: dict[str, str] = {}
    for name in ("actor", "action", "object_type", "object_id", "outcome"):
        value = (args.get(name) or "").strip()
        if len(value) > MAX_FILTER_LENGTH:
            raise FilterError(name, f"{name} may be at most {MAX_FILTER_LENGTH} characters.")
        text[name] = value
    since, until = _day(args, "since"), _day(args, "until")
    if since and until and since > until:
        raise FilterError("until", "The end date is before the start date.")
    return AuditFilter(**text, since=since, until=until)


def _day(args: Mapping[str, str], name: str) -> date | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(name, f"{name}: {value[:20]!r} is not a date (YYYY-MM-DD).") from None


def parse_cursor(value: str | None) -> int | None:
    """The id a page starts below; FilterError for anything but a positive number."""
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise FilterError("before", "That page link is not valid; start from the first page.")
    return int(value)


def _query(f: AuditFilter) -> Select[AuditEvent]:
    query = select(AuditEvent)
    if f.actor:
        query = query.where(AuditEvent.actor == f.actor)
    if f.action.endswith("*"):
        prefix = f.action[:-1].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(AuditEvent.action.like(prefix + "%", escape="\\"))
    elif f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.object_type:
        query = query.where(AuditEvent.object_type == f.object_type)
    if f.object_id:
        query = query.where(AuditEvent.object_id == f.object_id)
    if f.outcome:
        query = query.where(AuditEvent.outcome == f.outcome)
    if f.since:
        query = query.where(AuditEvent.at >= datetime.combine(f.since, time(), UTC))
    if f.until:
        end = datetime.combine(f.until + timedelta(days=1), time(), UTC)
        query = query.where(AuditEvent.at < end)
    return query


@dataclass(frozen=True)
class Page:
    events: list[AuditEvent]
    next_before: int | None  # the cursor of the next (older) page, None on the last


def read_page(viewer: User, f: AuditFilter, before: int | None) -> Page:
    """One page of matching events, newest first, below id ``before``; the reading is audited."""
    query = _query(f).order_by(AuditEvent.id.desc()).limit(PAGE_SIZE + 1)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    events = list(db.session.scalars(query))
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    audit.record(
        "audit.view", obj_type="audit_log", actor=viewer, filter=f.as_args(), before=before
    )
    db.session.commit()
    return Page(events, events[-1].id if more and events else None)


def start_export(viewer: User, f: AuditFilter) -> int:
    """Record that ``viewer`` exports the matching events (and how many); return the count."""
    count = db.session.scalar(select(func.count()).select_from(_query(f).subquery())) or 0
    audit.record("audit.export", obj_type="audit_log", actor=viewer, filter=f.as_args(), rows=count)
    db.session.commit()
    return count


def export_csv(f: AuditFilter) -> Iterator[str]:
    """The matching events as CSV, oldest first, a chunk of lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    query = _query(f).order_by(AuditEvent.id).execution_options(yield_per=500)
    for n, event in enumerate(db.session.scalars(query), start=1):
        writer.writerow([safe_cell(_cell(event, column)) for column in CSV_COLUMNS])
        if n % 500 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    chunk = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return chunk


def _cell(event: AuditEvent, column: str) -> Any:
    value = getattr(event, column)
    if column == "at":
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if column == "detail":
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def safe_cell(value: Any) -> str:
    """The cell's text, with a leading ' where a spreadsheet would read a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
