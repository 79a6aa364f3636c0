"""Helpers shared by the audit-chain tests."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from tests.helpers import post_form


def failed_logins(app: Flask, count: int) -> None:
    """Audit events made through HTTP: each failed login is one."""
    client = app.test_client()
    for i in range(count):
        post_form(client, "/login", {"email": f"nobody{i}@x.example", "password": "wrong"})


def events(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def run_verify(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["audit", "verify", *args])
