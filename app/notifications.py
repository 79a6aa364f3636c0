"""E-mail notices: a row written in the transaction that decides to notify, sent by a job.

``dedupe_key`` is unique, so one event yields one notice however often a job runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import String, Text, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

import workers
from app import attachments, db, mail


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
    claimed_until: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    # What to attach, named and made when the notice is sent (e.g. "notice_of_service:<filing
    # id>"), so no document bytes sit in this table.
    attachment: Mapped[str | None] = mapped_column(String(200))


def notify(
    dedupe_key: str,
    kind: str,
    to_addr: str,
    subject: str,
    body: str,
    *,
    attachment: str | None = None,
) -> Notification | None:
    """Queue a notice in the current transaction, unless one with this key already exists.
    ``attachment`` names what app/attachments.py makes and attaches when it is sent."""
    if db.session.scalar(select(Notification.id).where(Notification.dedupe_key == dedupe_key)):
        return None
    note = Notification(
        dedupe_key=dedupe_key,
        kind=kind,
        to_addr=to_addr,
        subject=subject,
        body=body,
        attachment=attachment,
    )
    db.session.add(note)
    db.session.flush()
    workers.enqueue("app.notifications.deliver", note.id, queue=workers.MAIL)
    return note


# How long one delivery attempt holds a notice before another attempt may take it over.
CLAIM_SECONDS = 120


def deliver(notification_id: int) -> None:
    """Job: send one notice, once.

    The notice is claimed by a conditional update before sending, so two runs at the same time
    (a retry racing a sweep) do not both send it. A crash between sending and recording it can
    still send twice; the Message-ID is the same each time, so mail systems can drop the copy.
    """
    now = db.utcnow()
    claimed = db.conditional_update(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.sent_at.is_(None),
            or_(Notification.claimed_until.is_(None), Notification.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    if not claimed:
        return
    note = db.session.get(Notification, notification_id)
    assert note is not None
    settings = current_app.config["ESERVICE"]
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = note.to_addr
    message["Subject"] = note.subject
    message["Message-ID"] = f"<notice-{note.id}.{note.created_at:%Y%m%d%H%M%S}@eservice.localhost>"
    message.set_content(note.body)
    try:
        if note.attachment:
            # Made now (no document bytes wait in the table); a maker that fails fails the
            # job, which is tried again.
            made = attachments.make(note.attachment)
            message.add_attachment(
                made.data, maintype=made.maintype, subtype=made.subtype, filename=made.filename
            )
        mail.send(settings, message, file_stem=f"notice-{note.id:08d}")
    except BaseException:
        db.session.rollback()
        db.conditional_update(
            update(Notification).where(Notification.id == note.id).values(claimed_until=None)
        )
        db.session.commit()
        raise
    db.conditional_update(
        update(Notification)
        .where(Notification.id == note.id, Notification.sent_at.is_(None))
        .values(sent_at=db.utcnow(), claimed_until=None)
    )
    db.session.commit()


def sweep_unsent(older_than_seconds: int = 300) -> int:
    """Periodic: queue delivery again for notices still unsent after this long."""
    cutoff = db.utcnow() - timedelta(seconds=older_than_seconds)
    ids = list(
        db.session.scalars(
            select(Notification.id)
            .where(Notification.sent_at.is_(None), Notification.created_at < cutoff)
            .limit(1000)
        )
    )
    for note_id in ids:
        workers.enqueue("app.notifications.deliver", note_id, queue=workers.MAIL)
    workers.commit()
    return len(ids)
