"""The audit log: who did what, to what, when, from where, and how it ended. Append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app import db


class AuditEvent(db.Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(254))  # e-mail, "system" or "anonymous"
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), default="success")
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(*_args: object) -> None:
    raise RuntimeError("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(*_args: object) -> None:
    raise RuntimeError("audit events are append-only")


def record(
    action: str,
    *,
    obj_type: str | None = None,
    obj_id: object = None,
    outcome: str = "success",
    actor: Any = None,
    actor_label: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the current transaction; the caller's commit makes it durable.

    The actor defaults to the logged-in user of the request, or "system" outside a request.
    """
    ip = agent = None
    if has_request_context():
        ip = request.remote_addr
        agent = (request.user_agent.string or "")[:255] or None
        if actor is None and current_user and current_user.is_authenticated:
            actor = current_user
    if actor is not None:
        actor_id, label = actor.id, actor.email
    else:
        actor_id, label = None, actor_label or ("anonymous" if has_request_context() else "system")
    event_row = AuditEvent(
        actor_id=actor_id,
        actor=actor_label or label,
        action=action,
        object_type=obj_type,
        object_id=None if obj_id is None else str(obj_id),
        outcome=outcome,
        ip=ip,
        user_agent=agent,
        detail=detail,
    )
    db.session.add(event_row)
    return event_row
