"""filings: staff decisions with an undo window (the attorney's notice waits for it to close),
and each office's rejection reason templates

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

WAITING = sa.text("notified_at IS NULL AND undone_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "filing_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("previous_status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.Column("undo_until", UTCDateTime(), nullable=False),
        sa.Column("undone_at", UTCDateTime(), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("notified_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["filings.id"], name="fk_filing_decisions_filing_id_filings"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name="fk_filing_decisions_decided_by_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["users.id"], name="fk_filing_decisions_undone_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_filing_decisions"),
    )
    op.create_index("ix_filing_decisions_filing_id", "filing_decisions", ["filing_id"])
    op.create_index(
        "ix_filing_decisions_waiting",
        "filing_decisions",
        ["undo_until"],
        postgresql_where=WAITING,
        sqlite_where=WAITING,
    )
    op.create_table(
        "reason_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name="fk_reason_templates_office_id_offices"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reason_templates"),
        sa.UniqueConstraint("office_id", "title", name="uq_reason_templates_office_id_title"),
    )
    op.create_index("ix_reason_templates_office_id", "reason_templates", ["office_id"])


def downgrade() -> None:
    op.drop_index("ix_reason_templates_office_id", table_name="reason_templates")
    op.drop_table("reason_templates")
    op.drop_index("ix_filing_decisions_waiting", table_name="filing_decisions")
    op.drop_index("ix_filing_decisions_filing_id", table_name="filing_decisions")
    op.drop_table("filing_decisions")
