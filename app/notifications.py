"""E-mail notices: a row written in the transaction that decides to notify, sent by a job.

``dedupe_key`` is unique, so one event yields one notice however often a job runs.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

import workers
from app import db, mail


class Notification(db.Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(48))
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)


def notify(
    dedupe_key: str, kind: str, to_addr: str, subject: str, body: str
) -> Notification | None:
    """Queue a notice in the current transaction, unless one with this key already exists."""
    if db.session.scalar(select(Notification.id).where(Notification.dedupe_key == dedupe_key)):
        return None
    note = Notification(
        dedupe_key=dedupe_key, kind=kind, to_addr=to_addr, subject=subject, body=body
    )
    db.session.add(note)
    db.session.flush()
    workers.enqueue("app.notifications.deliver", note.id, queue=workers.MAIL)
    return note


def deliver(notification_id: int) -> None:
    """Job: send one notice, once."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.sent_at is not None:
        return
    settings = current_app.config["ESERVICE"]
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = note.to_addr
    message["Subject"] = note.subject
    message["Message-ID"] = make_msgid(idstring=f"notice-{note.id}", domain="eservice.localhost")
    message.set_content(note.body)
    mail.send(settings, message, file_stem=f"notice-{note.id:08d}")
    db.session.execute(
        update(Notification)
        .where(Notification.id == note.id, Notification.sent_at.is_(None))
        .values(sent_at=db.utcnow())
    )
    db.session.commit()
