"""Writing the audit chain for real: many writers at once (threads and processes), the app's
PostgreSQL role that cannot change events, and the migration that chains existing rows."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from app import audit, db
from tests.app.audit_helpers import events, failed_logins, run_verify


def test_concurrent_writers_never_fork_the_chain_nor_fail(app):
    """Threads with their own app contexts (as gunicorn threads and workers are) commit at once."""
    threads_count, per_thread = 8, 15
    errors: list[BaseException] = []
    start = threading.Barrier(threads_count)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                with app.app_context():
                    audit.record("test.concurrent", writer=n, i=i)
                    if i % 3 == 0:
                        audit.record("test.concurrent.second", writer=n, i=i)
                    db.session.commit()
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads_count)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    rows = events(app)
    expected = threads_count * (per_thread + len(range(0, per_thread, 3)))
    assert len(rows) == expected
    assert [r.seq for r in rows] == list(range(1, expected + 1))
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    result = run_verify(app)
    assert result.exit_code == 0 and f"{expected} events checked" in result.output


def _write_events_in_own_process(env: dict[str, str], n: int, count: int) -> None:
    from app import create_app

    app = create_app(env=env)
    for i in range(count):
        with app.app_context():
            audit.record("test.process", process=n, i=i)
            db.session.commit()
    app.extensions["eservice.engine"].dispose()


def test_concurrent_processes_never_fork_the_chain(app, tmp_path, database_url):
    """Processes, as gunicorn and RQ workers are, each with its own engine and connections."""
    import multiprocessing

    from tests.conftest import make_env

    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(
            target=_write_events_in_own_process,
            args=(make_env(tmp_path / f"p{n}", database_url), n, 25),
        )
        for n in range(4)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=120)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    rows = events(app)
    assert [r.seq for r in rows] == list(range(1, 101))
    result = run_verify(app)
    assert result.exit_code == 0 and "100 events checked" in result.output


def test_grant_app_role_is_postgres_only(app):
    result = app.test_cli_runner().invoke(args=["audit", "grant-app-role", "eservice_app"])
    engine: Engine = app.extensions["eservice.engine"]
    if engine.dialect.name == "sqlite":
        assert result.exit_code == 1 and "PostgreSQL" in result.output
    else:
        assert result.exit_code == 0
        revoke = "REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_events"
        assert f'{revoke} FROM "eservice_app";' in result.output
    bad = app.test_cli_runner().invoke(args=["audit", "grant-app-role", "x; DROP TABLE users"])
    assert bad.exit_code in (1, 2)


@pytest.fixture
def app_role(postgres_url):  # type: ignore[no-untyped-def]
    """A login role granted the app's rights by ``audit grant-app-role``; dropped afterwards."""
    from tests.conftest import _truncate_postgres

    _truncate_postgres(postgres_url)
    role = "eservice_app_test"
    owner = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
    yield role
    with owner.connect() as conn:
        conn.execute(text(f"DROP OWNED BY {role}"))
        conn.execute(text(f"DROP ROLE {role}"))
    owner.dispose()


def test_the_app_role_writes_events_but_cannot_change_them(tmp_path, postgres_url, app_role):
    owner_app = create_app_for(tmp_path / "owner", postgres_url)
    granted = owner_app.test_cli_runner().invoke(
        args=["audit", "grant-app-role", app_role, "--execute"]
    )
    assert granted.exit_code == 0, granted.output
    owner_app.extensions["eservice.engine"].dispose()

    role_url = postgres_url.replace("postgres@", f"{app_role}@", 1)
    app = create_app_for(tmp_path / "app", role_url)
    failed_logins(app, 3)  # the app works as the role: events written, head moved
    assert [e.seq for e in events(app)] == [1, 2, 3]
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    engine: Engine = app.extensions["eservice.engine"]
    for statement in (
        "UPDATE audit_events SET outcome = 'success'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "ALTER TABLE audit_events DISABLE TRIGGER USER",
        "DELETE FROM audit_chain_head",
        "SET session_replication_role = replica",
    ):
        denied = pytest.raises(DBAPIError, match=r"permission denied|must be owner")
        with denied, engine.begin() as conn:
            conn.execute(text(statement))
    engine.dispose()


def create_app_for(path, url):  # type: ignore[no-untyped-def]
    from app import create_app
    from tests.conftest import make_env

    return create_app(env=make_env(path, url))


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request, tmp_path):  # type: ignore[no-untyped-def]
    """An empty database of its own, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    from tests.conftest import POSTGRES_ADMIN_URL

    request.getfixturevalue("postgres_url")  # skips (or fails in CI) without PostgreSQL
    name = f"eservice_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_the_upgrade_chains_existing_events_in_id_order_and_downgrade_undoes_it(empty_database):
    from app.audit_chain import verify
    from app.migrate import downgrade, upgrade

    upgrade(empty_database, "0008")
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        for i, at in enumerate(["2024-05-01 10:00:00.5+00", "2024-04-01 09:00:00+00", None]):
            conn.execute(
                text(
                    "INSERT INTO audit_events (at, actor, action, outcome, detail) "
                    "VALUES (:at, 'system', :action, 'success', :detail)"
                ),
                {
                    "at": at or datetime(2024, 6, 1, 8, 0, 0, 123456, tzinfo=UTC),
                    "action": f"old.{i}",
                    "detail": '{"b": [1, 2.5], "a": "\\u00e9"}',
                },
            )
    upgrade(empty_database)
    report = verify(engine)
    assert report.intact and report.checked == 3, report.problem
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, seq FROM audit_events ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, 1), (2, 2), (3, 3)]
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("DELETE FROM audit_events"))

    downgrade(empty_database, "0008")
    with engine.begin() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("audit_events")}
        assert not {"seq", "prev_hash", "hash"} & columns
        assert not inspect(conn).has_table("audit_chain_head")
        conn.execute(text("DELETE FROM audit_events WHERE id = 3"))  # no trigger left
    upgrade(empty_database)
    assert verify(engine).checked == 2
    engine.dispose()
