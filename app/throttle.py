"""Rate limits on the routes anyone can call (Flask-Limiter), and growing delays after failures.

The counters live in Redis when ``ESERVICE_REDIS_URL`` is set, so every process of a deployment
shares them, and in memory in the embedded default: both follow ``RATELIMIT_STORAGE_URI``, the
storage the limiter uses, under its ``RATELIMIT_KEY_PREFIX``. Views take a per-route limit with
``@limiter.limit("5 per hour")``; the key is the client address as the trusted proxies give it.

A :class:`Backoff` throttle counts failures (wrong passwords, wrong API tokens) for a subject (an
e-mail, a client address): the first few are free, then each further attempt must wait twice as
long as the one before since the last failure, up to a cap, and the count is forgotten some time
after the last failure. The cap and the forgetting mean an attacker can slow an account down but
never lock it for good; see app/login.py for how a known browser gets past an attacker's count.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from flask import Flask, current_app, request
from flask_limiter import Limiter
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def client_address() -> str:
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address, strategy="moving-window")


@dataclass(frozen=True)
class Count:
    """Failures of one subject in the current episode (since its counter was last empty)."""

    failures: int = 0
    first: float = 0.0  # epoch seconds of the episode's first failure
    last: float = 0.0  # epoch seconds of the latest failure


class Counters(Protocol):
    def get(self, key: str) -> Count: ...

    def fail(self, key: str, now: float, forget_seconds: int) -> Count: ...

    def clear(self, key: str) -> None: ...

    def lock(self, key: str, seconds: int) -> bool: ...

    def unlock(self, key: str) -> None: ...


class MemoryCounters:
    """Counters of this process (the embedded default runs one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, tuple[Count, float]] = {}  # key -> (count, forget at)
        self._held: dict[str, float] = {}  # key -> lock expires at

    def get(self, key: str) -> Count:
        with self._lock:
            count, forget_at = self._data.get(key, (Count(), 0.0))
            if forget_at <= time.time():
                self._data.pop(key, None)
                return Count()
            return count

    def fail(self, key: str, now: float, forget_seconds: int) -> Count:
        with self._lock:
            count, forget_at = self._data.get(key, (Count(), 0.0))
            if forget_at <= now:
                count = Count()
            count = Count(count.failures + 1, count.first or now, now)
            self._data[key] = (count, now + forget_seconds)
            return count

    def clear(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def lock(self, key: str, seconds: int) -> bool:
        with self._lock:
            now = time.time()
            if self._held.get(key, 0.0) > now:
                return False
            self._held[key] = now + seconds
            return True

    def unlock(self, key: str) -> None:
        with self._lock:
            self._held.pop(key, None)


class RedisCounters:
    """Counters shared by every process: one Redis hash per subject, expiring on its own.

    While Redis cannot answer, each process counts in its own memory instead, so a Redis
    outage neither stops log-ins and API calls nor lifts the delays.
    """

    def __init__(self, url: str) -> None:
        from redis import Redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # One quick try: a request must not wait long on counters it can keep elsewhere.
        self._redis = Redis.from_url(
            url, socket_timeout=1, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
        )
        self._fallback = MemoryCounters()
        self._warned_at = 0.0

    def _unavailable(self, exc: Exception) -> MemoryCounters:
        if time.time() - self._warned_at > 60:
            self._warned_at = time.time()
            logger.warning("failure counters: Redis unavailable (%s); counting in memory", exc)
        return self._fallback

    def get(self, key: str) -> Count:
        try:
            return _count(self._redis.hgetall(key))  # type: ignore[arg-type]
        except RedisError as exc:
            return self._unavailable(exc).get(key)

    def fail(self, key: str, now: float, forget_seconds: int) -> Count:
        pipe = self._redis.pipeline(transaction=True)  # MULTI/EXEC: one episode, no lost count
        pipe.hincrby(key, "failures", 1)
        pipe.hsetnx(key, "first", repr(now))
        pipe.hset(key, "last", repr(now))
        pipe.expire(key, forget_seconds)
        pipe.hgetall(key)
        try:
            return _count(pipe.execute()[-1])
        except RedisError as exc:
            return self._unavailable(exc).fail(key, now, forget_seconds)

    def clear(self, key: str) -> None:
        self._fallback.clear(key)
        try:
            self._redis.delete(key)
        except RedisError as exc:
            self._unavailable(exc)

    def lock(self, key: str, seconds: int) -> bool:
        try:
            return bool(self._redis.set(key, b"1", nx=True, ex=seconds))
        except RedisError as exc:
            return self._unavailable(exc).lock(key, seconds)

    def unlock(self, key: str) -> None:
        self._fallback.unlock(key)
        try:
            self._redis.delete(key)
        except RedisError as exc:
            self._unavailable(exc)


def _count(raw: dict[bytes, bytes]) -> Count:
    if not raw:
        return Count()
    return Count(int(raw[b"failures"]), float(raw[b"first"]), float(raw[b"last"]))


def counters_for(storage_uri: str) -> Counters:
    if storage_uri.startswith("memory://"):
        return MemoryCounters()
    if storage_uri.startswith(("redis://", "rediss://", "unix://")):
        return RedisCounters(storage_uri)
    raise ValueError(f"no failure counters for storage {storage_uri!r}: use memory:// or redis://")


@dataclass(frozen=True)
class Backoff:
    """After ``free`` failures, an attempt waits ``base * 2**(failures - free)`` seconds after
    the last failure, at most ``cap``; the count is forgotten ``forget`` seconds after it."""

    name: str
    free: int
    base: float
    cap: float
    forget: int

    def delay(self, failures: int) -> float:
        """How long after the latest of ``failures`` failures the next attempt must wait."""
        if failures < self.free:
            return 0.0
        return float(min(self.base * 2 ** min(failures - self.free, 40), self.cap))

    def wait_after(self, count: Count, now: float) -> float:
        return max(0.0, count.last + self.delay(count.failures) - now)

    def _key(self, subject: str) -> str:
        # Subjects are e-mails and addresses: Redis holds only a digest of them.
        digest = hashlib.sha256(subject.encode()).hexdigest()[:40]
        return f"{current_app.config.get('RATELIMIT_KEY_PREFIX', 'eservice')}:{self.name}:{digest}"

    def wait(self, subject: str) -> float:
        """Seconds ``subject`` must still wait before its next attempt is looked at (0: none)."""
        return self.wait_after(_counters().get(self._key(subject)), time.time())

    def fail(self, subject: str) -> Count:
        """Count one failure of ``subject``; returns the count with it."""
        return _counters().fail(self._key(subject), time.time(), self.forget)

    def clear(self, subject: str) -> None:
        _counters().clear(self._key(subject))

    @contextmanager
    def one_at_a_time(self, subject: str) -> Iterator[bool]:
        """Hold ``subject`` while one attempt is looked at; yields False when another attempt
        holds it. Without it, a burst of attempts sent at once would all be looked at before
        the first of them was counted."""
        counters, key = _counters(), self._key(subject) + ":busy"
        if not counters.lock(key, LOCK_SECONDS):
            yield False
            return
        try:
            yield True
        finally:
            counters.unlock(key)


# Longer than any password check takes; a lock left by a crashed process goes away after it.
LOCK_SECONDS = 10


def _counters() -> Counters:
    counters: Counters = current_app.extensions["eservice.counters"]
    return counters


def first_use(name: str, seconds: int) -> bool:
    """True the first time ``name`` is seen within ``seconds`` (shared like the counters): a
    one-time value, such as a passkey challenge, is refused the second time."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    return _counters().lock(f"{current_app.config['RATELIMIT_KEY_PREFIX']}:once:{digest}", seconds)


def seconds(wait: float) -> int:
    """A wait as whole seconds for a message or a Retry-After header (never 0 when waiting)."""
    return max(1, math.ceil(wait))


DAY = 24 * 3600

# Log-ins: an account (whatever client tries it) and a client address (whatever account it
# tries). An office behind one address may mistype a few passwords between them, so the
# address allows more before it slows down. Five free failures, then 2 s, 4 s, ... 15 min.
LOGIN_ACCOUNT = Backoff("login-account", free=5, base=2, cap=15 * 60, forget=DAY)
LOGIN_ADDRESS = Backoff("login-address", free=20, base=2, cap=30 * 60, forget=DAY)
# A browser where the account logged in before counts on its own (app/login.py).
LOGIN_KNOWN_BROWSER = Backoff("login-browser", free=5, base=2, cap=15 * 60, forget=DAY)
# Wrong API tokens from one address. A token has 256 random bits, so this keeps noise and
# database load down rather than guessing out; a broken client is slowed to one try in 5 min.
API_TOKEN_ADDRESS = Backoff("api-token-address", free=20, base=1, cap=5 * 60, forget=3600)
# Password-reset requests: every request counts, not only failures.
PASSWORD_RESET_ACCOUNT = Backoff("reset-account", free=3, base=60, cap=3600, forget=DAY)
PASSWORD_RESET_ADDRESS = Backoff("reset-address", free=10, base=60, cap=3600, forget=DAY)


def password_reset_wait(email: str) -> int:
    """Count one password-reset request for ``email`` from this client.

    Returns 0 when the request may go ahead (it is counted), else the whole seconds to wait (it
    is not counted). Call it whether or not the e-mail has an account and answer both the same
    way, so the answer says nothing about who is registered; the caller audits and commits.
    """
    from app.users import normalise_email

    email, address = normalise_email(email), client_address()
    wait = max(PASSWORD_RESET_ACCOUNT.wait(email), PASSWORD_RESET_ADDRESS.wait(address))
    if wait > 0:
        return seconds(wait)
    PASSWORD_RESET_ACCOUNT.fail(email)
    PASSWORD_RESET_ADDRESS.fail(address)
    return 0


def init_app(app: Flask) -> None:
    limiter.init_app(app)
    app.extensions["eservice.counters"] = counters_for(
        str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    )
