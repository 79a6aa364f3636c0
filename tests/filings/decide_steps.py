"""Steps of a staff decision through HTTP: choose, confirm, undo; and the clock moved on."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import db
from tests.helpers import post_form, serve_form
from tests.pdfs import pdf_bytes

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_HIDDEN = re.compile(r'<input[^>]*name="(decision|reason)"[^>]*value="([^"]*)"')


def serve(client: FlaskClient, content: bytes | None = None, **fields: object) -> str:
    response = serve_form(client, [(content or pdf_bytes(pages=2), "Motion.pdf")], **fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def choose(
    client: FlaskClient, filing_id: str, decision: str, reason: str = "", template: str = ""
) -> TestResponse:
    """The decision form: answers with the confirmation page (or the form and its errors)."""
    page = f"/staff/filings/{filing_id}"
    return post_form(client, page, {"decision": decision, "reason": reason, "template": template})


def confirm(client: FlaskClient, filing_id: str, confirmation: TestResponse) -> TestResponse:
    """Press "Yes" on a confirmation page."""
    html = confirmation.get_data(as_text=True)
    token = _CSRF.search(html)
    assert token, html
    import html as html_lib

    data = {name: html_lib.unescape(value) for name, value in _HIDDEN.findall(html)}
    data["csrf_token"] = token.group(1)
    return client.post(f"/staff/filings/{filing_id}/decide", data=data)


def decide(client: FlaskClient, filing_id: str, decision: str, reason: str = "") -> TestResponse:
    chosen = choose(client, filing_id, decision, reason)
    assert chosen.status_code == 200, chosen.get_data(as_text=True)
    return confirm(client, filing_id, chosen)


def undo(client: FlaskClient, filing_id: str) -> TestResponse:
    page = f"/staff/filings/{filing_id}"
    return post_form(client, page, {}, action=f"{page}/undo", follow_redirects=True)


_REAL_UTCNOW = db.utcnow


def move_clock(monkeypatch: pytest.MonkeyPatch, minutes: float) -> None:
    """From now on the app's clock reads ``minutes`` later than the real one."""

    def later() -> datetime:
        return _REAL_UTCNOW() + timedelta(minutes=minutes)

    monkeypatch.setattr(db, "utcnow", later)
