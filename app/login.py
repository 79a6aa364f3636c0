"""Checking an e-mail and password at log-in, with growing delays after failures.

Failures are counted per account and per client address (app/throttle.py). While either must
wait, an attempt is refused before its password is looked at, even a right one, so guessing
gains nothing by going fast. Unknown e-mails are counted the same way as real ones, so the
delays say nothing about who has an account.

No lockout is permanent: the delay stops growing at 15 minutes and the count is forgotten a day
after the last failure. And an attacker who keeps an account's count high does not lock out its
owner: a browser where the account logged in before carries a signed "known browser" cookie and
is counted on its own, so the owner logs in from it as usual. When an account starts being
slowed down, its owner is told by e-mail, once for each run of failures.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response as ResponseBase

import workers
from app import audit, db
from app.notifications import notify
from app.throttle import (
    LOGIN_ACCOUNT,
    LOGIN_ADDRESS,
    LOGIN_KNOWN_BROWSER,
    Backoff,
    Count,
    client_address,
    seconds,
)
from app.users import User, check_unknown_user_password, normalise_email, user_by_email

KNOWN_BROWSER_COOKIE = "eservice_known_browser"
KNOWN_BROWSER_DAYS = 180


@dataclass(frozen=True)
class PasswordCheck:
    """The outcome of one attempt: the user when the password was right, else how long to wait
    before the next attempt is looked at (0 when the password was simply wrong)."""

    user: User | None = None
    retry_after: int = 0


def check_password_login(email: str, password: str) -> PasswordCheck:
    """Check one log-in attempt against the throttle and the password; audit it and commit.

    Starting the session is the caller's next step (after any second factor), with
    app.sessions.start_session, which clears the account's count.
    """
    email = normalise_email(email)[:254]
    address = client_address()
    user = user_by_email(email)
    browser = _known_browser_id(user)
    # A known browser of this account is counted on its own, so an attacker's count on the
    # account does not keep its owner out.
    account, subject = _bucket(user) if user else (LOGIN_ACCOUNT, email)
    with account.one_at_a_time(subject) as alone:
        wait = max(account.wait(subject), LOGIN_ADDRESS.wait(address)) if alone else 1.0
        if wait > 0:
            _throttled(email, user, seconds(wait), bool(browser), alone)
            return PasswordCheck(retry_after=seconds(wait))
        return _check(email, password, user, address, account, subject, bool(browser))


def _throttled(email: str, user: User | None, wait: int, browser: bool, alone: bool) -> None:
    audit.record(
        "auth.throttled",
        obj_type="user",
        obj_id=user.id if user else None,
        outcome="refused",
        actor_label=email,
        retry_after=wait,
        known_browser=browser,
        **({} if alone else {"reason": "another attempt at this account is under way"}),
    )
    workers.commit()


def _check(
    email: str,
    password: str,
    user: User | None,
    address: str,
    account: Backoff,
    subject: str,
    browser: bool,
) -> PasswordCheck:
    if user is None:
        check_unknown_user_password(password)
    if user is not None and user.check_password(password) and user.active:
        # The count is cleared when the session starts (clear_failures), not here: wrong
        # second-factor codes after a right password count against the account too.
        db.session.commit()  # a password hash made again on new parameters
        return PasswordCheck(user=user)

    count = account.fail(subject)
    by_address = LOGIN_ADDRESS.fail(address)
    audit.record(
        "auth.login",
        obj_type="user",
        obj_id=user.id if user else None,
        outcome="failure",
        actor_label=email,
        failures=count.failures,
        known_browser=browser,
    )
    if count.failures == account.free:  # this failure starts the delays: once per run
        _locked(account, count, email, user)
    if by_address.failures == LOGIN_ADDRESS.free:
        _locked(LOGIN_ADDRESS, by_address, email, None)
    workers.commit()
    return PasswordCheck()


def second_factor_wait(user: User) -> int:
    """Whole seconds before a second-factor code of ``user`` may be looked at from this client
    (0: now). Ask before checking a code: a code step reached once must not allow guessing
    at full speed, whatever state the browser sends back."""
    account, subject = _bucket(user)
    return seconds(wait) if (wait := max(account.wait(subject), _address_wait())) > 0 else 0


def count_second_factor_failure(user: User) -> None:
    """Count a wrong second-factor code like a wrong password (on the account, or this known
    browser, and the address), so that knowing the password does not buy unlimited guesses at
    the code. The caller audits the attempt and commits."""
    account, subject = _bucket(user)
    count = account.fail(subject)
    LOGIN_ADDRESS.fail(client_address())
    if count.failures == account.free:
        _locked(account, count, normalise_email(user.email), user)


def _bucket(user: User) -> tuple[Backoff, str]:
    browser = _known_browser_id(user)
    return (LOGIN_KNOWN_BROWSER, browser) if browser else (LOGIN_ACCOUNT, user.email)


def _address_wait() -> float:
    return LOGIN_ADDRESS.wait(client_address())


def clear_failures(user: User) -> None:
    """Forget the failures of ``user``'s account (and of this browser, when known): the log-in
    succeeded. The address's count stays, or one's own account would reset a guesser's."""
    LOGIN_ACCOUNT.clear(normalise_email(user.email))
    browser = _known_browser_id(user)
    if browser:
        LOGIN_KNOWN_BROWSER.clear(browser)


