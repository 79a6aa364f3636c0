"""attorney_profiles: the OCC field office where most of the attorney's cases are

Revision ID: 0015
Revises: 0014

Staff of each office work the registrations of attorneys who practise there first. Profiles
registered before this have no office (NULL) and are listed under "All offices".
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attorney_profiles") as batch:
        batch.add_column(sa.Column("practice_office_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_attorney_profiles_practice_office_id_offices"),
            "offices",
            ["practice_office_id"],
            ["id"],
        )
        batch.create_index(
            batch.f("ix_attorney_profiles_practice_office_id"), ["practice_office_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("attorney_profiles") as batch:
        batch.drop_index(batch.f("ix_attorney_profiles_practice_office_id"))
        batch.drop_constraint(
            batch.f("fk_attorney_profiles_practice_office_id_offices"), type_="foreignkey"
        )
        batch.drop_column("practice_office_id")
