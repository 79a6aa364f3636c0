"""Passkeys in a real browser: Chromium's virtual authenticator (over CDP) adds a passkey on the
account page, then signs in with it at the log-in's second step. A passkey of another device
does not sign in. The site runs on http://localhost, the relying party of ESERVICE_BASE_URL."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app, db
from app.audit import AuditEvent
from app.passkeys import Passkey
from tests.conftest import make_env
from tests.e2e.browser import CHROMIUM, FLAGS, need_browser
from tests.e2e.server import serving
from tests.helpers import PASSWORD, create_attorney


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def site(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[str, object]]:
    database = tmp_path / "eservice.db"
    shutil.copy(sqlite_template, database)
    port = _free_port()
    base = f"http://localhost:{port}"
    application = create_app(
        env=make_env(tmp_path, f"sqlite:///{database}", ESERVICE_BASE_URL=base)
    )
    with application.app_context():
        from app.offices import seed_offices

        seed_offices()
        db.session.commit()
        create_attorney("lawyer@firm.example")
    with serving(application, port):
        yield base, application


@pytest.fixture
def chromium():
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def _authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def _password(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", "lawyer@firm.example")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def test_add_a_passkey_and_sign_in_with_it(site, chromium):
    base, app = site
    page = chromium.new_context().new_page()
    _authenticator(page)
    _password(page, base)
    page.goto(f"{base}/account/passkeys")
    page.fill("#name", "Test laptop")
    page.click("button:has-text('Add a passkey')")
    page.wait_for_selector("td:has-text('Test laptop')")
    with app.app_context():
        [key] = db.session.scalars(select(Passkey)).all()
        assert key.name == "Test laptop"

    # Log out and in again: the password, then the passkey instead of a code.
    page.click("button:has-text('Log out')")
    _password(page, base)
    assert page.url.endswith("/login/second-factor")
    page.click("button:has-text('Use a passkey')")
    page.wait_for_url(f"{base}/filings")
    with app.app_context():
        used = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "mfa.passkey_used")
        ).all()
        assert len(used) == 1
        assert db.session.scalars(select(Passkey)).one().last_used_at is not None

    # Another device, with a passkey of its own, is not let in by it.
    other = chromium.new_context().new_page()
    _authenticator(other)
    _password(other, base)
    other.click("button:has-text('Use a passkey')")
    other.wait_for_selector("#passkey-error:not([hidden])")
    assert other.url.endswith("/login/second-factor")
    assert other.goto(f"{base}/filings").url.endswith("/login?next=%2Ffilings") or (
        "/login" in other.url
    )
