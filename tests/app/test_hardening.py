"""Hardening: the client address as trusted proxies give it and no one else, security headers
(HSTS and the __Host- session cookie in production, CSP, no-store on the API), 404 for ids
the database cannot hold, and JSON errors everywhere under /api/."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from app import create_app, db
from app.audit import AuditEvent
from tests.conftest import make_env
from tests.helpers import csrf_token
from tests.services import free_port

TOO_BIG = "99999999999999999999999"
ID_MAX = str(2**31 - 1)  # every id column is an integer: 32 bits on PostgreSQL


def csrf_failure_addresses(app: Flask) -> list[str | None]:
    with app.app_context():
        query = select(AuditEvent.ip).where(AuditEvent.action == "csrf.failed")
        return list(db.session.scalars(query.order_by(AuditEvent.id)))


@pytest.fixture
def app_behind(tmp_path: Path, database_url: str):  # type: ignore[no-untyped-def]
    """An app with ``trusted_proxies`` proxies trusted in front of it."""
    made: list[Flask] = []

    def make(trusted_proxies: int) -> Flask:
        env = make_env(
            tmp_path / str(trusted_proxies),
            database_url,
            ESERVICE_TRUSTED_PROXIES=str(trusted_proxies),
        )
        made.append(create_app(env=env))
        return made[-1]

    yield make
    db.session.remove()
    for each in made:
        each.extensions["eservice.engine"].dispose()


# --- the client address ---------------------------------------------------------------------


def test_with_no_proxy_trusted_x_forwarded_for_changes_nothing(app_behind):
    app = app_behind(0)
    client = app.test_client()
    forged = {"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9"}
    assert client.post("/login", data={}, headers=forged).status_code == 400
    assert csrf_failure_addresses(app) == ["127.0.0.1"]  # the peer's, recorded


def test_with_one_proxy_trusted_its_hop_is_the_client(app_behind):
    app = app_behind(1)
    client = app.test_client()
    # The client forged the first entry; the proxy appended the address it saw.
    headers = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}
    assert client.post("/login", data={}, headers=headers).status_code == 400
    assert csrf_failure_addresses(app) == ["198.51.100.7"]


# --- headers --------------------------------------------------------------------------------


def test_the_content_security_policy_limits_forms_and_base(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "form-action 'self'" in policy and "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_every_api_answer_is_no_store(client, api_token):
    bearer = {"Authorization": f"Bearer {api_token}"}
    answers = [
        client.get("/api/v1/me", headers=bearer),
        client.get("/api/v1/offices", headers=bearer),
        client.get("/api/v1/filings/nothing", headers=bearer),
        client.get("/api/v1/me"),  # 401
        client.get("/api/v1/no-such-call"),  # no route
        client.post("/api/v1/me", headers=bearer),  # 405
    ]
    assert [a.status_code for a in answers] == [200, 200, 404, 401, 404, 405]
    for answer in answers:
        assert answer.headers["Cache-Control"] == "no-store"


def cookie(response, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The attributes of the cookie ``name`` the response sets, lower-cased."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return [a.strip().lower() for a in header.split(";")[1:]]
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def test_no_hsts_outside_production(client):
    response = client.get("/login")
    assert "Strict-Transport-Security" not in response.headers
    assert "secure" not in cookie(response, "session")  # development runs on http://


class _Sink:
    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        return "250 OK"


@pytest.fixture
def production_app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    """The app as production runs it: every backend named and answering (a local folder for
    documents, Redis for jobs and counters, an SMTP server), a random key, an https base URL."""
    smtp = Controller(_Sink(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        app = create_app(
            env={
                "ESERVICE_ENV": "production",
                "ESERVICE_SECRET_KEY": secrets.token_urlsafe(32),
                "ESERVICE_DATA_DIR": str(tmp_path / "instance"),
                "ESERVICE_DATABASE_URL": database_url,
                "ESERVICE_REDIS_URL": "redis://127.0.0.1:6379/14",
                "ESERVICE_STORAGE_URL": f"file://{tmp_path / 'documents'}",
                "ESERVICE_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
                "ESERVICE_BASE_URL": "https://eservice.example.gov",
            }
        )
        yield app
        db.session.remove()
        app.extensions["eservice.engine"].dispose()
    finally:
        smtp.stop()


def test_production_sends_hsts_and_a_host_only_secure_session_cookie(production_app):
    client = production_app.test_client()
    response = client.get("/login", base_url="https://eservice.example.gov")
    assert response.status_code == 200
    hsts = response.headers["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"
    attributes = cookie(response, "__Host-session")
    assert "secure" in attributes and "httponly" in attributes and "path=/" in attributes
    assert not any(a.startswith("domain=") for a in attributes)
    # the API too, and its answers are never stored
    api = client.get("/api/v1/me", base_url="https://eservice.example.gov")
    assert api.headers["Strict-Transport-Security"] == hsts
    assert api.headers["Cache-Control"] == "no-store"


# --- ids the database cannot hold -----------------------------------------------------------


@pytest.fixture
def bearer(app: Flask, attorney_client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """An API token of the logged-in attorney of ``attorney_client``."""
    from app.users import user_by_email
    from filings.tokens import create_token

    with app.app_context():
        user = user_by_email("lawyer@firm.example")
        assert user is not None
        return {"Authorization": f"Bearer {create_token(user, 'tests')}"}


def test_ids_out_of_range_are_404_everywhere(client, attorney_client, staff_client, bearer):
    for number in (TOO_BIG, str(2**63), str(2**31), "-1"):
        assert staff_client.get(f"/staff/registrations/{number}").status_code == 404
        assert staff_client.get(f"/staff/filings/{number}").status_code == 404
        assert attorney_client.get(f"/filings/{number}").status_code == 404
        assert attorney_client.get(f"/filings/{number}/documents/{number}").status_code == 404
        assert client.get(f"/api/v1/filings/{number}", headers=bearer).status_code == 404
        token = csrf_token(attorney_client, "/account/tokens")
        revoke = attorney_client.post(
            f"/account/tokens/{number}/revoke", data={"csrf_token": token}
        )
        assert revoke.status_code == 404
    # the largest id a column holds is looked up, and is not there
    assert staff_client.get(f"/staff/registrations/{ID_MAX}").status_code == 404


def test_a_nul_or_control_character_in_an_id_is_404(client, attorney_client, staff_client, bearer):
    for raw in ("%00", "a%00b", "%1b", "%7f"):
        assert attorney_client.get(f"/filings/{raw}").status_code == 404
        assert attorney_client.get(f"/filings/check/{raw}").status_code == 404
        assert staff_client.get(f"/staff/filings/{raw}").status_code == 404
        assert client.get(f"/api/v1/filings/{raw}", headers=bearer).status_code == 404
        assert client.get(f"/api/v1/checks/{raw}", headers=bearer).status_code == 404


# --- JSON under /api/ -----------------------------------------------------------------------


def test_errors_under_api_are_json(client, api_token):
    bearer = {"Authorization": f"Bearer {api_token}"}
    for path in ("/api/v1/no-such-call", "/api/v2/filings", "/api", f"/api/v1/filings/{TOO_BIG}"):
        response = client.get(path, headers=bearer)
        assert response.status_code == 404 and response.is_json, path
        assert response.get_json()["errors"][0]["code"] == "not_found"
    response = client.post("/api/v1/offices", headers=bearer)
    assert response.status_code == 405 and response.is_json
    too_big = client.post(
        "/api/v1/no-such-call",
        data=b"x" * 100_000,
        content_type="application/octet-stream",
        headers=bearer,
    )
    assert too_big.status_code == 404 and too_big.is_json
    # a page outside the API stays a page
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
