"""Notices go out over real SMTP when ESERVICE_SMTP_URL is set (aiosmtpd on 127.0.0.1), and a
mail server that is down loses nothing."""

from __future__ import annotations

import shutil
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app import create_app, db
from app.notifications import Notification
from app.offices import seed_offices
from tests.conftest import make_env
from tests.helpers import PASSWORD, post_form


class Collect:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def make_app(tmp_path, sqlite_template):
    made = []

    def make(port: int):
        database = tmp_path / "eservice.db"
        shutil.copy(sqlite_template, database)
        env = make_env(
            tmp_path,
            f"sqlite:///{database}",
            ESERVICE_SMTP_URL=f"smtp://127.0.0.1:{port}",
            ESERVICE_MAIL_FROM="OCC eService <eservice@occ.example>",
        )
        made.append(create_app(env=env))
        with made[-1].app_context():  # the offices an attorney chooses from when registering
            seed_offices()
            db.session.commit()
        return made[-1]

    yield make
    db.session.remove()
    for app in made:
        app.extensions["eservice.engine"].dispose()


def _register(app):
    return post_form(
        app.test_client(),
        "/register",
        {
            "full_name": "Ana Smtp",
            "email": "ana@law.example",
            "password": PASSWORD,
            "password_again": PASSWORD,
            "bar_state": "",
            "bar_number": "",
            "eoir_id": "AS123456",
            "firm": "",
            "phone": "+1 555 0100",
            "mailing_address": "1 Main St",
            "a_numbers": "12345678",
            "practice_office": "ATL",
        },
    )


def test_confirmation_mail_is_delivered_over_smtp(make_app, smtp_server):
    controller, handler = smtp_server
    app = make_app(controller.port)
    assert _register(app).status_code == 200
    [(sender, recipients, content)] = handler.messages
    assert sender == "eservice@occ.example" and recipients == ["ana@law.example"]
    message = message_from_bytes(content, policy=policy.default)
    assert message["Subject"] == "Confirm your e-mail for OCC eService"
    assert "/register/confirm/" in message.get_content()
    assert not app.config["ESERVICE"].outbox_dir.exists()  # nothing fell back to files


def test_mail_server_down_loses_nothing_and_sends_later(make_app):
    port = _free_port()  # nothing listens here yet
    app = make_app(port)
    assert _register(app).status_code == 200  # the attorney's action does not fail
    with app.app_context():
        note = db.session.scalar(select(Notification))
        assert note is not None and note.sent_at is None
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert "1 jobs sent on" in app.test_cli_runner().invoke(args=["jobs", "run-pending"]).output
        assert "0 jobs sent on" in app.test_cli_runner().invoke(args=["jobs", "run-pending"]).output
    finally:
        controller.stop()
    assert len(handler.messages) == 1
    with app.app_context():
        assert db.session.scalar(select(Notification.sent_at)) is not None


def test_a_notice_claimed_by_another_delivery_is_not_sent_twice(make_app, smtp_server):
    from datetime import timedelta

    from app.notifications import deliver

    controller, handler = smtp_server
    app = make_app(controller.port)
    with app.app_context():
        from app.notifications import notify

        note = notify("test:claimed", "test", "x@law.example", "Subject", "Body")
        db.session.commit()
        note.claimed_until = db.utcnow() + timedelta(minutes=1)  # another delivery holds it
        db.session.commit()
        deliver(note.id)
        assert handler.messages == [] and note.sent_at is None
        note.claimed_until = db.utcnow() - timedelta(seconds=1)  # that delivery died
        db.session.commit()
        deliver(note.id)
        deliver(note.id)
    assert len(handler.messages) == 1
