"""One's own account over HTTP: change the password or e-mail, reset a forgotten password.

Each attack the rules stop is tried: a reused or stale reset link, a forged Host header, a
common password, an e-mail change without the password, a leaked old session after a change.
"""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from app.users import User, user_by_email
from tests.helpers import PASSWORD, login, post_form

NEW = "a lantern over the quiet harbour"


def _link(message, path: str) -> str:
    match = re.search(rf"http://localhost:5000({path}/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def _actions(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_change_password_needs_the_current_one_and_follows_the_rules(app, client, make_attorney):
    make_attorney()
    login(client, "lawyer@firm.example")
    page = "/account/password"
    wrong = post_form(client, page, {"current": "not it at all, no", "new": NEW, "confirm": NEW})
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    common = post_form(
        client,
        page,
        {"current": PASSWORD, "new": "password12345678", "confirm": "password12345678"},
    )
    assert common.status_code == 422 and "common or breached" in common.get_data(as_text=True)
    short = post_form(
        client, page, {"current": PASSWORD, "new": "short one", "confirm": "short one"}
    )
    assert "at least 15" in short.get_data(as_text=True)
    ok = post_form(client, page, {"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert ok.status_code == 302
    client.post("/logout", data={})
    other = app.test_client()
    assert login(other, "lawyer@firm.example").status_code == 200  # the old password: refused
    assert other.get("/filings").status_code == 302
    fresh = app.test_client()
    assert login(fresh, "lawyer@firm.example", NEW).status_code == 302
    assert fresh.get("/filings").status_code == 200
    assert _actions(app, "auth.password_changed")


def test_changing_the_password_ends_the_other_sessions(app, make_attorney):
    make_attorney()
    here, elsewhere = app.test_client(), app.test_client()
    login(here, "lawyer@firm.example")
    login(elsewhere, "lawyer@firm.example")
    assert elsewhere.get("/filings").status_code == 200
    post_form(here, "/account/password", {"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert here.get("/filings").status_code == 200
    assert elsewhere.get("/filings").status_code == 302  # back to the login page


def test_password_reset_by_email_is_single_use(app, client, make_attorney, outbox):
    make_attorney()
    response = post_form(client, "/password/reset", {"email": "Lawyer@Firm.example"})
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    unknown = post_form(client, "/password/reset", {"email": "nobody@firm.example"})
    # The same page, word for word, whether or not the address has an account.
    assert unknown.status_code == 200 and unknown.get_data() == response.get_data()
    [message] = [m for m in outbox() if "Reset your" in m["Subject"]]
    assert message["To"] == "lawyer@firm.example"
    link = _link(message, "/password/reset")
    assert client.get(link).status_code == 200
    bad = post_form(client, link, {"new": "iloveyou1234567", "confirm": "iloveyou1234567"})
    assert bad.status_code == 422 and "common or breached" in bad.get_data(as_text=True)
    done = post_form(client, link, {"new": NEW, "confirm": NEW})
    assert done.status_code == 302
    # The link is spent: it names the password it replaced.
    assert client.get(link).status_code == 400
    assert login(app.test_client(), "lawyer@firm.example", NEW).status_code == 302
    assert any("was reset" in m["Subject"] for m in outbox())


def test_password_reset_link_expires_after_an_hour(app, client, make_attorney, outbox, monkeypatch):
    make_attorney()
    post_form(client, "/password/reset", {"email": "lawyer@firm.example"})
    link = _link(outbox()[-1], "/password/reset")
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(link).status_code == 400


def test_a_forged_host_header_does_not_reach_the_reset_email(app, client, make_attorney, outbox):
    make_attorney()
    token = client.get("/password/reset", headers={"Host": "evil.example"})
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', token.get_data(as_text=True))
    assert match
    client.post(
        "/password/reset",
        data={"csrf_token": match.group(1), "email": "lawyer@firm.example"},
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    body = outbox()[-1].get_content()
    assert "evil.example" not in body and "http://localhost:5000/password/reset/" in body


def test_reset_requests_are_throttled(app, client, make_attorney, outbox):
    make_attorney()
    codes = [
        post_form(client, "/password/reset", {"email": "lawyer@firm.example"}).status_code
        for _ in range(12)
    ]
    assert codes[:10] == [200] * 10 and codes[-1] == 429
    # One account gets at most three links however the requests are spread.
    assert len([m for m in outbox() if "Reset your" in m["Subject"]]) == 3


def test_change_email_is_confirmed_from_the_new_address(app, client, make_attorney, outbox):
    make_attorney()
    login(client, "lawyer@firm.example")
    refused = post_form(
        client, "/account/email", {"new_email": "new@firm.example", "password": "wrong guess!"}
    )
    assert refused.status_code == 422
    asked = post_form(
        client, "/account/email", {"new_email": "New@Firm.example", "password": PASSWORD}
    )
    assert asked.status_code == 302
    messages = outbox()
    notice = [m for m in messages if m["To"] == "lawyer@firm.example"]
    assert notice and "new@firm.example" in notice[-1].get_content()
    [confirm] = [m for m in messages if m["To"] == "new@firm.example"]
    link = _link(confirm, "/account/email/confirm")
    with app.app_context():
        assert user_by_email("new@firm.example") is None  # nothing changes before the link
    assert client.get(link).status_code == 302
    with app.app_context():
        assert user_by_email("new@firm.example") is not None
    assert client.get(link).status_code == 400  # single use


def test_change_email_to_a_taken_address_sends_nothing_there(app, client, make_attorney, outbox):
    make_attorney()
    make_attorney("other@firm.example", eoir_id="ZZ765432", a_numbers=("087654321",))
    login(client, "lawyer@firm.example")
    asked = post_form(
        client, "/account/email", {"new_email": "other@firm.example", "password": PASSWORD}
    )
    assert asked.status_code == 302  # the same answer as for a free address
    assert not [m for m in outbox() if m["To"] == "other@firm.example"]


def test_an_old_hash_is_upgraded_at_login(app, client, make_attorney):
    from werkzeug.security import generate_password_hash

    user = make_attorney()
    with app.app_context():
        row = db.session.get(User, user.id)
        assert row is not None
        row.password_hash = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
        db.session.commit()
    assert login(client, "lawyer@firm.example").status_code == 302
    with app.app_context():
        row = db.session.get(User, user.id)
        assert row is not None and row.password_hash.startswith("$argon2id$v=19$m=1024,t=1,p=1$")


def test_a_new_staff_account_changes_its_first_password(app, make_staff):
    from tests.helpers import TOTP

    staff = make_staff()
    with app.app_context():
        row = db.session.get(User, staff.id)
        assert row is not None
        row.must_change_password = True
        db.session.commit()
    client = app.test_client()
    response = login(client, staff.email)
    assert response.headers["Location"].endswith("/account/password")
    assert client.get("/staff/registrations").headers["Location"].endswith("/account/password")
    post_form(client, "/account/password", {"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert client.get("/staff/registrations").status_code == 200
    assert TOTP  # the staff account logged in with its second factor
