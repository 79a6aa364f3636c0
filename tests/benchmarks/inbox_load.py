"""Bulk data for the inbox benchmark: attorneys, filings and documents made by generate_series
in PostgreSQL (no Python loops), with the spread of a real service after five years:

- 28 offices, skewed: the busiest (ATL) gets about a fifth of all filings;
- about 5% detained; a hearing date on three in four, from the day of filing to 200 days on;
- received evenly over five years; the last two days still served (a third of them claimed),
  older ones mostly accepted (93%), some rejected (4%), refused by the checks (2.5%), held;
- titles from a dozen common phrases plus two of 50 surnames; one in 997 has a rare word;
- three documents per filing.

The secondary indexes of filings and documents are dropped during the load and made again
after it, as one would for a bulk import; the counts per state are made (the triggers that keep
them were off); then VACUUM ANALYZE.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import create_engine, text

ATTORNEYS = 20_000
SURNAMES = (  # noqa: SIM905
    "Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores "
    "Rivera Gomez Diaz Reyes Morales Cruz Ortiz Gutierrez Chavez Ramos Ruiz Alvarez Mendoza "
    "Castillo Jimenez Moreno Romero Herrera Medina Aguilar Vargas Guzman Mendez Salazar Soto "
    "Delgado Pena Rios Vasquez Nguyen Tran Kim Singh Kaur Ali Khan Haddad Okafor Mensah"
).split()
PHRASES = [
    "Motion to continue",
    "Motion to change venue",
    "Motion to reopen",
    "Brief in support of relief",
    "Evidence packet for individual hearing",
    "Notice of appearance",
    "Response to DHS motion",
    "Exhibits for merits hearing",
    "Witness list",
    "Proposed pre-trial statement",
    "Request for prosecutorial discretion",
    "Motion to terminate",
]

_ATTORNEYS_SQL = """
INSERT INTO users (email, password_hash, full_name, role, active, session_version, created_at,
                   must_change_password)
SELECT lower((ARRAY[{first}])[1 + mod(g, 40)] || '.'
         || (ARRAY[{surnames}])[1 + mod(g / 40, {n_surnames})]) || g || '@firm' || mod(g, 500)
         || '.example', 'x',
       (ARRAY[{first}])[1 + mod(g, 40)] || ' '
         || (ARRAY[{surnames}])[1 + mod(g / 40, {n_surnames})],
       'attorney', true, 1, now(), false
FROM generate_series(1, {count}) AS g
"""

_FILINGS_SQL = """
WITH offices AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(code ORDER BY id) AS codes
                 FROM offices),
     attorneys AS (SELECT min(id) AS first FROM users WHERE role = 'attorney'),
     raw AS (
       SELECT g,
              1 + floor(28 * power(random(), 2.07))::int AS o,
              now() - make_interval(secs => (5 * 365 * 86400.0) * (1 - g::float8 / {count}))
                AS received_at,
              random() AS r, random() AS d, random() AS h, random() AS c
       FROM generate_series(1, {count}) AS g)
INSERT INTO filings (id, receipt_number, attorney_id, office_id, a_number, document_type,
                     includes_e28, self_declared_e28, title, next_hearing_on, detained, status,
                     received_at, checked_at, passed_checks, decided_at, decided_by_id,
                     decision_reason, claimed_by_id, claimed_at, problems, idempotency_key,
                     check_attempts)
SELECT gen_random_uuid()::text,
       'ES-' || codes[o] || '-' || to_char(received_at, 'YYYYMMDD') || '-'
         || upper(substr(md5(g::text), 1, 4)) || '-' || upper(substr(md5(g::text), 5, 4)),
       first + floor(random() * {attorneys})::int,
       ids[o],
       lpad((100000000 + floor(random() * 899999999))::bigint::text, 9, '0'),
       (ARRAY['motion','brief','evidence','notice','other'])[1 + mod(g, 5)],
       false, false,
       (ARRAY[{phrases}])[1 + floor(random() * {n_phrases})::int] || ' for '
         || (ARRAY[{surnames}])[1 + floor(random() * {n_surnames})::int] || ' '
         || (ARRAY[{surnames}])[1 + floor(random() * {n_surnames})::int]
         || CASE WHEN mod(g, 997) = 0 THEN ' Abernathy' ELSE '' END,
       CASE WHEN h < 0.75 THEN received_at::date + floor(h * 266)::int END,
       d < 0.05,
       status,
       received_at, received_at + interval '1 minute',
       status <> 'refused' AND status <> 'held',
       CASE WHEN status IN ('accepted', 'rejected') THEN received_at + interval '1 day' END,
       CASE WHEN status IN ('accepted', 'rejected') THEN {staff} END,
       CASE WHEN status = 'rejected' THEN 'Exhibit B is missing pages.' END,
       CASE WHEN status = 'served' AND c < 0.33 THEN {staff} END,
       CASE WHEN status = 'served' AND c < 0.33 THEN now() END,
       '[]', NULL, 0
