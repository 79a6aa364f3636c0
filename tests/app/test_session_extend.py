""" "Stay signed in" (POST /session/extend): only for a live session, only with the form's CSRF
token, never past the absolute limit; each use is audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app import db
from app.audit import AuditEvent
from app.sessions import UserSession
from tests.helpers import csrf_token


def _extend(client, token: str | None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post("/session/extend", headers=headers)


def test_a_live_session_is_extended_to_the_idle_limit(app, attorney_client):
    token = csrf_token(attorney_client, "/account/")
    response = _extend(attorney_client, token)
    assert response.status_code == 200
    body = response.get_json()
    idle = app.config["ESERVICE"].session_idle_minutes * 60
    assert idle - 5 <= body["expires_in"] <= idle and body["expires_at"].endswith("Z")
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "auth.session_extend" in actions


def test_without_the_csrf_token_nothing_is_extended(app, attorney_client):
    csrf_token(attorney_client, "/account/")
    response = _extend(attorney_client, None)
    assert response.status_code == 400
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "auth.session_extend" not in actions and "csrf.failed" in actions


def test_an_ended_session_is_not_revived(app, attorney_client):
    token = csrf_token(attorney_client, "/account/")
    with app.app_context():  # ended elsewhere ("end the other sessions"), the cookie kept
        db.session.execute(update(UserSession).values(ended_at=db.utcnow(), end_reason="ended"))
        db.session.commit()
    response = _extend(attorney_client, token)
    assert response.status_code == 401 and response.get_json()["error"] == "session_ended"
    with app.app_context():
        row = db.session.scalars(select(UserSession)).one()
        assert row.ended_at is not None  # still ended


def test_never_past_the_absolute_limit(app, attorney_client):
    token = csrf_token(attorney_client, "/account/")
    absolute = timedelta(hours=app.config["ESERVICE"].session_absolute_hours)
    with app.app_context():
        # The session began almost the absolute limit ago: 60 s are left, however active.
        db.session.execute(
            update(UserSession).values(created_at=db.utcnow() - absolute + timedelta(seconds=60))
        )
        db.session.commit()
    body = _extend(attorney_client, token).get_json()
    assert 0 < body["expires_in"] <= 60
