"""The registration page: plausible names, links that never come from the Host header, and
throttling per client address."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app import db
from app.users import User
from tests.helpers import PASSWORD, csrf_token, login, post_form
from tests.registration.flows import FORM as BLANK_IDENTIFIERS

FORM = {**BLANK_IDENTIFIERS, "eoir_id": "MA765432"}


def _count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def test_implausible_names_and_firms_are_refused_with_the_reason(app, client, outbox):
    cases = [
        ({"full_name": "Lee <b>Lawyer</b>"}, "“&lt;” is not allowed"),
        ({"full_name": "Agent 47"}, "“4” is not allowed"),
        ({"full_name": "Lee " + "L" * 100}, "at most 100 characters"),
        ({"full_name": "  "}, "Enter your full name (at least two letters)"),
        ({"firm": "Evil™ Corp"}, "“™” is not allowed"),
        ({"firm": "F" * 151}, "at most 150 characters"),
        ({"firm": "&&&"}, "needs at least one letter"),
    ]
    for changes, message in cases:
        response = post_form(client, "/register", {**FORM, **changes})
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), changes
    assert _count_users(app) == 0 and outbox() == []


def test_names_of_any_script_and_real_firm_names_are_welcome(app, client, outbox):
    response = post_form(
        client,
        "/register",
        {**FORM, "full_name": "  Zoë  Ngọc-Ánh O’Neil ", "firm": "Smith & Núñez, L.L.P."},
    )
    assert response.status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.full_name == "Zoë Ngọc-Ánh O’Neil"


def test_a_forged_host_header_does_not_reach_the_email(app, client, outbox):
    forged = {"base_url": "http://evil.example", "headers": {"X-Forwarded-Host": "evil.example"}}
    page = client.get("/register", **forged).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    response = client.post("/register", data={**FORM, "csrf_token": token.group(1)}, **forged)
    assert response.status_code == 200
    [mail] = outbox()
    body = mail.get_content()
    assert "evil.example" not in body
    assert re.search(r"http://localhost:5000/register/confirm/\S+", body)


def test_registration_is_throttled_per_address_with_a_page_saying_when(app, outbox):
    client = app.test_client()
    for n in range(3):  # forms sent back with errors cost nothing
        bad = post_form(
            client, "/register", {**FORM, "email": f"bad{n}@law.example", "a_numbers": "x"}
        )
        assert bad.status_code == 422
    for n in range(10):
        ok = post_form(client, "/register", {**FORM, "email": f"a{n}@law.example"})
        assert ok.status_code == 200, n
    throttled = post_form(client, "/register", {**FORM, "email": "eleventh@law.example"})
    assert throttled.status_code == 429
    page = throttled.get_data(as_text=True)
    assert "Too many attempts" in page
    assert re.search(r"Try again after <strong id=\"retry-at\">\d\d:\d\d UTC</strong>", page)
    assert int(throttled.headers["Retry-After"]) > 0
    assert _count_users(app) == 10
    assert client.get("/register").status_code == 200  # the page itself stays readable
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert post_form(elsewhere, "/register", {**FORM, "email": "b@law.example"}).status_code == 200


def test_resending_the_confirmation_link_is_throttled_per_address(app, client, outbox):
    post_form(client, "/register", FORM)
    login(client, FORM["email"], PASSWORD)
    token = csrf_token(client, "/registration")
    for _ in range(5):
        response = client.post("/registration/resend-confirmation", data={"csrf_token": token})
        assert response.status_code == 302
    throttled = client.post("/registration/resend-confirmation", data={"csrf_token": token})
    assert throttled.status_code == 429
    assert "Try again after" in throttled.get_data(as_text=True)
