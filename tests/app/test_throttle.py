"""Growing delays after failed log-ins, per account and per client address, with the counters
in memory (the embedded default) and in Redis (a deployment of many processes)."""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app, db
from app.audit import AuditEvent
from app.throttle import LOGIN_ACCOUNT, Backoff, Count
from tests.conftest import IN_CI, make_env
from tests.helpers import PASSWORD, create_staff, login

REDIS_URL = os.environ.get("ESERVICE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
STAFF = "staff.atl@occ.example"
PAUSED = "Log-in is paused"


def _redis_or_skip() -> None:
    from redis import Redis

    conn = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        conn.ping()
    except Exception as exc:
        message = f"Redis not reachable at {REDIS_URL} ({exc}); start redis-server"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    finally:
        conn.close()


def _drop_keys(prefix: str) -> None:
    from redis import Redis

    conn = Redis.from_url(REDIS_URL)
    keys = list(conn.scan_iter(f"{prefix}:*"))
    if keys:
        conn.delete(*keys)
    conn.close()


def _make_app(tmp_path, database_url, overrides) -> Flask:
    application = create_app(test_config=overrides, env=make_env(tmp_path, database_url))
    with application.app_context():
        from app.offices import seed_offices

        seed_offices()
        db.session.commit()
    return application


@pytest.fixture
def redis_counters() -> Iterator[dict[str, str]]:
    """Flask settings for counters in Redis, under a key prefix of this test's own."""
    _redis_or_skip()
    prefix = f"eservice-test-{uuid.uuid4().hex[:12]}"
    yield {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    _drop_keys(prefix)


@pytest.fixture(params=["memory", "redis"])
def counters(request: pytest.FixtureRequest) -> dict[str, str]:
    """The counters' storage: in memory (the embedded default) or in Redis."""
    if request.param == "memory":
        return {}
    settings: dict[str, str] = request.getfixturevalue("redis_counters")
    return settings


@pytest.fixture
def app(tmp_path, database_url, counters) -> Iterator[Flask]:  # type: ignore[override]
    application = _make_app(tmp_path, database_url, counters)
    with application.app_context():
        create_staff(STAFF)
    yield application
    db.session.remove()
    application.extensions["eservice.engine"].dispose()


def _events(app, action, outcome=None):
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.action == action)
        if outcome:
            query = query.where(AuditEvent.outcome == outcome)
        return list(db.session.scalars(query.order_by(AuditEvent.id)))


def _browser(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _logged_in(client) -> bool:
    return client.get("/staff/inbox").status_code == 200


def test_thirty_wrong_passwords_then_the_right_one_is_refused(app, outbox):
    attacker = _browser(app, "203.0.113.7")
    for n in range(30):
        login(attacker, STAFF, f"guess number {n}")
    refused = login(attacker, STAFF, PASSWORD)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 429 and PAUSED in text
    assert re.search(r"try again in [12] seconds? \(after \d\d:\d\d:\d\d UTC\)", text)
    assert 1 <= int(refused.headers["Retry-After"]) <= 2
    assert not _logged_in(attacker)

    # five failures were checked; every later attempt was refused unlooked-at
    assert len(_events(app, "auth.login", "failure")) == 5
    assert len(_events(app, "auth.throttled")) == 26
    [lockout] = _events(app, "auth.lockout")
    assert lockout.detail["scope"] == "login-account" and lockout.actor == STAFF
    assert all(e.ip == "203.0.113.7" for e in _events(app, "auth.throttled"))
    # the owner is told once, not once per attempt
    [notice] = [m for m in outbox() if m["To"] == STAFF]
    assert "Repeated failed log-ins" in notice["Subject"]
    assert "203.0.113.7" in notice.get_content()

    time.sleep(int(refused.headers["Retry-After"]) + 0.1)
    assert login(attacker, STAFF, PASSWORD).status_code == 302
    assert _logged_in(attacker)


def test_each_further_failure_doubles_the_wait(app):
    browser = _browser(app, "203.0.113.8")
    for n in range(5):
        assert login(browser, STAFF, f"wrong {n}").status_code == 200
    first = login(browser, STAFF, "wrong again")
    assert first.status_code == 429 and int(first.headers["Retry-After"]) == 2
    time.sleep(2.05)
    assert login(browser, STAFF, "still wrong").status_code == 200  # looked at, and wrong
    second = login(browser, STAFF, PASSWORD)
    assert second.status_code == 429 and int(second.headers["Retry-After"]) in (3, 4)
    assert "try again in 4 seconds" in second.get_data(as_text=True)


def test_unknown_e_mails_are_slowed_down_like_real_ones(app, outbox):
    browser = _browser(app, "203.0.113.10")
    for n in range(5):
        login(browser, "nobody@occ.example", f"guess {n}")
    refused = login(browser, "Nobody@OCC.example", "guess 6")
    assert refused.status_code == 429 and PAUSED in refused.get_data(as_text=True)
    assert outbox() == []  # nobody to tell
    assert login(browser, STAFF, PASSWORD).status_code == 302  # another account is not slowed


def test_one_address_guessing_many_accounts_is_slowed_down(app):
    guesser = _browser(app, "203.0.113.11")
    for n in range(20):  # four tries at each of five accounts: none reaches its own limit
        login(guesser, f"user{n % 5}@occ.example", f"guess {n}")
    refused = login(guesser, STAFF, PASSWORD)
    assert refused.status_code == 429
    [lockout] = _events(app, "auth.lockout")
    assert lockout.detail["scope"] == "login-address"
    assert login(_browser(app, "198.51.100.20"), STAFF, PASSWORD).status_code == 302


def test_the_owner_logs_in_from_a_known_browser_while_an_attacker_guesses(app):
    owner = _browser(app, "198.51.100.30")
    login(owner, STAFF, PASSWORD)
    assert owner.get_cookie("eservice_known_browser", path="/login") is not None
    owner.post("/logout", data={"csrf_token": _csrf(owner)})
    owner.get_cookie("session")  # logged out, the known-browser cookie stays

    attacker = _browser(app, "203.0.113.12")
    for n in range(30):
        login(attacker, STAFF, f"guess {n}")
    assert login(attacker, STAFF, PASSWORD).status_code == 429
    # a new browser of the owner's is slowed down too, but the known one is not
    assert login(_browser(app, "198.51.100.31"), STAFF, PASSWORD).status_code == 429
    assert login(owner, STAFF, PASSWORD).status_code == 302
    assert _logged_in(owner)


def test_a_known_browser_is_slowed_down_on_its_own_count(app):
    owner = _browser(app, "198.51.100.32")
    login(owner, STAFF, PASSWORD)
    owner.post("/logout", data={"csrf_token": _csrf(owner)})
    for n in range(5):
        login(owner, STAFF, f"typo {n}")
    assert login(owner, STAFF, PASSWORD).status_code == 429
    # the account's own count was not touched by the known browser's failures
    assert login(_browser(app, "198.51.100.33"), STAFF, PASSWORD).status_code == 302


def test_a_known_browser_cookie_dies_with_the_accounts_access(app):
    from app.accounts import end_access
    from app.users import User

    owner = _browser(app, "198.51.100.34")
    login(owner, STAFF, PASSWORD)
    with app.app_context():
        end_access(db.session.scalar(select(User)))
        db.session.commit()
    attacker = _browser(app, "203.0.113.13")
    for n in range(5):
        login(attacker, STAFF, f"guess {n}")
    assert login(owner, STAFF, PASSWORD).status_code == 429


def test_a_right_password_clears_the_accounts_count(app, outbox):
    browser = _browser(app, "198.51.100.35")
    for n in range(4):
        login(browser, STAFF, f"typo {n}")
    assert login(browser, STAFF, PASSWORD).status_code == 302
    other = _browser(app, "198.51.100.36")
    for n in range(4):
        login(other, STAFF, f"typo {n}")
    assert login(other, STAFF, PASSWORD).status_code == 302
    assert _events(app, "auth.lockout") == [] and outbox() == []


def test_a_right_password_alone_does_not_clear_the_count_before_the_second_factor(app):
    from tests.helpers import post_form

    browser = _browser(app, "198.51.100.37")
    for n in range(4):
        login(browser, STAFF, f"typo {n}")
    step = post_form(browser, "/login", {"email": STAFF, "password": PASSWORD})
    assert step.headers["Location"].endswith("/login/second-factor")  # the code not given
    login(_browser(app, "203.0.113.16"), STAFF, "a guess")  # the fifth failure
    assert login(_browser(app, "203.0.113.17"), STAFF, PASSWORD).status_code == 429


def test_wrong_second_factor_codes_count_like_wrong_passwords(app):
    from app.login import count_second_factor_failure
    from app.users import User

    for _ in range(5):
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": "203.0.113.18"}):
            count_second_factor_failure(db.session.scalar(select(User)))
            db.session.commit()
    assert login(_browser(app, "198.51.100.38"), STAFF, PASSWORD).status_code == 429
    [lockout] = _events(app, "auth.lockout")
    assert lockout.detail["scope"] == "login-account"


def test_a_second_factor_step_is_slowed_down_with_the_account(app):
    from app.login import count_second_factor_failure, second_factor_wait
    from app.users import User

    def in_request(action, address="203.0.113.19"):
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": address}):
            result = action(db.session.scalar(select(User)))
            db.session.commit()
            return result

    assert in_request(second_factor_wait) == 0
    for _ in range(5):
        in_request(count_second_factor_failure)
    assert 1 <= in_request(second_factor_wait) <= 2
    assert 1 <= in_request(second_factor_wait, "198.51.100.39") <= 2  # the account, anywhere


def test_a_burst_of_attempts_sent_at_once_gets_no_more_guesses(app):
    import threading

    from tests.helpers import csrf_token

    browsers = [_browser(app, "203.0.113.20") for _ in range(24)]
    tokens = [csrf_token(b, "/login") for b in browsers]
    start = threading.Barrier(len(browsers))
    codes: list[int] = []

    def attempt(browser, token, n):
        start.wait()
        data = {"csrf_token": token, "email": STAFF, "password": f"guess {n}"}
        codes.append(browser.post("/login", data=data).status_code)

    threads = [
        threading.Thread(target=attempt, args=(b, t, n))
        for n, (b, t) in enumerate(zip(browsers, tokens, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(codes) == 24
    # however the attempts interleave, no more than the free five were looked at
    assert len(_events(app, "auth.login", "failure")) <= 5
    assert codes.count(429) >= 19


def test_two_processes_share_the_counters_in_redis(tmp_path, database_url, redis_counters):
    counters = redis_counters
    first = _make_app(tmp_path, database_url, counters)
    with first.app_context():
        create_staff(STAFF)
    second = create_app(test_config=counters, env=make_env(tmp_path, database_url))
    try:
        for n in range(5):
            login(_browser(first, "203.0.113.14"), STAFF, f"guess {n}")
        assert login(_browser(second, "203.0.113.15"), STAFF, PASSWORD).status_code == 429
    finally:
        for application in (first, second):
            with application.app_context():
                db.session.remove()
            application.extensions["eservice.engine"].dispose()


def test_a_redis_outage_stops_neither_log_ins_nor_the_delays(tmp_path, database_url, redis_server):
    settings = {"RATELIMIT_STORAGE_URI": redis_server.url, "RATELIMIT_KEY_PREFIX": "outage"}
    application = _make_app(tmp_path, database_url, settings)
    with application.app_context():
        create_staff(STAFF)
    try:
        for n in range(3):  # counted in Redis
            login(_browser(application, "203.0.113.21"), STAFF, f"guess {n}")
        redis_server.stop()
        owner = _browser(application, "198.51.100.42")
        assert login(owner, STAFF, PASSWORD).status_code == 302  # log-in goes on
        assert owner.get("/staff/inbox").status_code == 200
        attacker = _browser(application, "203.0.113.22")
        for n in range(5):  # counted in this process's memory meanwhile
            assert login(attacker, STAFF, f"guess {n}").status_code == 200
        assert login(attacker, STAFF, PASSWORD).status_code == 429
    finally:
        with application.app_context():
            db.session.remove()
        application.extensions["eservice.engine"].dispose()


def test_password_reset_helper_counts_requests_per_account_and_address(app):
    from app.throttle import password_reset_wait

    def ask(email, address="198.51.100.40"):
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": address}):
            return password_reset_wait(email)

    assert [ask("Someone@occ.example") for _ in range(3)] == [0, 0, 0]
    assert 55 <= ask("someone@occ.example") <= 60  # the fourth waits a minute
    assert ask("someone@occ.example", "203.0.113.50") > 0  # the account, from anywhere
    assert ask("another@occ.example") == 0  # the address may still ask for others
    for n in range(6):
        ask(f"other{n}@occ.example")
    assert ask("last@occ.example") > 0  # ten requests from one address


def _csrf(client) -> str:
    from tests.helpers import csrf_token

    return csrf_token(client, "/account/sessions")


def test_backoff_delays_double_up_to_the_cap():
    backoff = Backoff("example", free=3, base=2, cap=60, forget=3600)
    assert [backoff.delay(n) for n in range(9)] == [0, 0, 0, 2, 4, 8, 16, 32, 60]
    assert backoff.delay(10_000) == 60
    count = Count(failures=4, first=100.0, last=110.0)
    assert backoff.wait_after(count, now=111.0) == 3.0
    assert backoff.wait_after(count, now=200.0) == 0.0
    assert LOGIN_ACCOUNT.delay(10_000) == 15 * 60  # never a permanent lockout
