"""filings: document sets OCC serves on the attorneys of record

Revision ID: 0017
Revises: 0016

- occ_services: a set an office serves on the attorneys of record for an A-Number.
- occ_service_documents: its documents (stored under generated keys, like filings').
- occ_service_recipients: each attorney it is served on, and when they first opened it.
"""

import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "occ_services",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("receipt_number", sa.String(40), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("served_by_id", sa.Integer(), nullable=False),
        sa.Column("a_number", sa.String(9), nullable=False),
        sa.Column("document_type", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=True),
        sa.Column("served_at", UTCDateTime(), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("check_attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name="fk_occ_services_office_id_offices"
        ),
        sa.ForeignKeyConstraint(
            ["served_by_id"], ["users.id"], name="fk_occ_services_served_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_occ_services"),
        sa.UniqueConstraint("receipt_number", name="uq_occ_services_receipt_number"),
        sa.UniqueConstraint(
            "served_by_id", "idempotency_key", name="uq_occ_services_served_by_id_idempotency_key"
        ),
    )
    op.create_index("ix_occ_services_office_id", "occ_services", ["office_id"])
    op.create_index("ix_occ_services_a_number", "occ_services", ["a_number"])
    op.create_index("ix_occ_services_status", "occ_services", ["status"])
    op.create_index("ix_occ_services_received_at", "occ_services", ["received_at"])

    op.create_table(
        "occ_service_documents",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("service_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("document_type", sa.String(32), nullable=True),
        sa.Column("warnings", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["occ_services.id"],
            name="fk_occ_service_documents_service_id_occ_services",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_occ_service_documents"),
        sa.UniqueConstraint(
            "service_id", "position", name="uq_occ_service_documents_service_id_position"
        ),
        sa.UniqueConstraint("storage_key", name="uq_occ_service_documents_storage_key"),
    )
    op.create_index("ix_occ_service_documents_service_id", "occ_service_documents", ["service_id"])

    op.create_table(
        "occ_service_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(36), nullable=False),
        sa.Column("attorney_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("eoir_id", sa.String(16), nullable=True),
        sa.Column("bar_state", sa.String(2), nullable=True),
        sa.Column("bar_number", sa.String(32), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["occ_services.id"],
            name="fk_occ_service_recipients_service_id_occ_services",
        ),
        sa.ForeignKeyConstraint(
            ["attorney_id"], ["users.id"], name="fk_occ_service_recipients_attorney_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_occ_service_recipients"),
        sa.UniqueConstraint(
            "service_id", "attorney_id", name="uq_occ_service_recipients_service_id_attorney_id"
        ),
    )
    op.create_index(
        "ix_occ_service_recipients_service_id", "occ_service_recipients", ["service_id"]
    )
    op.create_index(
        "ix_occ_service_recipients_attorney_id", "occ_service_recipients", ["attorney_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_occ_service_recipients_attorney_id", table_name="occ_service_recipients")
    op.drop_index("ix_occ_service_recipients_service_id", table_name="occ_service_recipients")
    op.drop_table("occ_service_recipients")
    op.drop_index("ix_occ_service_documents_service_id", table_name="occ_service_documents")
    op.drop_table("occ_service_documents")
    op.drop_index("ix_occ_services_received_at", table_name="occ_services")
    op.drop_index("ix_occ_services_status", table_name="occ_services")
    op.drop_index("ix_occ_services_a_number", table_name="occ_services")
    op.drop_index("ix_occ_services_office_id", table_name="occ_services")
    op.drop_table("occ_services")
