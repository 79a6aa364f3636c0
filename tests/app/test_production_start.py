"""In production every backend must answer at start; the error names the one that does not."""

from __future__ import annotations

import secrets

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

import config
from app import create_app
from tests.conftest import _truncate_postgres, make_env
from tests.services import aws_env, free_port

DEAD = f"127.0.0.1:{free_port()}"  # nothing listens here


class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


@pytest.fixture
def production_env(tmp_path, postgres_url, s3_server, monkeypatch):
    _truncate_postgres(postgres_url)  # an empty, intact audit chain
    for key, value in aws_env(s3_server).items():
        monkeypatch.setenv(key, value)
    smtp = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    yield {
        "ESERVICE_ENV": "production",
        "ESERVICE_SECRET_KEY": secrets.token_urlsafe(32),
        "ESERVICE_DATA_DIR": str(tmp_path),
        "ESERVICE_DATABASE_URL": postgres_url,
        "ESERVICE_REDIS_URL": "redis://127.0.0.1:6379/14",
        "ESERVICE_STORAGE_URL": f"s3://{s3_server['bucket']}/production-check",
        "ESERVICE_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "ESERVICE_BASE_URL": "https://eservice.example.gov",
    }
    smtp.stop()


def test_production_starts_when_every_backend_answers(production_env):
    app = create_app(env=production_env)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    app.extensions["eservice.engine"].dispose()


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("ESERVICE_DATABASE_URL", f"postgresql+psycopg://postgres@{DEAD}/x?connect_timeout=2"),
        ("ESERVICE_REDIS_URL", f"redis://{DEAD}/0"),
        ("ESERVICE_STORAGE_URL", "s3://no-such-bucket-here/x"),
        ("ESERVICE_SMTP_URL", f"smtp://{DEAD}"),
    ],
)
def test_an_unreachable_backend_stops_the_start_and_is_named(production_env, setting, value):
    with pytest.raises(config.ConfigError, match=setting):
        create_app(env={**production_env, setting: value})


def _audited_database(tmp_path, url: str, events: int) -> None:
    """``events`` audit events written by the app (failed logins), as a running site has."""
    from tests.helpers import post_form

    app = create_app(env=make_env(tmp_path / "site", url))
    client = app.test_client()
    for i in range(events):
        post_form(client, "/login", {"email": f"nobody{i}@x.example", "password": "wrong"})
    app.extensions["eservice.engine"].dispose()


def _tamper(url: str, statement: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # past the triggers
        conn.execute(text(statement))
    engine.dispose()


def test_production_starts_on_an_intact_audit_log(tmp_path, production_env):
    _audited_database(tmp_path, production_env["ESERVICE_DATABASE_URL"], 4)
    app = create_app(env=production_env)
    app.extensions["eservice.engine"].dispose()


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("UPDATE audit_events SET outcome = 'success' WHERE id = 4", "event id 4: its fields"),
        ("DELETE FROM audit_events WHERE id = 3", "event id 4: the events before it"),
        ("DELETE FROM audit_events WHERE id >= 4", "event id 5: the head records 5 events"),
    ],
    ids=["edited", "deleted", "tail-cut"],
)
def test_a_broken_audit_tail_stops_the_start_and_names_the_row(
    tmp_path, production_env, statement, named
):
    url = production_env["ESERVICE_DATABASE_URL"]
    _audited_database(tmp_path, url, 5)
    _tamper(url, statement)
    with pytest.raises(config.ConfigError, match=f"audit log is broken at {named}"):
        create_app(env=production_env)
