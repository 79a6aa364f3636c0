"""Migration 0006 on a database with data: bar numbers normalised, records matched by name,
self-declared E-28s marked, one holder per identifier; and back down again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from app.migrate import downgrade, upgrade
from tests.conftest import POSTGRES_ADMIN_URL, _postgres_reachable

NOW = "2025-06-01 12:00:00+00:00"


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    problem = _postgres_reachable()
    if problem:
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    name = f"eservice_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _seed(conn) -> None:
    conn.execute(
        text("INSERT INTO offices (id, code, name, timezone) VALUES (1, 'ATL', 'Atlanta', 'UTC')")
    )
    people = [
        (1, "first@law.example", "verified", "GA", "GA-0448812", "FI123456", "2025-01-01"),
        (2, "second@law.example", "verified", None, None, "FI123456", "2025-02-01"),
        (3, "third@law.example", "suspended", "GA", "448812", None, "2025-03-01"),
        (4, "fourth@law.example", "pending_review", "GA", "448812", "FI123456", None),
    ]
    for uid, email, state, bar_state, bar_number, eoir, decided in people:
        conn.execute(
            text(
                "INSERT INTO users (id, email, password_hash, full_name, role, active, "
                "session_version, created_at) VALUES (:id, :email, 'x', 'Pat Person', "
                "'attorney', :yes, 1, :now)"
            ),
            {"id": uid, "email": email, "now": NOW, "yes": True},
        )
        conn.execute(
            text(
                "INSERT INTO attorney_profiles (user_id, state, bar_state, bar_number, eoir_id, "
                "firm, phone, mailing_address, registered_at, decided_at) VALUES (:id, :state, "
                ":bs, :bn, :eoir, '', '555', 'x', :now, :decided)"
            ),
            {
                "id": uid,
                "state": state,
                "bs": bar_state,
                "bn": bar_number,
                "eoir": eoir,
                "now": NOW,
                "decided": decided and f"{decided} 00:00:00+00:00",
            },
        )
    records = [  # the first two are one record written two ways
        (1, "012345678", "GA", "GA-0448812", None, "012345678||GA|GA-0448812|2025-01-01"),
        (2, "012345678", "GA", "448812", None, "012345678||GA|448812|2025-01-01"),
        (3, "087654321", None, None, "FI123456", "087654321|FI123456|||2025-01-01"),
    ]
    for rid, a_number, bar_state, bar_number, eoir, key in records:
        conn.execute(
            text(
                "INSERT INTO appearances (id, a_number, attorney_name, bar_state, bar_number, "
                "eoir_id, filed_on, natural_key, source, created_at) VALUES (:id, :a, "
                "'PERSON, Pat Esq.', :bs, :bn, :eoir, '2025-01-01', :key, 'import', :now)"
            ),
            {
                "id": rid,
                "a": a_number,
                "bs": bar_state,
                "bn": bar_number,
                "eoir": eoir,
                "key": key,
                "now": NOW,
            },
        )
    for fid, a_number in (("f-on-record", "012345678"), ("f-declared", "055555555")):
        conn.execute(
            text(
                "INSERT INTO filings (id, receipt_number, attorney_id, office_id, a_number, "
                "document_type, includes_e28, title, detained, status, received_at, "
                "passed_checks, problems) VALUES (:id, :id, 1, 1, :a, 'e28', :yes, 't', :no, "
                "'served', :now, :yes, '[]')"
            ),
            {"id": fid, "a": a_number, "now": NOW, "yes": True, "no": False},
        )


def test_data_is_carried_into_the_new_rules(empty_url):
    upgrade(empty_url, "0005")
    engine = create_engine(empty_url)
    with engine.begin() as conn:
        _seed(conn)
    upgrade(empty_url, "0006")
    with engine.connect() as conn:
        profiles = {
            row.user_id: row
            for row in conn.execute(text("SELECT * FROM attorney_profiles ORDER BY user_id"))
        }
        records = conn.execute(text("SELECT * FROM appearances ORDER BY id")).all()
        filings = dict(conn.execute(text("SELECT id, self_declared_e28 FROM filings")).all())
        events = conn.execute(
            text("SELECT object_id, action FROM audit_events ORDER BY object_id")
        ).all()
    engine.dispose()

    assert profiles[1].bar_number == "448812"
    # The first verified keeps EOIR ID and bar; the second (same EOIR ID) and the suspended
    # third (same bar) go back to review; the pending fourth is untouched.
    assert [profiles[n].state for n in (1, 2, 3, 4)] == [
        "verified",
        "pending_review",
        "pending_review",
        "pending_review",
    ]
    assert "another account was verified first" in profiles[2].decision_reason
    assert [(e.object_id, e.action) for e in events] == [
        ("2", "registration.returned_to_review"),
        ("3", "registration.returned_to_review"),
    ]
    assert [(r.id, r.bar_number, r.natural_key) for r in records] == [
        (1, "448812", "012345678||GA|448812|2025-01-01"),
        (3, None, "087654321|FI123456|||2025-01-01"),
    ]
    assert {r.name_key for r in records} == {"pat person"}
    assert filings == {"f-on-record": False, "f-declared": True}

    downgrade(empty_url, "0005")
    upgrade(empty_url, "0006")  # and up again, over the same data
