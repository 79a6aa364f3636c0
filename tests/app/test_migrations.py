"""The schema is made only by Alembic migrations, and the models match them."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app import db
from app.migrate import downgrade, upgrade


def _diff(url: str) -> list[object]:
    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.Base.metadata)
    engine.dispose()
    return diff


def test_empty_sqlite_upgrades_to_head_and_matches_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    assert _diff(url) == []
    engine = create_engine(url)
    assert {"filings", "documents", "audit_events", "outbox_jobs"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_sqlite_downgrades_to_empty_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    upgrade(url)
    downgrade(url, "base")
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(url)
    assert _diff(url) == []


def test_postgres_at_head_matches_models(postgres_url):
    # postgres_url is an empty database upgraded to head by the fixture.
    assert _diff(postgres_url) == []


def test_password_and_factor_columns_are_added_to_existing_accounts(tmp_path):
    """0008 adds columns to a users table that other tables point at, without rebuilding it."""
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    upgrade(url, "0007")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, password_hash, full_name, role, active, "
                "session_version, created_at) VALUES (1, 'a@b.example', 'x', 'A', 'staff', 1, 1, "
                "'2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO api_tokens (user_id, name, token_hash, hint, created_at, expires_at) "
                "VALUES (1, 't', :h, 'esv_', '2026-01-01 00:00:00', '2027-01-01 00:00:00')"
            ),
            {"h": "0" * 64},
        )
    upgrade(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT email, must_change_password FROM users")).one()
        assert tuple(row) == ("a@b.example", 0)
    downgrade(url, "0007")
    upgrade(url)
    assert _diff(url) == []
    engine.dispose()
