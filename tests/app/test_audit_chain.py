"""The audit log is a hash chain: every edit, deletion, reordering or lost tail is named by
``flask audit verify``, and the database itself refuses updates and deletes."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, inspect, select, text, update
from sqlalchemy.exc import DBAPIError

from app import audit, db
from app.audit import AuditChainHead, AuditEvent
from app.audit_chain import GENESIS, event_hash
from tests.helpers import post_form


def failed_logins(app: Flask, count: int) -> None:
    """Audit events made through HTTP: each failed login is one."""
    client = app.test_client()
    for i in range(count):
        post_form(client, "/login", {"email": f"nobody{i}@x.example", "password": "wrong"})


def events(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def run_verify(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["audit", "verify", *args])


def tamper(app: Flask, *statements: str) -> None:
    """Run SQL as someone who gets past the triggers (a superuser; the owner of a SQLite file)."""
    engine: Engine = app.extensions["eservice.engine"]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for (name,) in conn.execute(
                text("SELECT name FROM sqlite_master WHERE type='trigger'")
            ):
                conn.execute(text(f"DROP TRIGGER {name}"))
        for statement in statements:
            conn.execute(text(statement))


def test_events_are_chained_and_verify_counts_them(app):
    failed_logins(app, 5)
    rows = events(app)
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    prev = GENESIS
    for row in rows:
        assert row.prev_hash == prev and row.hash == event_hash(row, prev)
        prev = row.hash
    with app.app_context():
        head = db.session.get(AuditChainHead, 1)
        assert (head.seq, head.event_id, head.hash) == (5, rows[-1].id, rows[-1].hash)
    result = run_verify(app)
    assert result.exit_code == 0, result.output
    assert "Audit chain intact: 5 events checked" in result.output


def test_an_empty_chain_is_intact(app):
    result = run_verify(app)
    assert result.exit_code == 0 and "intact: 0 events" in result.output


@pytest.mark.parametrize(
    ("statements", "bad_id", "words"),
    [
        (["UPDATE audit_events SET outcome = 'success' WHERE id = 3"], 3, "edited"),
        (["UPDATE audit_events SET actor = 'someone@else.example' WHERE id = 1"], 1, "edited"),
        (["DELETE FROM audit_events WHERE id = 3"], 4, "(seq 3) are missing: deleted"),
        (["DELETE FROM audit_events WHERE id IN (4, 5)"], 5, "2 events after event id 3"),
        (
            [
                "UPDATE audit_events SET id = -3 WHERE id = 3",
                "UPDATE audit_events SET id = 3 WHERE id = 4",
                "UPDATE audit_events SET id = 4 WHERE id = -3",
            ],
            4,
            "out of order: it comes before event id 3",
        ),
        (
            # The seq numbers swapped: the chain's order no longer follows the ids.
            [
                "UPDATE audit_events SET seq = -3 WHERE id = 3",
                "UPDATE audit_events SET seq = 3 WHERE id = 4",
                "UPDATE audit_events SET seq = 4 WHERE seq = -3",
            ],
            4,
            "out of order: it comes before event id 3",
        ),
        (
            # A forged event inserted with a fitting hash but without moving the head.
            [
                "INSERT INTO audit_events (id, seq, at, actor, action, outcome, detail, "
                "prev_hash, hash) SELECT 99, 6, at, actor, action, outcome, detail, hash, hash "
                "FROM audit_events WHERE id = 5"
            ],
            99,
            "beyond the head",
        ),
    ],
    ids=["edit", "edit-first", "delete-middle", "delete-tail", "swap-ids", "swap-seq", "insert"],
)
def test_verify_names_the_first_row_tampered_with(app, statements, bad_id, words):
    failed_logins(app, 5)
    tamper(app, *statements)
    result = run_verify(app)
    assert result.exit_code == 1, result.output
    assert f"Audit chain broken at event id {bad_id}:" in result.output
    assert words in result.output


def rehash(app: Flask, edits: dict[int, str], upto: int) -> None:
    """Edit events' outcomes and hash the chain again up to id ``upto``, as someone who knows
    the format would."""
    rows = events(app)
    statements, prev = [], GENESIS
    for row in rows:
        if row.id > upto:
            break
        row.outcome = edits.get(row.id, row.outcome)
        row.prev_hash, row.hash = prev, event_hash(row, prev)
        statements.append(
            f"UPDATE audit_events SET outcome = '{row.outcome}', prev_hash = '{row.prev_hash}', "  # noqa: S608
            f"hash = '{row.hash}' WHERE id = {row.id}"
        )
        prev = row.hash
    tamper(app, *statements)


def test_an_edited_row_hashed_again_is_caught_by_the_next_link(app):
    failed_logins(app, 4)
    rehash(app, {2: "success"}, upto=2)
    result = run_verify(app)
    assert result.exit_code == 1, result.output
    assert "broken at event id 3: its prev_hash is not the hash of the event before it (id 2)" in (
        result.output
    )


def test_a_chain_hashed_again_to_its_end_is_caught_by_the_head(app):
    failed_logins(app, 4)
    rehash(app, {2: "success"}, upto=4)
    result = run_verify(app)
    assert result.exit_code == 1, result.output
    assert "broken at event id 4: the last event (seq 4) does not match" in result.output


def test_the_last_n_window_checks_the_tail_only(app):
    failed_logins(app, 6)
    tamper(app, "UPDATE audit_events SET outcome = 'success' WHERE id = 2")
    assert run_verify(app, "--last", "3").exit_code == 0
    assert run_verify(app, "--last", "5").exit_code == 1
    tamper(app, "DELETE FROM audit_events WHERE id = 5")
    result = run_verify(app, "--last", "3")
    assert result.exit_code == 1 and "event id 6" in result.output


def test_the_database_refuses_update_and_delete_of_events(app):
    failed_logins(app, 3)
    engine: Engine = app.extensions["eservice.engine"]
    for statement in (
        "UPDATE audit_events SET outcome = 'success' WHERE id = 2",
        "DELETE FROM audit_events WHERE id = 2",
        "DELETE FROM audit_events",
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with app.app_context():  # a Core update through the app's own session
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(
                update(AuditEvent).where(AuditEvent.id == 1).values(actor="x@y.example")
            )
            db.session.commit()
        db.session.rollback()
    if engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_events"))
    assert [e.outcome for e in events(app)] == ["failure"] * 3
    assert run_verify(app).exit_code == 0


def test_the_head_only_moves_forward_to_an_event_of_the_chain(app):
    failed_logins(app, 3)
    engine: Engine = app.extensions["eservice.engine"]
    for statement in (
        "DELETE FROM audit_chain_head",
        "UPDATE audit_chain_head SET seq = 2",  # back, to hide a deleted tail
        "UPDATE audit_chain_head SET seq = 9",  # forward, to nowhere
        f"UPDATE audit_chain_head SET hash = '{GENESIS}'",  # noqa: S608
    ):
        with pytest.raises(DBAPIError, match="only moves forward"), engine.begin() as conn:
            conn.execute(text(statement))
    if engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="only moves forward"), engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_chain_head"))
    assert run_verify(app).exit_code == 0


def test_a_missing_head_is_named(app):
    failed_logins(app, 2)
    tamper(app, "DELETE FROM audit_chain_head")
    result = run_verify(app)
    assert result.exit_code == 1 and "chain head row is missing" in result.output


def test_times_and_details_hash_the_same_after_a_round_trip(app):
    odd = datetime(2031, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
    detail = {
        "zeta": 1,
        "alpha": [1.5, 0.1, 1e-7, 12345678901234567890, True, None],
        "nested": {"é": "ünïcödé ✓ 名", "tuple": (1, 2), "set": {"b", "a"}},
        "nul": "a\x00b",
        "nan": float("nan"),
        "when": odd,
    }
    with app.app_context():
        event = audit.record("test.odd", obj_type="thing", obj_id=42, **detail)
        event.at = odd
        db.session.commit()
        db.session.expunge_all()
    (row,) = events(app)
    assert row.at == odd
    assert row.detail["nested"] == {"é": "ünïcödé ✓ 名", "tuple": [1, 2], "set": ["a", "b"]}
    assert row.detail["nul"] == "a\ufffdb" and row.detail["nan"] == "nan"
    assert row.hash == event_hash(row, GENESIS)
    assert run_verify(app).exit_code == 0


def test_a_rollback_drops_the_events_of_its_transaction(app):
    with app.app_context():
        audit.record("test.kept")
        db.session.commit()
        audit.record("test.dropped")  # begins the transaction that the rollback ends
        db.session.rollback()
        audit.record("test.outer")
        savepoint = db.session.begin_nested()
        audit.record("test.in_savepoint_dropped")
        savepoint.rollback()
        savepoint = db.session.begin_nested()
        audit.record("test.in_savepoint_kept")
        savepoint.commit()
        db.session.commit()
    assert [e.action for e in events(app)] == ["test.kept", "test.outer", "test.in_savepoint_kept"]
    assert run_verify(app).exit_code == 0


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
