"""file checks: "check before you serve" runs as a job; its files wait in the store

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "file_checks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("file_count", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_file_checks_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_checks")),
    )
    with op.batch_alter_table("file_checks") as batch:
        batch.create_index(batch.f("ix_file_checks_created_at"), ["created_at"], unique=False)
        batch.create_index(batch.f("ix_file_checks_owner_id"), ["owner_id"], unique=False)
        batch.create_index(batch.f("ix_file_checks_status"), ["status"], unique=False)

    op.create_table(
        "checked_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["check_id"], ["file_checks.id"], name=op.f("fk_checked_files_check_id_file_checks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checked_files")),
        sa.UniqueConstraint(
            "check_id", "position", name=op.f("uq_checked_files_check_id_position")
        ),
        sa.UniqueConstraint("storage_key", name=op.f("uq_checked_files_storage_key")),
    )
    with op.batch_alter_table("checked_files") as batch:
        batch.create_index(batch.f("ix_checked_files_check_id"), ["check_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("checked_files") as batch:
        batch.drop_index(batch.f("ix_checked_files_check_id"))
    op.drop_table("checked_files")
    with op.batch_alter_table("file_checks") as batch:
        batch.drop_index(batch.f("ix_file_checks_status"))
        batch.drop_index(batch.f("ix_file_checks_owner_id"))
        batch.drop_index(batch.f("ix_file_checks_created_at"))
    op.drop_table("file_checks")
