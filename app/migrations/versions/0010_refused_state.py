"""filings: "refused" (not served: the checks refused the set) apart from "rejected" (served,
then rejected by OCC)

Revision ID: 0010
Revises: 0009

Also: who claimed a served set in the inbox, and each document's own type.

Until now both were "rejected". A set that never passed its checks was never served, so a
"rejected" one without passed checks becomes "refused".
"""

import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

filings = sa.table(
    "filings",
    sa.column("status", sa.String),
    sa.column("passed_checks", sa.Boolean),
)


def upgrade() -> None:
    with op.batch_alter_table("filings") as batch:
        batch.add_column(sa.Column("claimed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("claimed_at", UTCDateTime(), nullable=True))
        batch.create_foreign_key("fk_filings_claimed_by_id_users", "users", ["claimed_by_id"], ["id"])
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("document_type", sa.String(32), nullable=True))
    op.execute(
        filings.update()
        .where(filings.c.status == "rejected", filings.c.passed_checks.is_(False))
        .values(status="refused")
    )


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("document_type")
    with op.batch_alter_table("filings") as batch:
        batch.drop_constraint("fk_filings_claimed_by_id_users", type_="foreignkey")
        batch.drop_column("claimed_at")
        batch.drop_column("claimed_by_id")
    op.execute(filings.update().where(filings.c.status == "refused").values(status="rejected"))
