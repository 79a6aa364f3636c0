"""filings: signed receipts, families (riders), corrections, the served stamp, updated_at

Revision ID: 0016
Revises: 0015

- signed_receipts: each signed receipt (JWS) issued, with its RFC 3161 time-stamp token.
- filing_riders: the riders' A-Numbers of a family served under the lead's.
- filings.corrects_id: the refused set a set corrects.
- filings.updated_at: moved by every change to the row, for the API's reconciliation feed;
  existing rows take their last known change (decision, check or receipt).
- documents.stamped_storage_key / stamped_at: the stamped copy staff read.
- notifications.attachment: what to attach, made when the notice is sent.
"""

import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signed_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_number", sa.String(40), nullable=False),
        sa.Column("filing_id", sa.String(36), nullable=True),
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("jws", sa.Text(), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("timestamp_token", sa.LargeBinary(), nullable=True),
        sa.Column("timestamped_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["filings.id"], name="fk_signed_receipts_filing_id_filings"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_signed_receipts"),
    )
    op.create_index("ix_signed_receipts_receipt_number", "signed_receipts", ["receipt_number"])
    op.create_index("ix_signed_receipts_filing_id", "signed_receipts", ["filing_id"])

    op.create_table(
        "filing_riders",
        sa.Column("filing_id", sa.String(36), nullable=False),
        sa.Column("a_number", sa.String(9), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["filings.id"], name="fk_filing_riders_filing_id_filings"
        ),
        sa.PrimaryKeyConstraint("filing_id", "a_number", name="pk_filing_riders"),
    )
    op.create_index("ix_filing_riders_a_number", "filing_riders", ["a_number"])

    # Plain ALTERs on SQLite too: a batch would copy the table and drop its triggers (0012).
    sqlite = op.get_bind().dialect.name == "sqlite"
    # SQLite adds a NOT NULL column only with a constant default; every row is set just below.
    default = "'1970-01-01 00:00:00.000000'" if sqlite else "CURRENT_TIMESTAMP"
    op.add_column(
        "filings",
        sa.Column("updated_at", UTCDateTime(), nullable=False, server_default=sa.text(default)),
    )
    if sqlite:  # alembic adds no constraint to a SQLite table; SQLite's own ALTER does
        op.execute(
            "ALTER TABLE filings ADD COLUMN corrects_id VARCHAR(36) "
            "CONSTRAINT fk_filings_corrects_id_filings REFERENCES filings (id)"
        )
    else:
        op.add_column("filings", sa.Column("corrects_id", sa.String(36), nullable=True))
        op.create_foreign_key(
            "fk_filings_corrects_id_filings", "filings", "filings", ["corrects_id"], ["id"]
        )
    op.create_index("ix_filings_corrects_id", "filings", ["corrects_id"])
    op.create_index("ix_filings_updated", "filings", ["updated_at", "id"])
    op.execute(
        "UPDATE filings SET updated_at = COALESCE(decided_at, checked_at, received_at)"
    )

    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("stamped_storage_key", sa.String(200), nullable=True))
        batch.add_column(sa.Column("stamped_at", UTCDateTime(), nullable=True))
        batch.create_unique_constraint(
            "uq_documents_stamped_storage_key", ["stamped_storage_key"]
        )

    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("attachment", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("attachment")
    with op.batch_alter_table("documents") as batch:
        batch.drop_constraint("uq_documents_stamped_storage_key", type_="unique")
        batch.drop_column("stamped_at")
        batch.drop_column("stamped_storage_key")
    op.drop_index("ix_filings_updated", table_name="filings")
    op.drop_index("ix_filings_corrects_id", table_name="filings")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE filings DROP COLUMN corrects_id")
    else:
        op.drop_constraint("fk_filings_corrects_id_filings", "filings", type_="foreignkey")
        op.drop_column("filings", "corrects_id")
    op.drop_column("filings", "updated_at")
    op.drop_index("ix_filing_riders_a_number", table_name="filing_riders")
    op.drop_table("filing_riders")
    op.drop_index("ix_signed_receipts_filing_id", table_name="signed_receipts")
    op.drop_index("ix_signed_receipts_receipt_number", table_name="signed_receipts")
    op.drop_table("signed_receipts")
