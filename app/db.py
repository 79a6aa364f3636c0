"""The database: declarative base, engine and the request-scoped session."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any, cast

from flask import Flask, current_app, has_app_context
from flask.globals import app_ctx
from sqlalchemy import CursorResult, DateTime, Engine, MetaData, Update, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator
from werkzeug.exceptions import BadRequest

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AppSession(Session):
    """A session bound to the engine of the current application."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Engine:
        engine: Engine = current_app.extensions["eservice.engine"]
        return engine


def _app_context_id() -> int:
    # One session per application context (a request, a job, a CLI command), whichever app
    # it belongs to; removed when that context ends.
    if not has_app_context():
        return threading.get_ident()
    return id(app_ctx._get_current_object())  # type: ignore[attr-defined]


session = scoped_session(
    sessionmaker(class_=AppSession, expire_on_commit=False), scopefunc=_app_context_id
)


class NulCharacter(BadRequest):
    """Text with a NUL character, which PostgreSQL cannot store (and SQLite would): refused the
    same way on both, as the caller's bad input, before it reaches the database."""

    description = (
        "A field contains a NUL character (\\0), which no text may hold. Remove it and send "
        "the request again."
    )


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _refuse_nul(_conn: Any, _cursor: Any, _statement: str, parameters: Any, *_rest: Any) -> None:
    if _has_nul(parameters):
        raise NulCharacter()


def make_engine(url: str) -> Engine:
    engine = _make_engine(url)
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    return engine


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask, url: str) -> Engine:
    engine = make_engine(url)
    app.extensions["eservice.engine"] = engine

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        session.remove()

    return engine


def conditional_update(statement: Update) -> int:
    """Run an UPDATE whose WHERE names the state it expects; return how many rows moved.

    State changes go this way so that two runs of a job (or two clicks) change a row once.
    """
    result = session.execute(statement)
    return cast(CursorResult[Any], result).rowcount
