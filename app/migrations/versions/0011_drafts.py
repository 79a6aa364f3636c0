"""drafts: a set in progress per attorney (typed fields and the files that passed intake), kept
a day so a refused set or an expired session never makes the attorney pick files again

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft_sets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_draft_sets_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_sets")),
        sa.UniqueConstraint("owner_id", name=op.f("uq_draft_sets_owner_id")),
    )
    with op.batch_alter_table("draft_sets") as batch:
        batch.create_index(batch.f("ix_draft_sets_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "draft_files",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("draft_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("document_type", sa.String(length=32), nullable=True),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["draft_sets.id"], name=op.f("fk_draft_files_draft_id_draft_sets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_files")),
        sa.UniqueConstraint("draft_id", "sha256", name=op.f("uq_draft_files_draft_id_sha256")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_draft_files_storage_key")),
    )
    with op.batch_alter_table("draft_files") as batch:
        batch.create_index(batch.f("ix_draft_files_draft_id"), ["draft_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("draft_files") as batch:
        batch.drop_index(batch.f("ix_draft_files_draft_id"))
    op.drop_table("draft_files")
    with op.batch_alter_table("draft_sets") as batch:
        batch.drop_index(batch.f("ix_draft_sets_updated_at"))
    op.drop_table("draft_sets")
