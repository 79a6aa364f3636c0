"""Sessions live on the server: logout, the idle and absolute limits, the sessions page and the
end of an account's access each end them, whatever cookie a browser still holds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from app.sessions import UserSession
from app.users import User
from tests.helpers import PASSWORD, csrf_token, login

STAFF = "staff.atl@occ.example"


def _rows(app):
    with app.app_context():
        return list(db.session.scalars(select(UserSession).order_by(UserSession.created_at)))


def _events(app, action):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _shift(app, **moves):
    """Move every live session's times into the past, as if that much time had gone by."""
    with app.app_context():
        for row in db.session.scalars(select(UserSession)):
            for column, delta in moves.items():
                setattr(row, column, getattr(row, column) - delta)
        db.session.commit()


def _browser(app, agent="Firefox/128.0", address="127.0.0.1"):
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    return client


def test_a_cookie_captured_before_logout_gets_the_login_page_after_it(app, staff_client):
    assert staff_client.get("/staff/inbox").status_code == 200
    captured = staff_client.get_cookie("session").value
    staff_client.post("/logout", data={"csrf_token": csrf_token(staff_client, "/staff/inbox")})

    thief = app.test_client()
    thief.set_cookie("session", captured)
    replay = thief.get("/staff/inbox")
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/login")
    assert "Log in" in thief.get(replay.headers["Location"]).get_data(as_text=True)
    # and the cookie is not refreshed into a working one
    assert thief.get("/staff/inbox").status_code == 302
    [row] = _rows(app)
    assert row.ended_at is not None and row.end_reason == "logout"


def test_login_stores_a_row_with_address_and_browser_but_not_the_cookie_secret(
    app, client, make_staff
):
    make_staff()
    client.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 Firefox/128.0"
    login(client, STAFF)
    with client.session_transaction() as cookie:
        session_id, _, secret = cookie["sid"].partition(".")
    [row] = _rows(app)
    assert row.id == session_id and len(session_id) == 32
    assert secret and secret not in row.secret_hash and len(row.secret_hash) == 64
    assert row.ip == "127.0.0.1" and row.user_agent == "Mozilla/5.0 Firefox/128.0"
    assert row.ended_at is None
    [event] = _events(app, "auth.login")
    assert event.detail["session"] == session_id


def test_a_forged_secret_for_a_live_session_id_loads_nobody(app, staff_client):
    with staff_client.session_transaction() as cookie:
        session_id = cookie["sid"].partition(".")[0]
        cookie["sid"] = f"{session_id}.guessed-secret"
    assert staff_client.get("/staff/inbox").status_code == 302


def test_login_replaces_a_session_planted_before_it(app, client, make_staff):
    make_staff()
    with client.session_transaction() as cookie:
        cookie["sid"] = "planted.value"
        cookie["planted"] = True
    login(client, STAFF)
    with client.session_transaction() as cookie:
        assert "planted" not in cookie and not cookie["sid"].startswith("planted")
    assert client.get("/staff/inbox").status_code == 200


def test_a_session_idle_longer_than_the_limit_ends(app, staff_client):
    _shift(app, last_seen_at=timedelta(minutes=31))  # ESERVICE_SESSION_IDLE_MINUTES: 30
    response = staff_client.get("/staff/inbox")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your session ended; log in again." in page
    [row] = _rows(app)
    assert row.end_reason == "idle"
    [event] = _events(app, "auth.session_expired")
    assert event.detail["why"] == "idle"
    assert staff_client.get("/staff/inbox").status_code == 302


def test_a_session_ends_after_the_absolute_lifetime_however_active(app, staff_client):
    assert staff_client.get("/staff/inbox").status_code == 200
    _shift(app, created_at=timedelta(hours=12, seconds=5))  # still seen a moment ago
    response = staff_client.get("/staff/inbox")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    [event] = _events(app, "auth.session_expired")
    assert event.detail["why"] == "expired"
    assert staff_client.get("/staff/inbox").status_code == 302


def test_the_limits_follow_the_settings(tmp_path, database_url, make_staff):
    from app import create_app
    from tests.conftest import make_env

    env = make_env(
        tmp_path,
        database_url,
        ESERVICE_SESSION_IDLE_MINUTES="5",
        ESERVICE_SESSION_ABSOLUTE_HOURS="1",
    )
    app = create_app(env=env)
    with app.app_context():
        from app.offices import seed_offices
        from tests.helpers import create_staff

        seed_offices()
        create_staff(STAFF)
    try:
        browser = app.test_client()
        login(browser, STAFF)
        _shift(app, last_seen_at=timedelta(minutes=4))
        assert browser.get("/staff/inbox").status_code == 200
        _shift(app, last_seen_at=timedelta(minutes=6))
        assert browser.get("/staff/inbox").status_code == 302
        login(browser, STAFF)
        _shift(app, created_at=timedelta(minutes=61))
        assert browser.get("/staff/inbox").status_code == 302
    finally:
        with app.app_context():
            db.session.remove()
        app.extensions["eservice.engine"].dispose()


