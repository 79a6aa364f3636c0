"""Fixtures: an app per test on a fresh database (SQLite and PostgreSQL), and small helpers."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from app import create_app, db
from app.migrate import upgrade
from tests.helpers import login

pytest_plugins = ["tests.services"]

POSTGRES_ADMIN_URL = os.environ.get(
    "ESERVICE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = bool(os.environ.get("CI"))
BACKENDS = ["sqlite", "postgres"]


def _postgres_reachable() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:
        return str(exc).splitlines()[0]
    return None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of our own on the local PostgreSQL, migrated to head once, dropped at the end."""
    problem = _postgres_reachable()
    if problem:
        message = (
            f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({problem}); start it "
            "(pg_ctlcluster 15 main start) or set ESERVICE_TEST_POSTGRES_URL"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    name = f"eservice_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = [t.name for t in db.Base.metadata.sorted_tables]
    with engine.begin() as conn:
        # The audit tables refuse TRUNCATE by trigger; a superuser's session may skip triggers.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        conn.execute(
            text("INSERT INTO audit_chain_head (id, seq, event_id, hash) VALUES (1, 0, NULL, :h)"),
            {"h": "0" * 64},
        )
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "eservice.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


def make_env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    return {
        "ESERVICE_ENV": "testing",
        "ESERVICE_DATA_DIR": str(tmp_path / "instance"),
        "ESERVICE_DATABASE_URL": database_url,
        # Cheap hashing keeps the suite fast; production uses OWASP's Argon2id (see config).
        "ESERVICE_PASSWORD_HASH": "argon2id:m=1024,t=1,p=1",
        "ESERVICE_MAX_DOCUMENT_MB": "2",
        "ESERVICE_MAX_FILING_MB": "5",
        "ESERVICE_MAX_DOCUMENTS_PER_FILING": "4",
        # Jobs run before a request returns, so a test reads their outcome right after it;
        # tests/workers/test_local.py covers the default, a worker thread.
        "ESERVICE_JOB_RUNNER": "inline",
        **extra,
    }


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    application = create_app(env=make_env(tmp_path, database_url))
    with application.app_context():
        from app.offices import seed_offices

        seed_offices()
        db.session.commit()
    yield application
    db.session.remove()
    application.extensions["eservice.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def outbox(app: Flask):  # type: ignore[no-untyped-def]
    """The e-mails written so far, oldest first, as a callable."""

    def read() -> list[EmailMessage]:
        folder = app.config["ESERVICE"].outbox_dir
        if not folder.exists():
            return []
        return [
            message_from_bytes(p.read_bytes(), policy=policy.default)  # type: ignore[misc]
            for p in sorted(folder.glob("*.eml"))
        ]

    return read


# --- accounts -------------------------------------------------------------------------------

PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_staff(app: Flask):  # type: ignore[no-untyped-def]
    from tests.helpers import create_staff

    def make(email: str = "staff.atl@occ.example", office: str = "ATL", admin: bool = False):  # type: ignore[no-untyped-def]
        with app.app_context():
            return create_staff(email, office, admin)

    return make


@pytest.fixture
def make_attorney(app: Flask):  # type: ignore[no-untyped-def]
    from tests.helpers import create_attorney

    def make(email: str = "lawyer@firm.example", **kwargs):  # type: ignore[no-untyped-def]
        with app.app_context():
            return create_attorney(email, **kwargs)

    return make


@pytest.fixture
def attorney_client(app: Flask, make_attorney) -> FlaskClient:  # type: ignore[no-untyped-def]
    """A logged-in verified attorney with an E-28 on record for A012345678."""
    make_attorney()
    c = app.test_client()
    login(c, "lawyer@firm.example", PASSWORD)
    return c


@pytest.fixture
def staff_client(app: Flask, make_staff) -> FlaskClient:  # type: ignore[no-untyped-def]
    make_staff()
    c = app.test_client()
    login(c, "staff.atl@occ.example", PASSWORD)
    return c


@pytest.fixture
def api_token(app: Flask, make_attorney) -> str:  # type: ignore[no-untyped-def]
    """An API token of the verified attorney lawyer@firm.example."""
    from filings.tokens import create_token

    user = make_attorney()
    with app.app_context():
        return create_token(db.session.get(type(user), user.id), "tests")


# --- the USWDS assets ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def uswds_dir() -> Path:
    """The tests' own copy of the USWDS assets (``~/.cache/occ-eservice-uswds``), fetched from
    npm once; the checkout's app/static/uswds is never read or written by the tests. Without
    npm the tests that need it skip (fail in CI)."""
    from app import assets

    folder = assets.cache_dir()
    if not assets.is_installed(folder):
        try:
            assets.install(folder)
        except (assets.AssetsError, OSError) as exc:
            if IN_CI:
                pytest.fail(f"USWDS assets could not be fetched: {exc}")
            pytest.skip(f"USWDS assets could not be fetched: {exc}")
    return folder
