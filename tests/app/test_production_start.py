"""In production every backend must answer at start; the error names the one that does not."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller

import config
from app import create_app
from tests.services import aws_env, free_port

DEAD = f"127.0.0.1:{free_port()}"  # nothing listens here


class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


@pytest.fixture
def production_env(tmp_path, postgres_url, s3_server, monkeypatch):
    for key, value in aws_env(s3_server).items():
        monkeypatch.setenv(key, value)
    smtp = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    yield {
        "ESERVICE_ENV": "production",
        "ESERVICE_SECRET_KEY": "k" * 40,
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
