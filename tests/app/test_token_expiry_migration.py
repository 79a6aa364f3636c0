"""Revision 0007 gives tokens made before tokens expired a lifetime: the default one from their
creation, and at least a month from the upgrade, so software using them can get new ones."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.migrate import downgrade, upgrade
from tests.conftest import POSTGRES_ADMIN_URL


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    request.getfixturevalue("postgres_url")  # skips or fails as the other tests do without it
    name = f"eservice_mig_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_old_tokens_get_an_expiry_and_downgrade_drops_it(empty_url):
    upgrade(empty_url, "0005")
    now = datetime.now(UTC)
    engine = sa.create_engine(empty_url)
    meta = sa.MetaData()
    users = sa.Table("users", meta, autoload_with=engine)
    tokens = sa.Table("api_tokens", meta, autoload_with=engine)
    with engine.begin() as conn:
        conn.execute(
            users.insert().values(
                id=1,
                email="lawyer@firm.example",
                password_hash="x",
                full_name="Lee Lawyer",
                role="attorney",
                active=True,
                session_version=1,
                created_at=now,
            )
        )
        for token_id, age in ((1, timedelta(days=10)), (2, timedelta(days=360))):
            conn.execute(
                tokens.insert().values(
                    id=token_id,
                    user_id=1,
                    name="old",
                    token_hash=f"{token_id:064d}",
                    hint="esv_abc",
                    created_at=now - age,
                )
            )
    engine.dispose()

    upgrade(empty_url, "0007")
    engine = sa.create_engine(empty_url)
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT id, expires_at FROM api_tokens")).all())
    engine.dispose()
    expiry = {k: _aware(v) for k, v in rows.items()}
    assert abs(expiry[1] - (now + timedelta(days=355))) < timedelta(minutes=1)
    assert abs(expiry[2] - (now + timedelta(days=30))) < timedelta(minutes=1)  # a month's notice

    downgrade(empty_url, "0006")
    engine = sa.create_engine(empty_url)
    inspector = sa.inspect(engine)
    assert "user_sessions" not in inspector.get_table_names()
    assert "expires_at" not in {c["name"] for c in inspector.get_columns("api_tokens")}
    engine.dispose()


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):  # SQLite hands back text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
