"""Second factors over HTTP: an authenticator app, recovery codes, the log-in's second step,
staff who must have one, and asking again before a sensitive change."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from app.users import User
from tests.helpers import PASSWORD, TOTP, csrf_token, login, post_form


def _code_now(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).generate_otp(int(time.time() // 30) + offset)


def _set_up_totp(client, page: str = "/account/totp") -> tuple[str, list[str]]:
    setup = client.get(page)
    assert setup.status_code == 200, setup.status_code
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', setup.get_data(as_text=True))
    assert secret
    done = post_form(client, page, {"code": _code_now(secret.group(1))})
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret.group(1), codes


def _password_step(client, email: str):
    return post_form(client, "/login", {"email": email, "password": PASSWORD})


def test_attorney_turns_on_an_authenticator_and_logs_in_with_it(app, client, make_attorney):
    make_attorney()
    login(client, "lawyer@firm.example")
    secret, codes = _set_up_totp(client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/")})

    fresh = app.test_client()
    step = _password_step(fresh, "lawyer@firm.example")
    assert step.headers["Location"].endswith("/login/second-factor")
    # Nothing of the account is reachable between the password and the code.
    assert fresh.get("/filings").status_code == 302
    assert fresh.get("/account/").status_code == 302
    wrong = post_form(fresh, "/login/second-factor", {"code": "000000"})
    assert wrong.status_code == 422
    code = _code_now(secret, 1)
    assert post_form(fresh, "/login/second-factor", {"code": code}).status_code == 302
    assert fresh.get("/filings").status_code == 200

    # The same code is refused the second time (replay), even from another browser.
    again = app.test_client()
    _password_step(again, "lawyer@firm.example")
    assert post_form(again, "/login/second-factor", {"code": code}).status_code == 422

    # A recovery code works once.
    recovered = app.test_client()
    _password_step(recovered, "lawyer@firm.example")
    assert post_form(recovered, "/login/second-factor", {"code": codes[0]}).status_code == 302
    reuse = app.test_client()
    _password_step(reuse, "lawyer@firm.example")
    assert post_form(reuse, "/login/second-factor", {"code": codes[0]}).status_code == 422


def test_five_wrong_codes_send_the_browser_back_to_the_password(app, client, make_attorney):
    user = make_attorney()
    with app.app_context():
        from tests.helpers import give_totp

        give_totp(db.session.get(User, user.id))
    _password_step(client, "lawyer@firm.example")
    for _ in range(4):
        assert post_form(client, "/login/second-factor", {"code": "123456"}).status_code == 422
    last = post_form(client, "/login/second-factor", {"code": "123456"})
    assert last.status_code == 302 and last.headers["Location"].endswith("/login")
    right = _code_now(TOTP["lawyer@firm.example"])
    assert client.post("/login/second-factor", data={"code": right}).status_code in (302, 400)
    assert client.get("/filings").status_code == 302
    with app.app_context():
        failures = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "auth.second_factor", AuditEvent.outcome == "failure"
            )
        ).all()
        assert len(failures) == 5


def test_staff_without_a_second_factor_sets_one_up_before_the_session(app):
    from app.cli import create_user
    from app.users import Role

    with app.app_context():
        create_user("new.staff@occ.example", "New Staff", Role.STAFF, PASSWORD, "ATL")
        db.session.commit()
    client = app.test_client()
    step = _password_step(client, "new.staff@occ.example")
    assert step.headers["Location"].endswith("/login/setup")
    assert client.get("/inbox").status_code in (302, 404)
    assert client.get("/staff/registrations").status_code == 302
    secret, _codes = _set_up_totp(client, "/login/setup")
    assert client.get("/staff/registrations").status_code == 200
    # From now on the code is asked for at every log-in.
    other = app.test_client()
    assert (
        _password_step(other, "new.staff@occ.example")
        .headers["Location"]
        .endswith("/login/second-factor")
    )
    assert (
        post_form(other, "/login/second-factor", {"code": _code_now(secret, 1)}).status_code == 302
    )


def test_staff_cannot_remove_their_only_second_factor(app, make_staff):
    staff = make_staff()
    client = app.test_client()
    login(client, staff.email)
    post_form(client, "/account/", {}, action="/account/totp/remove")
    with app.app_context():
        from app import mfa

        assert mfa.has_totp(db.session.get(User, staff.id))


def test_staff_cannot_remove_their_only_passkey(app, make_staff):
    from app.mfa import remove_totp
    from app.passkeys import Passkey

    staff = make_staff()
    client = app.test_client()
    login(client, staff.email)
    with app.app_context():
        key = Passkey(user_id=staff.id, credential_id=b"k" * 16, public_key=b"p" * 77, name="k")
        db.session.add(key)
        db.session.commit()
        key_id = key.id
        user = db.session.get(User, staff.id)
        remove_totp(user, user)  # the passkey is now the only factor
    post_form(client, "/account/passkeys", {}, action=f"/account/passkeys/{key_id}/remove")
    with app.app_context():
        assert db.session.get(Passkey, key_id) is not None


def test_sensitive_changes_ask_for_the_password_again_after_ten_minutes(
    app, client, make_attorney, monkeypatch
):
    make_attorney()
    login(client, "lawyer@firm.example")
    assert client.get("/account/totp").status_code == 200  # just logged in: recent enough
    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)
    gate = client.get("/account/totp")
    assert gate.status_code == 302 and "/account/confirm" in gate.headers["Location"]
    wrong = post_form(client, gate.headers["Location"], {"password": "not my password at all"})
    assert wrong.status_code == 422
    ok = post_form(client, gate.headers["Location"], {"password": PASSWORD})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/account/totp")
    assert client.get("/account/totp").status_code == 200


def test_confirm_page_goes_on_only_to_this_site(app, client, make_attorney):
    make_attorney()
    login(client, "lawyer@firm.example")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        page = f"/account/confirm?next={target}"
        response = post_form(client, page, {"password": PASSWORD})
        assert response.status_code == 302
        assert response.headers["Location"] in ("/account/", "http://localhost/account/")


def test_an_admin_resets_a_lost_second_factor(app, make_staff):
    from app import mfa

    staff = make_staff()
    admin = make_staff("admin@occ.example", admin=True)
    client = app.test_client()
    login(client, staff.email)
    assert client.get("/staff/registrations").status_code == 200
    with app.app_context():
        mfa.reset_mfa(db.session.get(User, admin.id), db.session.get(User, staff.id))
    assert client.get("/staff/registrations").status_code == 302  # the session ended
    again = app.test_client()
    assert _password_step(again, staff.email).headers["Location"].endswith("/login/setup")


def test_a_new_code_must_be_newer_than_the_last_one_used(app, make_staff):
    staff = make_staff()
    client = app.test_client()
    login(client, staff.email)
    from tests.helpers import _TOTP_STEP

    used_step = _TOTP_STEP[staff.email]  # the step of the code that logged in
    totp = pyotp.TOTP(TOTP[staff.email])
    second = app.test_client()
    _password_step(second, staff.email)
    for step in (used_step, used_step - 1):  # that code again, and an older one
        refused = post_form(second, "/login/second-factor", {"code": totp.generate_otp(step)})
        assert refused.status_code == 422, step


def test_admin_changes_ask_again_after_ten_minutes(app, make_staff, monkeypatch):
    admin = make_staff("admin@occ.example", admin=True)
    other = make_staff("clerk@occ.example")
    client = app.test_client()
    login(client, admin.email)
    assert client.get("/admin/staff").status_code == 200
    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)
    token = csrf_token(client, "/admin/")
    stale = client.post(
        f"/admin/staff/{other.id}/deactivate",
        data={"csrf_token": token, "reason": "left OCC"},
        headers={"Referer": "http://localhost/admin/staff"},
    )
    assert stale.status_code == 302 and "/account/confirm" in stale.headers["Location"]
    with app.app_context():
        assert db.session.get(User, other.id).active  # nothing changed
    assert client.get("/admin/audit/export.csv").status_code == 302


def test_a_new_api_token_asks_for_the_password_again_after_ten_minutes(
    app, client, make_attorney, monkeypatch
):
    from app.tokens import ApiToken

    make_attorney()
    login(client, "lawyer@firm.example")
    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)
    page = "/account/tokens"
    stale = post_form(client, page, {"name": "Case manager", "days": "30"})
    assert stale.status_code == 302 and "/account/confirm" in stale.headers["Location"]
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).all() == []
    post_form(client, stale.headers["Location"], {"password": PASSWORD})
    made = post_form(client, page, {"name": "Case manager", "days": "30"})
    assert made.status_code == 200 and "esv_" in made.get_data(as_text=True)
