"""filings: indexes for an office's inbox of years of filings (each list in its own order,
title words by trigram on PostgreSQL), and the count of its sets in each state, kept by triggers

Revision ID: 0012
Revises: 0011
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

IN_INBOX = sa.text("passed_checks OR status = 'held' OR decided_by_id IS NOT NULL")
CLAIMED = sa.text("claimed_by_id IS NOT NULL")

INBOX_INDEXES: dict[str, list[Any]] = {
    "ix_filings_inbox_urgent": [
        "office_id",
        sa.text("detained DESC"),
        "next_hearing_on",
        "received_at",
        "id",
    ],
    "ix_filings_inbox_state_urgent": [
        "office_id",
        "status",
        sa.text("detained DESC"),
        "next_hearing_on",
        "received_at",
        "id",
    ],
    "ix_filings_inbox_received": ["office_id", "received_at", "id"],
    "ix_filings_inbox_state_received": ["office_id", "status", "received_at", "id"],
    "ix_filings_inbox_hearing": ["office_id", "next_hearing_on", "received_at", "id"],
    "ix_filings_inbox_attorney": ["office_id", "attorney_id"],
}


# Counted by the database itself, so every way a state changes (a decision, an undo, a check, a
# bulk accept, a script) keeps the counts right, and a page reads a handful of rows instead of
# counting years of filings.
IN_INBOX_OF = "({row}.passed_checks OR {row}.status = 'held' OR {row}.decided_by_id IS NOT NULL)"
REFILL = f"""
INSERT INTO inbox_state_counts (office_id, status, n)
SELECT office_id, status, count(*) FROM filings WHERE {IN_INBOX_OF.format(row="filings")}
GROUP BY office_id, status
"""
PG_FUNCTION = f"""
CREATE FUNCTION inbox_state_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_in boolean := TG_OP <> 'INSERT' AND {IN_INBOX_OF.format(row="OLD")};
  new_in boolean := TG_OP <> 'DELETE' AND {IN_INBOX_OF.format(row="NEW")};
  step record;
BEGIN
  -- Counter rows are changed in one order (office, state), so two moves in opposite
  -- directions (an accept and an undo) cannot deadlock.
  FOR step IN
    SELECT * FROM (
      SELECT OLD.office_id AS office_id, OLD.status AS status, -1 AS delta WHERE old_in
      UNION ALL
      SELECT NEW.office_id, NEW.status, 1 WHERE new_in
    ) AS steps ORDER BY office_id, status
  LOOP
    INSERT INTO inbox_state_counts (office_id, status, n)
    VALUES (step.office_id, step.status, step.delta)
    ON CONFLICT (office_id, status) DO UPDATE SET n = inbox_state_counts.n + step.delta;
  END LOOP;
  RETURN NULL;
END $$
"""
PG_TRIGGER = """
CREATE TRIGGER inbox_state_count AFTER INSERT OR DELETE
OR UPDATE OF status, passed_checks, decided_by_id, office_id ON filings
FOR EACH ROW EXECUTE FUNCTION inbox_state_count()
"""
SQLITE_ADD = """
INSERT INTO inbox_state_counts (office_id, status, n) VALUES (NEW.office_id, NEW.status, 1)
ON CONFLICT (office_id, status) DO UPDATE SET n = n + 1;
"""
SQLITE_REMOVE = """
UPDATE inbox_state_counts SET n = n - 1 WHERE office_id = OLD.office_id AND status = OLD.status;
"""
SQLITE_TRIGGERS = {
    "inbox_state_count_insert": f"AFTER INSERT ON filings WHEN {IN_INBOX_OF.format(row='NEW')} "
    f"BEGIN {SQLITE_ADD} END",
    "inbox_state_count_delete": f"AFTER DELETE ON filings WHEN {IN_INBOX_OF.format(row='OLD')} "
    f"BEGIN {SQLITE_REMOVE} END",
    "inbox_state_count_update": "AFTER UPDATE OF status, passed_checks, decided_by_id, "
    "office_id ON filings "
    f"BEGIN {SQLITE_REMOVE.replace(';', ' AND ' + IN_INBOX_OF.format(row='OLD') + ';')} "
    f"INSERT INTO inbox_state_counts (office_id, status, n) "
    f"SELECT NEW.office_id, NEW.status, 1 WHERE {IN_INBOX_OF.format(row='NEW')} "
    "ON CONFLICT (office_id, status) DO UPDATE SET n = n + 1; END",
}


def upgrade() -> None:
    op.create_table(
        "inbox_state_counts",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name="fk_inbox_state_counts_office_id_offices"
        ),
        sa.PrimaryKeyConstraint("office_id", "status", name="pk_inbox_state_counts"),
    )
    op.execute(REFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    else:
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    for name, columns in INBOX_INDEXES.items():
        op.create_index(name, "filings", columns, postgresql_where=IN_INBOX, sqlite_where=IN_INBOX)
    op.create_index(
        "ix_filings_claimed_by",
        "filings",
        ["claimed_by_id"],
        postgresql_where=CLAIMED,
        sqlite_where=CLAIMED,
    )
    if op.get_bind().dialect.name == "postgresql":
        # A trusted extension since PostgreSQL 13: the database's owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in ("email", "full_name"):
        op.create_index(
            f"ix_users_{column}_trgm",
            "users",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )
    op.create_index(
        "ix_filings_title_trgm",
        "filings",
        ["title"],
        postgresql_using="gin",
        postgresql_ops={"title": "gin_trgm_ops"},
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER inbox_state_count ON filings")
        op.execute("DROP FUNCTION inbox_state_count()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("inbox_state_counts")
    op.drop_index("ix_filings_title_trgm", table_name="filings")
    for column in ("email", "full_name"):
        op.drop_index(f"ix_users_{column}_trgm", table_name="users")
    op.drop_index("ix_filings_claimed_by", table_name="filings")
    for name in reversed(INBOX_INDEXES):
        op.drop_index(name, table_name="filings")