FROM (SELECT raw.*,
             CASE WHEN received_at > now() - interval '2 days' THEN 'served'
                  WHEN r < 0.93 THEN 'accepted' WHEN r < 0.97 THEN 'rejected'
                  WHEN r < 0.995 THEN 'refused' ELSE 'held' END AS status
      FROM raw) AS f, offices, attorneys
"""

_DOCUMENTS_SQL = """
INSERT INTO documents (id, filing_id, position, filename, storage_key, size_bytes, sha256,
                       pages, document_type, warnings)
SELECT gen_random_uuid()::text, f.id, p, 'document-' || p || '.pdf', f.id || '/' || p,
       50000 + floor(random() * 5000000)::bigint, md5(f.id || p) || md5(p || f.id),
       1 + floor(random() * 40)::int, NULL, '[]'
FROM filings AS f CROSS JOIN generate_series(1, 3) AS p
"""


def _array(words: list[str]) -> str:
    return ", ".join("'" + w.replace("'", "''") + "'" for w in words)


def load(url: str, count: int, staff_id: int) -> dict[str, Any]:
    """Fill the database at ``url``; return sample values to search for."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    first_names = [
        "Ana",
        "Ben",
        "Carla",
        "Dev",
        "Elena",
        "Farid",
        "Grace",
        "Hugo",
        "Ines",
        "Jon",
    ] * 4
    with engine.connect() as conn:
        started = time.perf_counter()
        conn.execute(text("SET maintenance_work_mem = '512MB'"))
        conn.execute(text("SET session_replication_role = replica"))  # no FK triggers
        dropped = conn.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                "('filings', 'documents') AND indexname LIKE 'ix_%'"
            )
        ).all()
        # Keys and foreign keys too (those pointing at the two tables as well): made again
        # after the load, the foreign keys last.
        constraints = conn.execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
                "FROM pg_constraint WHERE contype IN ('p', 'u', 'f') AND (conrelid IN "
                "('filings'::regclass, 'documents'::regclass) OR confrelid IN "
                "('filings'::regclass, 'documents'::regclass)) ORDER BY contype = 'f' DESC"
            )
        ).all()
        for table, name, _, _ in constraints:
            conn.execute(text(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"'))
        for name, _ in dropped:
            conn.execute(text(f'DROP INDEX "{name}"'))
        conn.exec_driver_sql(
            _ATTORNEYS_SQL.format(
                first=_array(first_names),
                surnames=_array(SURNAMES),
                n_surnames=len(SURNAMES),
                count=ATTORNEYS,
            )
        )
        conn.exec_driver_sql(
            _FILINGS_SQL.format(
                count=count,
                attorneys=ATTORNEYS,
                phrases=_array(PHRASES),
                n_phrases=len(PHRASES),
                surnames=_array(SURNAMES),
                n_surnames=len(SURNAMES),
                staff=staff_id,
            )
        )
        print(f"filings loaded in {time.perf_counter() - started:.0f} s")
        conn.exec_driver_sql(_DOCUMENTS_SQL)
        print(f"documents loaded in {time.perf_counter() - started:.0f} s")
        for table, name, definition, _ in reversed(constraints):
            conn.exec_driver_sql(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        for _, definition in dropped:
            conn.exec_driver_sql(definition)
        print(f"indexes made in {time.perf_counter() - started:.0f} s")
        # The load ran without triggers: the counts per state are made once, as the migration
        # does for existing filings.
        conn.execute(text("DELETE FROM inbox_state_counts"))
        conn.execute(
            text(
                "INSERT INTO inbox_state_counts (office_id, status, n) SELECT office_id, status, "
                "count(*) FROM filings WHERE passed_checks OR status = 'held' OR decided_by_id "
                "IS NOT NULL GROUP BY office_id, status"
            )
        )
        conn.execute(text("VACUUM ANALYZE"))
        print(f"vacuumed and analysed in {time.perf_counter() - started:.0f} s")
        office = conn.execute(text("SELECT id FROM offices WHERE code = 'ATL'")).scalar_one()
        sample = conn.execute(
            text(
                "SELECT f.receipt_number, f.a_number, u.email, u.full_name FROM filings f "
                "JOIN users u ON u.id = f.attorney_id WHERE f.office_id = :o AND f.passed_checks "
                "ORDER BY f.received_at DESC LIMIT 1 OFFSET 500"
            ),
            {"o": office},
        ).one()
        # The 5,000th row of the default list of all: where page 100 starts.
        deep = conn.execute(
            text(
                "SELECT id FROM filings WHERE office_id = :o AND (passed_checks OR status = "
                "'held' OR decided_by_id IS NOT NULL) ORDER BY detained DESC, next_hearing_on, "
                "received_at, id LIMIT 1 OFFSET :n"
            ),
            {"o": office, "n": min(4949, count // 20)},
        ).scalar_one()
        total = conn.execute(
            text("SELECT count(*) FROM filings WHERE office_id = :o"), {"o": office}
        ).scalar_one()
    engine.dispose()
    return {
        "receipt": sample.receipt_number,
        "a_number": sample.a_number,
        "email": sample.email,
        "surname": sample.full_name.split()[-1],
        "rare_word": "abernathy",
        "deep_after": deep,
        "office_filings": total,
    }
