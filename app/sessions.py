"""Sessions kept on the server: one row per log-in, ended by logout, by the user, by an
administrator, or by the idle and absolute limits.

The signed session cookie carries ``<id>.<secret>``; the row keeps only a SHA-256 of the secret,
so neither a copy of the database nor the ids shown on the sessions page make a usable cookie.
A cookie whose row has ended loads no user, so a cookie captured before logout is worthless
after it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app, flash, g, request, session
from flask_login import login_user
from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import audit, db
from app.login import clear_failures, remember_browser
from app.throttle import client_address
from app.users import User

# The key of the session cookie that names the server-side session.
COOKIE_KEY = "sid"
# A same-site path to open once the log-in (second factor included) is done.
NEXT_KEY = "login_next"
# The sessions page shows the last request to the minute, so it is written at most once a
# minute: a busy user costs no write on each request.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


class EndReason:
    LOGOUT = "logout"
    ENDED_BY_USER = "ended by user"
    IDLE = "idle"
    EXPIRED = "expired"  # the absolute limit
    ACCESS_ENDED = "access ended"  # suspension, deactivation, password change


class UserSession(db.Base):
    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random; shown in URLs
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    ended_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _limits() -> tuple[timedelta, timedelta]:
    settings = current_app.config["ESERVICE"]
    return (
        timedelta(minutes=settings.session_idle_minutes),
        timedelta(hours=settings.session_absolute_hours),
    )


def expiry_reason(row: UserSession, now: datetime) -> str | None:
    """Why ``row`` is over at ``now`` (idle or absolute limit), or None while it lasts."""
    idle, absolute = _limits()
    if now - row.created_at > absolute:
        return EndReason.EXPIRED
    if now - row.last_seen_at > idle:
        return EndReason.IDLE
    return None


def expires_at(row: UserSession) -> datetime:
    """When ``row`` ends unless used again: the idle limit from its last request, never later
    than the absolute limit from the log-in."""
    idle, absolute = _limits()
    return min(row.last_seen_at + idle, row.created_at + absolute)


def _seen_resolution() -> timedelta:
    # With a short idle limit (tests, strict deployments) last seen must be written more often
    # than once a minute, or a busy session would end as if idle.
    idle, _ = _limits()
    return min(LAST_SEEN_RESOLUTION, idle / 4)


def extend(row: UserSession) -> datetime:
    """Count now as activity on ``row`` (the user asked to stay signed in); commits. Returns
    the new end, which the absolute limit caps."""
    row.last_seen_at = db.utcnow()
    audit.record("auth.session_extend", obj_type="user", obj_id=row.user_id, session=row.id)
    db.session.commit()
    return expires_at(row)


def start_session(user: User) -> UserSession:
    """Log ``user`` in on this browser: a fresh cookie (no fixation), a new row, the audit event.

    Call it only after every check of the log-in has passed; it commits.
    """
    carried = session.get(NEXT_KEY)  # where the user was going, kept across the log-in
    session.clear()
    if carried:
        session[NEXT_KEY] = carried
    secret = secrets.token_urlsafe(32)
    row = UserSession(
        id=secrets.token_hex(16),
        user_id=user.id,
        secret_hash=_digest(secret),
        ip=client_address(),
        user_agent=(request.user_agent.string or "")[:255] or None,
    )
    db.session.add(row)
    login_user(user)
    session.permanent = True
    session[COOKIE_KEY] = f"{row.id}.{secret}"
    audit.record("auth.login", obj_type="user", obj_id=user.id, actor=user, session=row.id)
    db.session.commit()
    clear_failures(user)
    remember_browser(user)
    return row


def current_session_id() -> str | None:
    value = session.get(COOKIE_KEY)
    return value.partition(".")[0] if isinstance(value, str) else None


def session_of_request(user_id: int) -> UserSession | None:
    """The live session row this request's cookie names for ``user_id``, or None.

    A session found past a limit is ended here (and audited); last seen is written at most
    once a minute. Either write is committed at once: it runs as the request starts.
    """
    value = session.get(COOKIE_KEY)
    sid, _, secret = value.partition(".") if isinstance(value, str) else ("", "", "")
    row = db.session.get(UserSession, sid) if sid and secret else None
    if (
        row is None
        or row.user_id != user_id
        or not hmac.compare_digest(row.secret_hash, _digest(secret))
        or row.ended_at is not None
    ):
        _forget_cookie()
        return None
    now = db.utcnow()
    reason = expiry_reason(row, now)
    if reason is not None:
        _end(row, reason)
        audit.record(
            "auth.session_expired", obj_type="user", obj_id=user_id, session=row.id, why=reason
        )
        db.session.commit()
        _forget_cookie()
        flash("Your session ended; log in again.", "info")
        return None
    g.user_session = row
    if now - row.last_seen_at >= _seen_resolution():
        row.last_seen_at = now
        db.session.commit()
    return row


def _forget_cookie() -> None:
    session.pop(COOKIE_KEY, None)
    session.pop("_user_id", None)


def _end(row: UserSession, why: str) -> None:
    db.conditional_update(
        update(UserSession)
        .where(UserSession.id == row.id, UserSession.ended_at.is_(None))
        .values(ended_at=db.utcnow(), end_reason=why)
    )


def end_current_session(why: str = EndReason.LOGOUT) -> None:
    """End the session of this request's cookie on the server, in the caller's transaction."""
    sid = current_session_id()
    row = db.session.get(UserSession, sid) if sid else None
    if row is not None:
        _end(row, why)


def end_all_sessions(user: User, why: str = EndReason.ACCESS_ENDED) -> int:
    """End every live session of ``user``, in the caller's transaction; returns how many."""
    return db.conditional_update(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=db.utcnow(), end_reason=why)
    )


def live_sessions(user: User) -> list[UserSession]:
    """The sessions of ``user`` that still let a browser in, most recently used first."""
    now = db.utcnow()
    idle, absolute = _limits()
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.created_at >= now - absolute,
                UserSession.last_seen_at >= now - idle,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.created_at.desc())
        )
    )


def end_own_session(user: User, session_id: str) -> bool:
    """End one live session of ``user`` from the sessions page; False when it is not theirs or
    already over. Commits."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id or row.ended_at is not None:
        return False
    _end(row, EndReason.ENDED_BY_USER)
    audit.record("auth.session_end", obj_type="user", obj_id=user.id, actor=user, session=row.id)
    db.session.commit()
    return True


def end_other_sessions(user: User) -> int:
    """End every session of ``user`` but this one. Commits; returns how many ended."""
    ended = db.conditional_update(
        update(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.id != (current_session_id() or ""),
        )
        .values(ended_at=db.utcnow(), end_reason=EndReason.ENDED_BY_USER)
    )
    audit.record("auth.session_end", obj_type="user", obj_id=user.id, actor=user, others=ended)
    db.session.commit()
    return ended