def _locked(backoff: Backoff, count: Count, email: str, user: User | None) -> None:
    audit.record(
        "auth.lockout",
        obj_type="user",
        obj_id=user.id if user else None,
        outcome="refused",
        actor_label=email,
        scope=backoff.name,
        failures=count.failures,
        first_delay=seconds(backoff.delay(count.failures)),
    )
    if user is None:
        return
    started = datetime.fromtimestamp(count.first, UTC)
    notify(
        f"user:{user.id}:login-guessing:{backoff.name}:{int(count.first)}",
        "login_guessing",
        user.email,
        "Repeated failed log-ins to your OCC eService account",
        f"Dear {user.full_name},\n\n{count.failures} log-ins to your OCC eService account with "
        f"a wrong password have failed since {started:%Y-%m-%d %H:%M} UTC (the latest from "
        f"address {client_address()}). Further attempts are now slowed down: each must wait "
        "longer than the one before, up to 15 minutes.\n\n"
        "If these were your attempts, wait a moment and log in again; a browser where you have "
        "logged in before is not slowed down by someone else's attempts. If they were not yours, "
        "someone may be guessing your password: make sure it is long and used nowhere else. "
        "You will not be e-mailed again about these attempts.\n",
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-browser")


def _known_browser_id(user: User | None) -> str | None:
    """The id of this browser's known-browser cookie when it was issued to ``user`` (for the
    account's current session version), else None."""
    raw = request.cookies.get(KNOWN_BROWSER_COOKIE)
    if user is None or not raw:
        return None
    try:
        data = _serializer().loads(raw, max_age=KNOWN_BROWSER_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.id:
        return None
    if data.get("v") != user.session_version:
        return None  # the account's access was ended since: the browser is known no more
    browser = data.get("b")
    return browser if isinstance(browser, str) else None


def remember_browser(user: User) -> None:
    """Mark this browser as one where ``user`` logged in; the cookie goes out with the response
    (set_known_browser_cookie). app.sessions.start_session calls it."""
    g.known_browser_for = user


def set_known_browser_cookie(response: ResponseBase) -> ResponseBase:
    user = g.pop("known_browser_for", None)
    if user is None:
        return response
    value = _serializer().dumps(
        {"u": user.id, "v": user.session_version, "b": secrets.token_urlsafe(16)}
    )
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        value,
        max_age=KNOWN_BROWSER_DAYS * 86400,
        path="/login",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response
