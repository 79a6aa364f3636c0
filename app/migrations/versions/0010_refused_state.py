"""filings: "refused" (not served: the checks refused the set) apart from "rejected" (served,
then rejected by OCC)

Revision ID: 0010
Revises: 0009

Until now both were "rejected". A set that never passed its checks was never served, so a
"rejected" one without passed checks becomes "refused".
"""

import sqlalchemy as sa
from alembic import op

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
    op.execute(
        filings.update()
        .where(filings.c.status == "rejected", filings.c.passed_checks.is_(False))
        .values(status="refused")
    )


def downgrade() -> None:
    op.execute(filings.update().where(filings.c.status == "refused").values(status="rejected"))
