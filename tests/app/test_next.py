"""After log-in the user lands where they were going (?next=), same site only, through the
second factor too; a form sent after the session ended says so and leads back."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.reauth import safe_next
from tests.helpers import PASSWORD, csrf_token, post_form, totp_code

HOSTILE = [
    "//evil.example",
    "//evil.example/filings",
    "https://evil.example",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "evil.example",
    " /filings",
    "/filings\nLocation: //evil.example",
    "///evil.example",
    "",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_other_sites(target: str) -> None:
    assert safe_next(target, "/home") == "/home"


def test_safe_next_keeps_a_path_with_its_query() -> None:
    assert safe_next("/filings?status=served", "/") == "/filings?status=served"


def test_a_page_that_needs_log_in_sends_its_path_as_next(app: Flask, client: FlaskClient) -> None:
    response = client.get("/account/sessions")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login?next=%2Faccount%2Fsessions")


def test_log_in_goes_to_next(app: Flask, client: FlaskClient, make_attorney) -> None:  # type: ignore[no-untyped-def]
    make_attorney()
    page = "/login?next=/account/sessions"
    response = post_form(client, page, {"email": "lawyer@firm.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/sessions"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example"])
def test_log_in_ignores_a_next_on_another_site(
    app: Flask, client: FlaskClient, make_attorney, target: str
) -> None:  # type: ignore[no-untyped-def]
    make_attorney()
    response = post_form(
        client,
        "/login",
        {"email": "lawyer@firm.example", "password": PASSWORD},
        action=f"/login?next={target}",
    )
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    assert response.headers["Location"] == "/"


def test_next_survives_the_second_factor(app: Flask, client: FlaskClient, make_staff) -> None:  # type: ignore[no-untyped-def]
    make_staff()
    response = post_form(
        client,
        "/login",
        {"email": "staff.atl@occ.example", "password": PASSWORD},
        action="/login?next=/account/sessions",
    )
    assert response.headers["Location"].endswith("/login/second-factor")
    code = totp_code("staff.atl@occ.example")
    response = post_form(client, "/login/second-factor", {"code": code})
    assert response.status_code == 302
    landing = client.get(response.headers["Location"])
    assert landing.status_code == 302 and landing.headers["Location"] == "/account/sessions"
    # Once only: the start page is the start page again.
    assert client.get("/").headers["Location"] != "/account/sessions"


def test_a_form_sent_after_the_session_ended_says_so_and_links_back(
    app: Flask, client: FlaskClient, make_attorney
) -> None:  # type: ignore[no-untyped-def]
    make_attorney()
    csrf_token(client, "/login")  # a session cookie, but no log-in and a stale form
    response = client.post("/account/password", data={"csrf_token": "stale"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "your session has ended" in page
    assert 'href="/login?next=/account/password"' in page
    # A form whose address is no page leads to the log-in page alone.
    response = client.post("/account/sessions/end-others", data={"csrf_token": "stale"})
    page = response.get_data(as_text=True)
    assert "next=" not in page and 'href="/login"' in page
