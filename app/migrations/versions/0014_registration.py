"""appearances: the file an imported E-28 record came from

Revision ID: 0014
Revises: 0013

Staff searching the E-28 records see where each one came from: an import (which file), or a
staff member (created_by_id). Records imported before this have no file name.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("appearances") as batch:
        batch.add_column(sa.Column("import_name", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appearances") as batch:
        batch.drop_column("import_name")
