"""Settings: safe defaults, and production refuses to start half-configured."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

import config
from app import create_app

FULL_PRODUCTION = {
    "ESERVICE_ENV": "production",
    "ESERVICE_SECRET_KEY": "acyJ3MVeFO3EMHPoEQtEjxI5TbAci1-IW67jvd9oq8o",  # token_urlsafe(32)
    "ESERVICE_DATABASE_URL": "postgresql+psycopg://u@db/eservice",
    "ESERVICE_STORAGE_URL": "s3://bucket/docs",
    "ESERVICE_REDIS_URL": "redis://127.0.0.1:6379/0",
    "ESERVICE_SMTP_URL": "smtp://mail:25",
    "ESERVICE_BASE_URL": "https://eservice.example.gov",
}


def test_defaults_live_under_instance(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = config.load({})
    assert settings.data_dir == (tmp_path / "instance").resolve()
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'instance' / 'eservice.db'}"
    assert settings.storage_url.startswith("file://")
    assert settings.redis_url == "" and settings.smtp_url == ""
    assert settings.max_document_mb == 25


def test_production_refuses_the_development_secret_key():
    env = {**FULL_PRODUCTION, "ESERVICE_SECRET_KEY": config.DEVELOPMENT_SECRET_KEY}
    with pytest.raises(config.ConfigError, match="ESERVICE_SECRET_KEY"):
        config.load(env)
    env.pop("ESERVICE_SECRET_KEY")
    with pytest.raises(config.ConfigError, match="ESERVICE_SECRET_KEY"):
        config.load(env)


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("a" * 32, "about 0 bits of entropy; at least 128"),
        ("k" * 40, "about 0 bits of entropy; at least 128"),
        ("ab" * 20, "about 40 bits of entropy"),
        ("changeme" * 4, "bits of entropy; at least 128"),
        (secrets.token_urlsafe(16), "22 characters; at least 32"),
        ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF", "words, sequences or repeats"),
        ("correcthorsebatterystaple" * 2, "words, sequences or repeats"),
    ],
)
def test_production_refuses_a_secret_key_with_little_entropy(key, problem):
    with pytest.raises(config.ConfigError) as refused:
        config.load({**FULL_PRODUCTION, "ESERVICE_SECRET_KEY": key})
    message = str(refused.value)
    assert "ESERVICE_SECRET_KEY" in message and problem in message
    assert "secrets.token_urlsafe(32)" in message  # says how to make one


def test_random_secret_keys_pass():
    for _ in range(40):
        for key in (secrets.token_urlsafe(32), secrets.token_hex(32)):
            assert config.load({**FULL_PRODUCTION, "ESERVICE_SECRET_KEY": key}).secret_key == key


def test_the_entropy_estimate():
    assert config.estimated_entropy_bits("a" * 32) == 0
    assert config.estimated_entropy_bits("ab" * 20) == 40
    assert config.estimated_entropy_bits(secrets.token_hex(32)) > 200


@pytest.mark.parametrize(
    "missing",
    [
        "ESERVICE_BASE_URL",
        "ESERVICE_DATABASE_URL",
        "ESERVICE_STORAGE_URL",
        "ESERVICE_REDIS_URL",
        "ESERVICE_SMTP_URL",
    ],
)
def test_production_needs_every_backend_named(missing):
    env = {k: v for k, v in FULL_PRODUCTION.items() if k != missing}
    with pytest.raises(config.ConfigError, match=missing):
        config.load(env)


def test_production_settings_load_when_complete():
    assert config.load(FULL_PRODUCTION).env == "production"


@pytest.mark.parametrize(("value", "message"), [("abc", "whole number"), ("0", "positive")])
def test_bad_numbers_are_named(value, message):
    with pytest.raises(config.ConfigError, match=f"ESERVICE_MAX_DOCUMENT_MB.*{message}"):
        config.load({"ESERVICE_MAX_DOCUMENT_MB": value})


def test_create_app_refuses_the_development_key_in_production(tmp_path: Path):
    env = {
        **FULL_PRODUCTION,
        "ESERVICE_SECRET_KEY": config.DEVELOPMENT_SECRET_KEY,
        "ESERVICE_DATA_DIR": str(tmp_path),
    }
    with pytest.raises(config.ConfigError):
        create_app(env=env)


@pytest.mark.parametrize("url", ["clamd:3310", "unix:///run/clamd.sock", "tcp://"])
def test_a_clamd_url_that_is_not_tcp_is_refused(url):
    with pytest.raises(config.ConfigError, match="ESERVICE_CLAMD_URL"):
        config.load({"ESERVICE_CLAMD_URL": url})
    assert config.load({"ESERVICE_CLAMD_URL": "tcp://127.0.0.1:3310"}).clamd_url


def test_jobs_run_in_a_thread_by_default_and_in_rq_with_redis():
    assert config.load({}).job_runner == "thread"
    assert config.load({"ESERVICE_JOB_RUNNER": "inline"}).job_runner == "inline"
    assert config.load({"ESERVICE_REDIS_URL": "redis://127.0.0.1:6379/0"}).job_runner == "rq"
    # Redis decides: the local runners are for the embedded default.
    env = {"ESERVICE_REDIS_URL": "redis://127.0.0.1:6379/0", "ESERVICE_JOB_RUNNER": "inline"}
    assert config.load(env).job_runner == "rq"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ESERVICE_JOB_RUNNER": "celery"}, "ESERVICE_JOB_RUNNER must be thread, inline or rq"),
        ({"ESERVICE_JOB_RUNNER": "rq"}, "ESERVICE_JOB_RUNNER=rq needs ESERVICE_REDIS_URL"),
    ],
)
def test_a_bad_job_runner_is_named(env, message):
    with pytest.raises(config.ConfigError, match=message):
        config.load(env)


def test_api_token_lifetime_is_bounded():
    assert config.load({"ESERVICE_API_TOKEN_DAYS": "730"}).api_token_days == 730
    for bad in ("731", "0", "a year"):
        with pytest.raises(config.ConfigError, match="ESERVICE_API_TOKEN_DAYS"):
            config.load({"ESERVICE_API_TOKEN_DAYS": bad})


def test_password_hash_parameters_are_checked():
    assert config.load({}).password_hash_method == "argon2id:m=19456,t=2,p=1"
    for bad in ("scrypt:32768:8:1", "argon2id:m=4,t=1,p=1", "argon2id:m=19456,t=0,p=1"):
        with pytest.raises(config.ConfigError, match="ESERVICE_PASSWORD_HASH"):
            config.load({"ESERVICE_PASSWORD_HASH": bad})


def test_base_url_must_be_a_plain_url():
    assert config.load({"ESERVICE_BASE_URL": "https://e.example.gov/"}).base_url == (
        "https://e.example.gov"
    )
    for bad in ("e.example.gov", "https://e.example.gov/?x=1", "javascript:alert(1)"):
        with pytest.raises(config.ConfigError, match="ESERVICE_BASE_URL"):
            config.load({"ESERVICE_BASE_URL": bad})
