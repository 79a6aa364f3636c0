"""The page shell in Chromium with the USWDS assets: the phone menu (mouse and keyboard), no
sideways scroll at 375 px, the session-expiry warning, and axe-core on the pages it frames."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    launch,
    live,
    log_in,
    make_live_app,
    page_width,
)
from tests.helpers import create_attorney


@pytest.fixture
def site(tmp_path: Path, sqlite_template: Path, uswds_dir: Path) -> Iterator[str]:
    application = make_live_app(
        tmp_path,
        sqlite_template,
        ESERVICE_USWDS_DIR=str(uswds_dir),
        ESERVICE_SESSION_IDLE_MINUTES="1",
    )
    with application.app_context():
        create_attorney("lawyer@firm.example")
    with live(application) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Any]:
    with launch() as chromium:
        yield chromium


def test_phone_menu_opens_and_leads_to_my_filings_and_log_out(site: str, browser: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    log_in(page, site, "lawyer@firm.example")
    nav = page.locator("nav.usa-nav")
    assert not nav.is_visible()  # folded behind the menu button
    page.click("button.usa-menu-btn")
    assert nav.is_visible()
    with page.expect_navigation():
        page.click("nav.usa-nav >> text=My filings")
    assert page.url.endswith("/filings")
    assert page_width(page) <= PHONE["width"]
    page.click("button.usa-menu-btn")
    with page.expect_navigation():
        page.click("nav.usa-nav >> text=Log out")
    assert "/login" in page.url and "You are logged out" in page.content()


def test_phone_menu_by_keyboard_alone(site: str, browser: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    log_in(page, site, "lawyer@firm.example")
    page.focus("button.usa-menu-btn")
    page.keyboard.press("Enter")
    assert page.locator("nav.usa-nav").is_visible()
    for _ in range(20):  # tab through the open menu to the link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "My filings":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/filings")
    page.focus("button.usa-menu-btn")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # USWDS closes the menu on Escape
    assert not page.locator("nav.usa-nav").is_visible()


def test_without_javascript_the_menu_is_a_list_on_a_phone(site: str, browser: Any) -> None:
    page = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    log_in(page, site, "lawyer@firm.example")
    assert page.locator("nav.usa-nav >> text=My filings").is_visible()
    assert not page.locator("button.usa-menu-btn").is_visible()
    assert page_width(page) <= PHONE["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_no_sideways_scroll_and_no_axe_violations(site: str, browser: Any, viewport: Any) -> None:
    page = browser.new_page(viewport=viewport)
    for path in ("/", "/login", "/help", "/contact", "/accessibility"):
        page.goto(site + path)
        assert page_width(page) <= viewport["width"], path
        assert axe_violations(page) == [], path
    log_in(page, site, "lawyer@firm.example")
    for path in ("/filings", "/account/"):
        page.goto(site + path)
        assert page_width(page) <= viewport["width"], path
        assert axe_violations(page) == [], path


def test_expiry_warning_and_stay_signed_in(site: str, browser: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    log_in(page, site, "lawyer@firm.example")
    page.clock.install()
    page.goto(f"{site}/account/")
    dialog = page.locator("#session-expiry")
    assert not dialog.is_visible()
    page.clock.fast_forward(50_000)  # idle limit 1 minute; the warning 15 s before
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Stay signed in"
    assert axe_violations(page) == []
    page.click("text=Stay signed in")
    dialog.wait_for(state="hidden")
    page.goto(f"{site}/account/sessions")
    assert "/login" not in page.url  # still signed in
