"""Shared pieces of the browser tests: Chromium through Playwright, a served app with the USWDS
assets, axe-core, and the page-width check for a 375-px phone."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app, db
from tests.conftest import IN_CI, make_env
from tests.e2e.server import serving
from tests.helpers import PASSWORD, totp_code

CHROMIUM = os.environ.get("ESERVICE_TEST_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def need_browser() -> None:
    """Skip (fail in CI) when Playwright or Chromium is missing."""
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "the Python package playwright (pip install -e '.[test]')"
    if not shutil.which(CHROMIUM):
        missing = f"Chromium at {CHROMIUM} (apt-get install chromium)"
    if missing:
        if IN_CI:
            pytest.fail(f"browser tests need {missing}")
        pytest.skip(f"browser tests need {missing}")


@contextmanager
def launch() -> Iterator[Any]:
    """A headless Chromium, closed after."""
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def make_live_app(tmp_path: Path, sqlite_template: Path, **env: str) -> Flask:
    """An app on a copy of the migrated SQLite template, offices seeded; ``env`` adds settings
    (e.g. ``ESERVICE_USWDS_DIR`` from the ``uswds_dir`` fixture)."""
    database = tmp_path / "eservice.db"
    shutil.copy(sqlite_template, database)
    application = create_app(env=make_env(tmp_path, f"sqlite:///{database}", **env))
    with application.app_context():
        from app.offices import seed_offices

        seed_offices()
        db.session.commit()
    return application


@contextmanager
def live(application: Flask) -> Iterator[str]:
    """Serve the app on 127.0.0.1; yields its base URL."""
    with serving(application) as port:
        yield f"http://127.0.0.1:{port}"


def log_in(page: Any, base: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the form (and the authenticator code for staff)."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():  # the answer to the password, before the URL is read
        page.click("main button[type=submit]")
    if "/login/second-factor" in page.url:
        page.fill("#code", totp_code(email))
        with page.expect_navigation():
            page.click("main button:has-text('Continue')")


def page_width(page: Any) -> int:
    """How wide the page's content is, in CSS pixels (wider than the viewport = side scroll)."""
    page.wait_for_load_state()
    return int(
        page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    )


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is, one readable line each (empty: none)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    lines = []
    for v in results.response["violations"]:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return lines
