"""Attacks on the account pages tried from outside, each shown failing: adding a factor at the
log-in's set-up step of an account that has one, guessing at the identity check, redirects
out of the site, old links after an e-mail change, a replayed passkey answer, NUL characters."""

from __future__ import annotations

import json
import re
import time

from sqlalchemy import select

from app import db
from app.mfa import TotpFactor
from app.passkeys import Passkey
from app.tokens import ApiToken
from app.users import User
from tests.helpers import PASSWORD, login, post_form

NEW = "a lantern over the quiet harbour"


def _give_passkey(app, user_id: int) -> None:
    with app.app_context():
        db.session.add(
            Passkey(user_id=user_id, credential_id=b"\x01" * 16, public_key=b"\x02" * 77, name="k")
        )
        db.session.commit()


def test_a_pending_login_with_a_passkey_cannot_set_up_another_factor(app, make_attorney):
    user = make_attorney()
    _give_passkey(app, user.id)
    client = app.test_client()
    step = post_form(client, "/login", {"email": "lawyer@firm.example", "password": PASSWORD})
    assert step.headers["Location"].endswith("/login/second-factor")
    setup = client.get("/login/setup")
    assert setup.status_code == 302 and setup.headers["Location"].endswith("/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text)
    assert token
    client.post("/login/setup", data={"csrf_token": token.group(1), "code": "123456"})
    assert client.get("/filings").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(TotpFactor)).all() == []


def test_the_identity_check_is_throttled_like_the_login(app, client, make_attorney):
    make_attorney()
    login(client, "lawyer@firm.example")
    statuses = [
        post_form(client, "/account/confirm", {"password": f"wrong guess {i}"}).status_code
        for i in range(8)
    ]
    assert statuses[:5] == [422] * 5 and 429 in statuses[5:]
    right = post_form(client, "/account/confirm", {"password": PASSWORD})
    assert right.status_code == 429  # even the right one waits
    wrong_current = post_form(
        client, "/account/password", {"current": "another guess!", "new": NEW, "confirm": NEW}
    )
    assert wrong_current.status_code == 429


def test_confirm_never_redirects_off_the_site(app, client, make_attorney):
    make_attorney()
    login(client, "lawyer@firm.example")
    for target in ("/%09/evil.example", "/\t/evil.example", "/a%0D%0ALocation:%20x", "/ /evil"):
        response = post_form(client, f"/account/confirm?next={target}", {"password": PASSWORD})
        assert response.status_code == 302, target
        location = response.headers["Location"]
        assert "evil" not in location and "\n" not in location, (target, location)


def _link(message, path: str) -> str:
    match = re.search(rf"http://localhost:5000({path}/\S+)", message.get_content())
    assert match
    return match.group(1)


def _change_email(client, outbox, new: str) -> str:
    post_form(client, "/account/email", {"new_email": new, "password": PASSWORD})
    [mail] = [m for m in outbox() if m["To"] == new][-1:]
    return _link(mail, "/account/email/confirm")


def test_old_links_die_when_the_email_changes(app, client, make_attorney, outbox):
    make_attorney()
    login(client, "lawyer@firm.example")
    post_form(client, "/password/reset", {"email": "lawyer@firm.example"})
    reset = _link(outbox()[-1], "/password/reset")
    there = _change_email(client, outbox, "b@firm.example")
    assert client.get(there).status_code == 302
    assert client.get(reset).status_code == 400  # a reset link to the old address is dead
    assert client.get("/filings").status_code == 302  # the e-mail change ended the sessions
    login(client, "b@firm.example")
    back = _change_email(client, outbox, "lawyer@firm.example")
    assert client.get(back).status_code == 302
    assert client.get(there).status_code == 400  # A -> B -> A: the first link stays dead
    with app.app_context():
        assert db.session.scalar(select(User.email)) == "lawyer@firm.example"


def test_a_reset_revokes_api_tokens(app, client, make_attorney, outbox):
    from app.tokens import create_token

    user = make_attorney()
    with app.app_context():
        token = create_token(db.session.get(User, user.id), "integration")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    post_form(client, "/password/reset", {"email": "lawyer@firm.example"})
    link = _link(outbox()[-1], "/password/reset")
    post_form(client, link, {"new": NEW, "confirm": NEW})
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).one().revoked_at is not None


def test_a_passkey_challenge_is_answered_once(app, make_attorney):
    from flask import session

    from app.passkeys import PasskeyError, _remember_challenge, _take_challenge

    user = make_attorney()
    with app.test_request_context("/login/passkey"):
        _remember_challenge("login", b"c" * 32, user.id)
        saved = dict(session)
        assert _take_challenge("login", user.id) == b"c" * 32
        session.update(saved)  # the cookie from before the answer, sent again
        try:
            _take_challenge("login", user.id)
        except PasskeyError as exc:
            assert "answered already" in str(exc)
        else:
            raise AssertionError("a replayed challenge was accepted")
        assert time.time()


def test_deeply_nested_json_is_a_clear_refusal(app, make_attorney):
    user = make_attorney()
    _give_passkey(app, user.id)
    client = app.test_client()
    post_form(client, "/login", {"email": "lawyer@firm.example", "password": PASSWORD})
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login/second-factor").text
    )
    assert token
    response = client.post(
        "/login/passkey",
        data="[" * 20000,
        headers={"Content-Type": "application/json", "X-CSRFToken": token.group(1)},
    )
    assert response.status_code == 400 and "JSON" in response.json["error"]


def test_nul_characters_are_refused_on_both_databases(app, client, make_attorney):
    from tests.helpers import api_post
    from tests.pdfs import pdf_bytes

    response = post_form(client, "/login", {"email": "x\x00@firm.example", "password": "p" * 16})
    assert response.status_code == 400 and "NUL" in response.text
    user = make_attorney()
    from app.tokens import create_token

    with app.app_context():
        token = create_token(db.session.get(User, user.id), "integration")
    filed = api_post(client, token, [(pdf_bytes(), "m.pdf")], title="Motion\x00")
    assert filed.status_code == 400
    assert "NUL" in json.dumps(filed.json)
