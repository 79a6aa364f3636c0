"""In production every backend must answer at start: a missing or unreachable one is a clear
error naming its setting, never a silent fallback to an embedded default."""

from __future__ import annotations

import logging
import smtplib

from redis import Redis
from sqlalchemy import Engine, text

from app.audit_chain import chain_ready, verify
from app.db import make_engine
from app.mail import open_smtp
from config import ConfigError, Settings
from storage import Storage, StorageError

log = logging.getLogger(__name__)

# The events whose chain every start checks (and the head against the last of them): enough to
# catch a recent edit or a cut tail, few enough to take milliseconds. `flask audit verify`
# walks the whole chain.
START_CHECK_EVENTS = 1000


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def check_backends(settings: Settings, storage: Storage) -> None:
    """Raise ConfigError naming the first backend that does not answer, or an audit log whose
    last events do not hold together."""
    engine = make_engine(settings.database_url)
    try:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            raise ConfigError(
                f"ESERVICE_DATABASE_URL: the database does not answer ({_first_line(exc)})"
            ) from None
        check_audit_tail(engine)
    finally:
        engine.dispose()
    try:
        with Redis.from_url(settings.redis_url, socket_connect_timeout=3) as redis:
            redis.ping()
    except Exception as exc:
        raise ConfigError(
            f"ESERVICE_REDIS_URL: Redis does not answer ({_first_line(exc)})"
        ) from None
    try:
        storage.check()
    except StorageError as exc:
        raise ConfigError(f"ESERVICE_STORAGE_URL: {_first_line(exc)}") from None
    if settings.clamd_url:
        from filings.malware import ping

        if not ping(settings.clamd_url):
            raise ConfigError("ESERVICE_CLAMD_URL: clamd does not answer PING")
    try:
        with open_smtp(settings.smtp_url, timeout=5) as smtp:
            smtp.noop()
    except (OSError, ValueError, smtplib.SMTPException) as exc:
        raise ConfigError(
            f"ESERVICE_SMTP_URL: the mail server does not answer ({_first_line(exc)})"
        ) from None


def check_audit_tail(engine: Engine, last: int = START_CHECK_EVENTS) -> None:
    """Refuse to start on an audit log whose last ``last`` events or head do not hold together."""
    if not chain_ready(engine):
        log.warning("the audit chain is not in the schema yet: run flask --app wsgi db upgrade")
        return
    report = verify(engine, last=last)
    if not report.intact:
        where = f"event id {report.event_id}" if report.event_id is not None else "its head"
        raise ConfigError(
            f"ESERVICE_DATABASE_URL: the audit log is broken at {where}: {report.problem}. "
            "Walk the whole chain with flask --app wsgi audit verify (ESERVICE_ENV=development)"
        )
