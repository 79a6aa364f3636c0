"""The notice of service e-mail of a served set carries the Notice of Service PDF, made when
the notice is sent (over real SMTP: aiosmtpd on 127.0.0.1); a refused set's e-mail does not."""

from __future__ import annotations

import io
import shutil
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import attachments, create_app, db
from app.notifications import Notification, deliver
from app.offices import seed_offices
from filings.models import Filing
from filings.notice_pdf import jws_filename
from tests.app.test_mail import smtp_server  # noqa: F401  (the SMTP server fixture)
from tests.conftest import make_env
from tests.filings.decide_steps import serve
from tests.helpers import create_attorney, login
from tests.pdfs import pdf_bytes


@pytest.fixture
def mail_app(tmp_path, sqlite_template, smtp_server):  # noqa: F811
    controller, handler = smtp_server
    database = tmp_path / "eservice.db"
    shutil.copy(sqlite_template, database)
    env = make_env(
        tmp_path,
        f"sqlite:///{database}",
        ESERVICE_SMTP_URL=f"smtp://127.0.0.1:{controller.port}",
        ESERVICE_MAIL_FROM="OCC eService <eservice@occ.example>",
    )
    application = create_app(env=env)
    with application.app_context():
        seed_offices()
        create_attorney()
        db.session.commit()
    yield application, handler
    with application.app_context():
        db.session.remove()
    application.extensions["eservice.engine"].dispose()


def _messages(handler):
    return [message_from_bytes(raw, policy=policy.default) for _, _, raw in handler.messages]


def test_the_served_notice_attaches_the_notice_of_service_pdf(mail_app):
    app, handler = mail_app
    client = app.test_client()
    login(client, "lawyer@firm.example")
    filing_id = serve(client, pdf_bytes(pages=2))
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        number, sha = filing.receipt_number, filing.documents[0].sha256
        note = db.session.scalar(select(Notification).where(Notification.kind == "filing_served"))
        assert note.attachment == f"notice_of_service:{filing_id}" and note.sent_at is not None
    [message] = [m for m in _messages(handler) if number in m["Subject"]]
    assert message["To"] == "lawyer@firm.example"
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == "application/pdf"
    assert part.get_filename() == f"notice-of-service-{number}.pdf"
    pdf = part.get_content()
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert number in text and sha in text and "NOT SERVED" not in text
    [jws] = reader.attachments[jws_filename(number)]
    with app.app_context():
        from filings import signed_receipts

        assert signed_receipts.verify(jws.decode())["receipt_number"] == number
        # The receipt the e-mail carries is kept: the API and the page give the same one.
        assert signed_receipts.latest(number).jws == jws.decode()
    # The body is still the notice in words.
    assert "Keep this notice as proof of service" in message.get_body(("plain",)).get_content()


def test_a_refused_set_is_told_without_an_attachment(mail_app):
    app, handler = mail_app
    client = app.test_client()
    login(client, "lawyer@firm.example")
    from tests.pdfs import pdf_with_javascript

    serve(client, pdf_with_javascript())
    refused = [m for m in _messages(handler) if m["Subject"].startswith("Not served")]
    assert len(refused) == 1 and list(refused[0].iter_attachments()) == []


def test_an_attachment_no_one_makes_fails_the_send_and_keeps_the_notice(mail_app):
    app, handler = mail_app
    with app.app_context():
        note = Notification(
            dedupe_key="test:unknown-attachment",
            kind="test",
            to_addr="someone@example.org",
            subject="With an unknown attachment",
            body="Body",
            attachment="no_such_kind:1",
        )
        db.session.add(note)
        db.session.commit()
        with pytest.raises(attachments.UnknownAttachment):
            deliver(note.id)
        db.session.expire_all()
        again = db.session.get(Notification, note.id)
        assert again.sent_at is None and again.claimed_until is None  # tried again later
    assert not [m for m in _messages(handler) if m["Subject"] == "With an unknown attachment"]