def test_last_seen_is_written_at_most_once_a_minute(app, staff_client):
    [before] = _rows(app)
    staff_client.get("/staff/inbox")
    staff_client.get("/staff/inbox")
    [after] = _rows(app)
    assert after.last_seen_at == before.last_seen_at
    _shift(app, last_seen_at=timedelta(seconds=61))
    staff_client.get("/staff/inbox")
    [moved] = _rows(app)
    assert moved.last_seen_at > after.last_seen_at


def test_the_sessions_page_lists_live_sessions_and_marks_this_one(app, make_staff):
    make_staff()
    laptop, phone = _browser(app, "Firefox/128.0"), _browser(app, "Mobile Safari/17", "10.0.0.7")
    login(laptop, STAFF)
    login(phone, STAFF)
    other = _browser(app, "Edge/120")
    login(other, STAFF)
    other.post("/logout", data={"csrf_token": csrf_token(other, "/account/sessions")})
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert page.count("<tr data-session=") == 2  # the logged-out one is gone
    assert "Firefox/128.0" in page and "Mobile Safari/17" in page and "Edge/120" not in page
    assert "10.0.0.7" in page
    assert page.count("this session") == 1
    laptop_row = next(r for r in _rows(app) if r.user_agent == "Firefox/128.0")
    this_row = page.split(f'data-session="{laptop_row.id}"')[1].split("</tr>")[0]
    assert "this session" in this_row


def test_ending_another_session_logs_that_browser_out(app, make_staff):
    make_staff()
    laptop, phone = _browser(app, "Firefox/128.0"), _browser(app, "Mobile Safari/17")
    login(laptop, STAFF)
    login(phone, STAFF)
    phone_row = next(r for r in _rows(app) if r.user_agent == "Mobile Safari/17")
    response = laptop.post(
        f"/account/sessions/{phone_row.id}/end",
        data={"csrf_token": csrf_token(laptop, "/account/sessions")},
    )
    assert response.status_code == 302
    assert phone.get("/staff/inbox").status_code == 302
    assert laptop.get("/staff/inbox").status_code == 200
    [event] = _events(app, "auth.session_end")
    assert event.detail["session"] == phone_row.id


def test_ending_this_session_from_the_page_logs_out(app, staff_client):
    [row] = _rows(app)
    response = staff_client.post(
        f"/account/sessions/{row.id}/end",
        data={"csrf_token": csrf_token(staff_client, "/account/sessions")},
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert staff_client.get("/staff/inbox").status_code == 302


def test_ending_someone_elses_session_is_404_and_it_lives_on(app, make_staff):
    make_staff()
    make_staff("staff.nyc@occ.example", "NYC")
    victim, intruder = _browser(app), _browser(app)
    login(victim, STAFF)
    login(intruder, "staff.nyc@occ.example")
    victim_row = _rows(app)[0]
    token = csrf_token(intruder, "/account/sessions")
    for target in (victim_row.id, "no-such-session"):
        response = intruder.post(f"/account/sessions/{target}/end", data={"csrf_token": token})
        assert response.status_code == 404
    assert victim.get("/staff/inbox").status_code == 200
    assert victim_row.id not in intruder.get("/account/sessions").get_data(as_text=True)


def test_ending_a_session_needs_a_csrf_token(app, make_staff):
    make_staff()
    laptop, phone = _browser(app), _browser(app)
    login(laptop, STAFF)
    login(phone, STAFF)
    phone_row = _rows(app)[1]
    response = laptop.post(f"/account/sessions/{phone_row.id}/end")
    assert response.status_code == 400
    assert phone.get("/staff/inbox").status_code == 200


def test_end_all_other_sessions(app, make_staff):
    make_staff()
    browsers = [_browser(app, f"Agent/{n}") for n in range(3)]
    for browser in browsers:
        login(browser, STAFF)
    keep = browsers[0]
    keep.post(
        "/account/sessions/end-others",
        data={"csrf_token": csrf_token(keep, "/account/sessions")},
    )
    assert keep.get("/staff/inbox").status_code == 200
    assert [b.get("/staff/inbox").status_code for b in browsers[1:]] == [302, 302]


def test_end_access_ends_every_session_and_revokes_every_token(app, make_attorney, client):
    from app.accounts import end_access
    from app.tokens import create_token

    make_attorney()
    browsers = [_browser(app, f"Agent/{n}") for n in range(2)]
    for browser in browsers:
        login(browser, "lawyer@firm.example")
    with app.app_context():
        user = db.session.scalar(select(User))
        token = create_token(user, "CaseTracker")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User))
        end_access(user)
        db.session.commit()
    assert [b.get("/filings").status_code for b in browsers] == [302, 302]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert {r.end_reason for r in _rows(app)} == {"access ended"}
    login(browsers[0], "lawyer@firm.example", PASSWORD)  # the owner may log in again
    assert browsers[0].get("/filings").status_code == 200


def test_bumping_session_version_still_ends_existing_sessions(app, staff_client):
    with app.app_context():
        user = db.session.scalar(select(User))
        user.session_version += 1
        db.session.commit()
    assert staff_client.get("/staff/inbox").status_code == 302
