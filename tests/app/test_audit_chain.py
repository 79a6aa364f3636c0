"""The audit log is a hash chain: every edit, deletion, reordering or lost tail is named by
``flask audit verify``, and the database itself refuses updates and deletes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import Engine, text, update
from sqlalchemy.exc import DBAPIError

from app import audit, db
from app.audit import AuditChainHead, AuditEvent
from app.audit_chain import GENESIS, event_hash
from tests.app.audit_helpers import events, failed_logins, run_verify


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
