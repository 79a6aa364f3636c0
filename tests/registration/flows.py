"""Registration steps driven through HTTP, shared by the registration tests."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import db
from app.users import User
from registration.models import AttorneyProfile
from tests.helpers import PASSWORD, login, post_form

FORM = {
    "full_name": "Maria Abogada",
    "email": "maria@law.example",
    "password": PASSWORD,
    "password_again": PASSWORD,
    "bar_state": "",
    "bar_number": "",
    "eoir_id": "",
    "firm": "Abogada LLP",
    "phone": "+1 212 555 0101",
    "mailing_address": "2 Court St\nNY",
    "practice_office": "ATL",
    "a_numbers": "A-012-345-678",
}


def confirm_link(body: str) -> str:
    match = re.search(r"http://localhost:5000(/register/confirm/\S+)", body)
    assert match, body
    return match.group(1)


def register(app: Flask, outbox: Any, **fields: str) -> FlaskClient:
    """Register, confirm the e-mail and log in; return the attorney's client."""
    client = app.test_client()
    data = {**FORM, **fields}
    response = post_form(client, "/register", data)
    assert response.status_code == 200, response.get_data(as_text=True)
    mail = [m for m in outbox() if m["To"] == data["email"]][-1]
    assert client.get(confirm_link(mail.get_content())).status_code == 302
    login(client, data["email"])
    return client


def staff(app: Flask, make_staff: Any, email: str = "staff.atl@occ.example") -> FlaskClient:
    make_staff(email)
    client = app.test_client()
    login(client, email)
    return client


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.email == email))
        assert uid is not None
        return uid


def state_of(app: Flask, email: str) -> str:
    with app.app_context():
        profile = db.session.get(AttorneyProfile, user_id(app, email))
        assert profile is not None
        return profile.state


def decide(client: FlaskClient, uid: int, decision: str = "verify", reason: str = "") -> Any:
    return post_form(
        client, f"/staff/registrations/{uid}", {"decision": decision, "reason": reason}
    )
