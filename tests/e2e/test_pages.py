"""Every page of the app, as each role sees it, empty and with the demo filings, at 1280 px and
on a 375-px phone: axe-core finds no violation and no page is wider than the screen.

Pages are found from the app's GET routes, so a new page is swept without being listed here;
a route that is not a page is skipped only by name, with the reason, in SKIPPED. The USWDS
assets are served (the tests' own copy), so the layout is the one people get.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser import DESKTOP, PHONE, axe_violations, launch, make_live_app, page_width
from tests.e2e.server import serving
from tests.e2e.sweep_site import EMAILS, ROLES, Site, build
from tests.helpers import TOTP, totp_code

# Routes that answer with something other than a page, or that are pages only in the middle of
# a flow (those are checked in that flow below).
SKIPPED = {
    "static": "files of the app (CSS, JavaScript), not pages",
    "uswds": "the USWDS assets, not pages",
    "filings.download_own": "a PDF download (an attachment), not a page",
    "filings.download_staff": "a PDF download (an attachment), not a page",
    "filings.page_image": "a PNG of one page, shown inside the document pages page",
    "filings.notice_own": "the Notice of Service PDF (an attachment), not a page",
    "filings.notice_staff": "the Notice of Service PDF (an attachment), not a page",
    "filings.occ_served_download": "a PDF download (an attachment), not a page",
    "filings.served_on_me_download": "a PDF download (an attachment), not a page",
    "receipts.receipt_jws": "the signed receipt (application/jose), not a page",
    "receipts.jwks": "the public keys (JSON), not a page",
    "admin.audit_export": "a CSV download",
    "account.login_second_factor": "the log-in's second step: checked while staff log in",
    "account.login_setup": "the first log-in's factor set-up: checked on its own below",
}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


def _is_page(rule: Any) -> bool:
    return "GET" in rule.methods and not rule.rule.startswith("/api/")


def page_urls(site: Site) -> tuple[list[str], list[str]]:
    """Every page URL to visit, and the routes that could not be filled from the site's data."""
    adapter = site.app.url_map.bind("localhost")
    urls, unfilled = [], []
    for rule in sorted(site.app.url_map.iter_rules(), key=lambda r: r.rule):
        if not _is_page(rule) or rule.endpoint in SKIPPED:
            continue
        values = [{}] if not rule.arguments else site.values.get(rule.endpoint, [])
        if not values:
            unfilled.append(rule.endpoint)
        urls += [adapter.build(rule.endpoint, v) for v in values]
    return urls, unfilled


@pytest.fixture(scope="module", params=["empty", "with data"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[Site, str]]:
    uswds: Path = request.getfixturevalue("uswds_dir")
    tmp = tmp_path_factory.mktemp("sweep")
    application = make_live_app(tmp, sqlite_template, ESERVICE_USWDS_DIR=str(uswds))
    built = build(application, with_filings=request.param == "with data")
    with serving(application) as port:
        yield built, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch() as browser:
        yield browser


def _check(page: Any, label: str, viewport: dict[str, int]) -> list[str]:
    """What is wrong with the page now open: axe's violations and a width past the screen."""
    found = [f"{label}: {line}" for line in axe_violations(page)]
    width = page_width(page)
    if width > viewport["width"]:
        found.append(f"{label}: {width} px wide on a {viewport['width']}-px screen")
    return found


def _log_in(page: Any, base: str, site: Site, email: str, viewport: dict[str, int]) -> list[str]:
    """Log in through the form; the second step's page is checked on the way."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", site.passwords[email])
    with page.expect_navigation():  # the answer to the password, before the URL is read
        page.click("main button[type=submit]")
    problems: list[str] = []
    if "/login/second-factor" in page.url:
        problems = _check(page, "/login/second-factor", viewport)
        TOTP[email] = site.totp[email]  # each site made its own key
        page.fill("#code", totp_code(email))
        with page.expect_navigation():
            page.click("main button:has-text('Continue')")
    assert "/login" not in page.url, f"{email} could not log in"
    return problems


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe_and_fits_the_screen(site, chromium, role, viewport):
    built, base = site
    size = VIEWPORTS[viewport]
    context = chromium.new_context(viewport=size)
    page = context.new_page()
    problems: list[str] = []
    if role != "anonymous":
        problems += _log_in(page, base, built, EMAILS[role], size)
    urls, _ = page_urls(built)
    seen = 0
    for url in urls:
        response = page.goto(base + url)
        if response is not None and response.status >= 500:
            problems.append(f"{url}: the server failed ({response.status})")
            continue
        if response is None or response.status != 200 or urlsplit(page.url).path != url:
            continue  # not this role's page (404, or sent elsewhere): another role sweeps it
        seen += 1
        problems += _check(page, url, size)
    page.goto(f"{base}/no-such-page")
    problems += _check(page, "the not-found page", size)
    context.close()
    assert seen, f"no page answered for {role}"
    assert not problems, f"{len(problems)} problems for {role} at {viewport}:\n" + "\n".join(
        problems
    )


def test_the_first_log_in_factor_set_up_passes_axe_and_fits(site, chromium):
    """A staff account without a second factor yet is sent to set one up at its first log-in."""
    from app import db
    from app.cli import create_user
    from app.users import Role, user_by_email

    built, base = site
    email = "first.login@occ.example"
    with built.app.app_context():
        if user_by_email(email) is None:
            create_user(email, "First Login", Role.STAFF, "a long demo password here", "ATL")
            db.session.commit()
    problems: list[str] = []
    for name, size in VIEWPORTS.items():
        page = chromium.new_context(viewport=size).new_page()
        page.goto(f"{base}/login")
        page.fill("#email", email)
        page.fill("#password", "a long demo password here")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert "/login/setup" in page.url
        problems += _check(page, f"/login/setup ({name})", size)
        page.context.close()
    assert not problems, "\n".join(problems)


def test_every_page_route_is_swept_or_skipped_with_a_reason(site):
    built, _ = site
    _, unfilled = page_urls(built)
    if "filings.show" in built.values:  # the site with data fills every page
        assert not unfilled, f"page routes with no URL (add values or a reason): {unfilled}"
    else:  # the empty site lacks only the pages of things that do not exist yet
        rules = {r.endpoint: r for r in built.app.url_map.iter_rules()}
        assert all(rules[e].arguments for e in unfilled), unfilled
    stale = set(SKIPPED) - {r.endpoint for r in built.app.url_map.iter_rules()}
    assert not stale, f"skipped routes that no longer exist: {stale}"
