"""filings: indexes for an office's inbox of years of filings (each list in its own order, the
states counted from an index, title words by trigram on PostgreSQL)

Revision ID: 0012
Revises: 0010
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
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
}


def upgrade() -> None:
    for name, columns in INBOX_INDEXES.items():
        op.create_index(
            name, "filings", columns, postgresql_where=IN_INBOX, sqlite_where=IN_INBOX
        )
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
    op.create_index(
        "ix_filings_title_trgm",
        "filings",
        ["title"],
        postgresql_using="gin",
        postgresql_ops={"title": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_filings_title_trgm", table_name="filings")
    op.drop_index("ix_filings_claimed_by", table_name="filings")
    for name in reversed(INBOX_INDEXES):
        op.drop_index(name, table_name="filings")
