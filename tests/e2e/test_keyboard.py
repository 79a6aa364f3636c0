"""The main flows by keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys; no clicks): log
in (staff with their code), serve a PDF, open the inbox and a filing and accept it. Every
element that takes focus on the way shows it (an outline or a ring)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app import db
from filings.models import Filing, FilingStatus
from tests.e2e.browser import launch, make_live_app
from tests.e2e.server import serving
from tests.helpers import PASSWORD, create_attorney, create_staff, totp_code
from tests.pdfs import pdf_bytes

ATTORNEY, STAFF = "lawyer@firm.example", "staff.atl@occ.example"
DESKTOP = {"width": 1280, "height": 900}
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  return {html: el.outerHTML.slice(0, 120), visible: outline || ring};
}"""


class Keyboard:
    """Moves through a page by Tab alone, noting every focused element that does not show it."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.unseen: list[str] = []

    def tab_to(self, predicate: str, limit: int = 80, back: bool = False) -> None:
        """Tab (Shift+Tab with ``back``) until the focused element satisfies ``predicate``, a
        JavaScript function of the element."""
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            focused = self.page.evaluate(_FOCUSED)
            if focused and not focused["visible"]:
                self.unseen.append(f"{self.page.url}: {focused['html']}")
            if self.page.evaluate(f"({predicate})(document.activeElement)"):
                return
        raise AssertionError(f"{predicate} never took focus on {self.page.url}")

    def choose(self, value: str) -> None:
        """Pick ``value`` in the focused select with the arrow keys."""
        for key in ("Home", *["ArrowDown"] * 60):
            if self.page.evaluate("document.activeElement.value") == value:
                return
            self.page.keyboard.press(key)
        raise AssertionError(f"no option {value} on {self.page.url}")

    def type_into(self, element_id: str, text: str) -> None:
        self.tab_to(f"el => el.id === {element_id!r}")
        self.page.keyboard.type(text)

    def enter_on(self, predicate: str) -> None:
        self.tab_to(predicate)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def _button(*words: str) -> str:
    """A predicate for a submit button whose text holds any of ``words``."""
    listed = ", ".join(repr(w) for w in words)
    return (
        "el => el.matches('button, input[type=submit]') && "
        f"[{listed}].some(w => (el.textContent || el.value).includes(w))"
    )


@pytest.fixture
def site(tmp_path: Path, sqlite_template: Path, uswds_dir: Path) -> Iterator[tuple[Any, str]]:
    application = make_live_app(tmp_path, sqlite_template, ESERVICE_USWDS_DIR=str(uswds_dir))
    with application.app_context():
        create_attorney(ATTORNEY)
        create_staff(STAFF, "ATL")
    with serving(application) as port:
        yield application, f"http://127.0.0.1:{port}"


def _log_in(keys: Keyboard, base: str, email: str) -> None:
    keys.page.goto(f"{base}/login")
    keys.type_into("email", email)
    keys.type_into("password", PASSWORD)
    with keys.page.expect_navigation():
        keys.page.keyboard.press("Enter")
    if "/login/second-factor" in keys.page.url:
        keys.type_into("code", totp_code(email))
        with keys.page.expect_navigation():
            keys.page.keyboard.press("Enter")
    assert "/login" not in keys.page.url, f"{email} is not logged in"


def test_serve_and_accept_by_keyboard_alone(site, tmp_path):
    app, base = site
    pdf = tmp_path / "Motion to continue.pdf"
    pdf.write_bytes(pdf_bytes(pages=2))
    with launch() as chromium:
        attorney = Keyboard(chromium.new_context(viewport=DESKTOP).new_page())
        _log_in(attorney, base, ATTORNEY)
        attorney.enter_on("el => el.matches('a[href=\"/filings/new\"]')")
        attorney.tab_to("el => el.id === 'office'")
        attorney.choose("ATL")
        attorney.type_into("a_number", "A012-345-678")
        attorney.tab_to("el => el.id === 'document_type'")
        attorney.choose("motion")
        attorney.type_into("title", "Motion to continue")
        attorney.tab_to("el => el.matches('input[type=file]')")
        with attorney.page.expect_file_chooser() as chooser:
            attorney.page.keyboard.press("Space")
        chooser.value.set_files(str(pdf))
        attorney.enter_on(_button("Serve"))
        heading = attorney.page.locator("h1").inner_text()
        assert "ES-ATL-" in heading, heading
        receipt = next(w for w in heading.split() if w.startswith("ES-ATL-"))

        staff = Keyboard(chromium.new_context(viewport=DESKTOP).new_page())
        _log_in(staff, base, STAFF)
        staff.enter_on("el => el.matches('a[href^=\"/staff/inbox\"]')")
        staff.enter_on(f"el => el.matches('a') && el.textContent.includes({receipt!r})")
        staff.tab_to("el => el.id === 'decision'")
        staff.choose("accept")
        staff.enter_on(_button("Continue", "Record decision"))
        if staff.page.locator("button:has-text('Yes, accept')").count():
            staff.enter_on(_button("Yes, accept"))
        # Shift+Tab goes back through the page as well.
        staff.tab_to("el => el.matches('a, button')", back=True)
        unseen = attorney.unseen + staff.unseen
    with app.app_context():
        filing = db.session.scalars(select(Filing).where(Filing.receipt_number == receipt)).one()
        assert filing.status == FilingStatus.ACCEPTED
    assert not unseen, "focus not visible on:\n" + "\n".join(unseen)
