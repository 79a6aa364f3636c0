"""case rights: one verified account per identifier, A-Number requests, self-declared E-28s

Revision ID: 0006
Revises: 0005

Data: bar numbers are normalised as registration.identifiers now does (the same rule that new
rows get); E-28 records get the name key they are matched under, and records that turn out to
be the same record are kept once. Sets served with an E-28 for which no record names the
attorney are marked self-declared. Where two verified (or suspended) accounts held one EOIR ID
or bar admission, the one verified first keeps it and the others go back to staff review, with
an audit event each.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

HOLDING = "state IN ('verified', 'suspended')"

profiles = sa.table(
    "attorney_profiles",
    sa.column("user_id", sa.Integer),
    sa.column("state", sa.String),
    sa.column("bar_state", sa.String),
    sa.column("bar_number", sa.String),
    sa.column("eoir_id", sa.String),
    sa.column("decided_at", sa.DateTime),
    sa.column("decision_reason", sa.Text),
)
appearances = sa.table(
    "appearances",
    sa.column("id", sa.Integer),
    sa.column("a_number", sa.String),
    sa.column("attorney_name", sa.String),
    sa.column("bar_state", sa.String),
    sa.column("bar_number", sa.String),
    sa.column("eoir_id", sa.String),
    sa.column("filed_on", sa.Date),
    sa.column("natural_key", sa.String),
    sa.column("name_key", sa.String),
)
filings = sa.table(
    "filings",
    sa.column("id", sa.String),
    sa.column("attorney_id", sa.Integer),
    sa.column("a_number", sa.String),
    sa.column("includes_e28", sa.Boolean),
    sa.column("self_declared_e28", sa.Boolean),
)
audit_events = sa.table(
    "audit_events",
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("outcome", sa.String),
    sa.column("detail", sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table("attorney_profiles") as batch:
        batch.add_column(sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("suspension_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("appearances") as batch:
        batch.add_column(
            sa.Column("name_key", sa.String(length=200), server_default="", nullable=False)
        )
    with op.batch_alter_table("filings") as batch:
        batch.add_column(
            sa.Column(
                "self_declared_e28", sa.Boolean(), server_default=sa.text("false"), nullable=False
            )
        )
    op.create_table(
        "a_number_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attorney_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attorney_id"],
            ["attorney_profiles.user_id"],
            name=op.f("fk_a_number_requests_attorney_id_attorney_profiles"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_a_number_requests_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_a_number_requests")),
    )
    with op.batch_alter_table("a_number_requests") as batch:
        batch.create_index(
            batch.f("ix_a_number_requests_attorney_id"), ["attorney_id"], unique=False
        )
        batch.create_index(batch.f("ix_a_number_requests_state"), ["state"], unique=False)
    op.create_table(
        "a_number_request_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("a_number", sa.String(length=9), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["a_number_requests.id"],
            name=op.f("fk_a_number_request_items_request_id_a_number_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_a_number_request_items")),
        sa.UniqueConstraint(
            "request_id", "a_number", name=op.f("uq_a_number_request_items_request_id_a_number")
        ),
    )

    conn = op.get_bind()
    _normalise_profiles(conn)
    _normalise_appearances(conn)
    _mark_self_declared(conn)
    _one_holder_per_identifier(conn)

    with op.batch_alter_table("appearances") as batch:
        batch.create_index(batch.f("ix_appearances_eoir_id"), ["eoir_id"], unique=False)
        batch.create_index(batch.f("ix_appearances_name_key"), ["name_key"], unique=False)
        batch.create_index("ix_appearances_bar", ["bar_state", "bar_number"], unique=False)
    op.create_index(
        "uq_attorney_profiles_held_eoir_id",
        "attorney_profiles",
        ["eoir_id"],
        unique=True,
        sqlite_where=sa.text(HOLDING),
        postgresql_where=sa.text(HOLDING),
    )
    op.create_index(
        "uq_attorney_profiles_held_bar",
        "attorney_profiles",
        ["bar_state", "bar_number"],
        unique=True,
        sqlite_where=sa.text(HOLDING),
        postgresql_where=sa.text(HOLDING),
    )


def _bar_number(number: str | None, state: str | None) -> str | None:
    # The rule of registration.identifiers; a value it refuses is left as it was, for staff.
    from registration.identifiers import IdentifierError, normalise_bar_number

    try:
        return normalise_bar_number(number, state)
    except IdentifierError:
        return number


def _normalise_profiles(conn: sa.Connection) -> None:
    for row in conn.execute(
        sa.select(profiles.c.user_id, profiles.c.bar_state, profiles.c.bar_number)
    ):
        number = _bar_number(row.bar_number, row.bar_state)
        if number != row.bar_number:
            conn.execute(
                profiles.update().where(profiles.c.user_id == row.user_id).values(bar_number=number)
            )


def _normalise_appearances(conn: sa.Connection) -> None:
    from registration.names import name_key

    seen: set[str] = set()
    rows = conn.execute(sa.select(appearances).order_by(appearances.c.id)).all()
    for row in rows:
        number = _bar_number(row.bar_number, row.bar_state)
        key = "|".join(
            [
                row.a_number,
                row.eoir_id or "",
                row.bar_state or "",
                number or "",
                str(row.filed_on),
            ]
        )
        if key in seen:  # the same record written two ways: keep the first
            conn.execute(appearances.delete().where(appearances.c.id == row.id))
            continue
        seen.add(key)
        conn.execute(
            appearances.update()
            .where(appearances.c.id == row.id)
            .values(
                bar_number=number,
                natural_key="#" + str(row.id),  # out of the way of the keys being rewritten
                name_key=name_key(row.attorney_name),
            )
        )
    for row in conn.execute(sa.select(appearances)).all():
        key = "|".join(
            [
                row.a_number,
                row.eoir_id or "",
                row.bar_state or "",
                row.bar_number or "",
                str(row.filed_on),
            ]
        )
        conn.execute(appearances.update().where(appearances.c.id == row.id).values(natural_key=key))


def _mark_self_declared(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.select(
            filings.c.id,
            filings.c.a_number,
            profiles.c.eoir_id,
            profiles.c.bar_state,
            profiles.c.bar_number,
        )
        .join(profiles, profiles.c.user_id == filings.c.attorney_id)
        .where(filings.c.includes_e28.is_(True))
    ).all()
    for row in rows:
        names_attorney = []
        if row.eoir_id:
            names_attorney.append(appearances.c.eoir_id == row.eoir_id)
        if row.bar_state and row.bar_number:
            names_attorney.append(
                (appearances.c.bar_state == row.bar_state)
                & (appearances.c.bar_number == row.bar_number)
            )
        on_record = bool(names_attorney) and conn.scalar(
            sa.select(sa.func.count())
            .select_from(appearances)
            .where(appearances.c.a_number == row.a_number, sa.or_(*names_attorney))
        )
        if not on_record:
            conn.execute(
                filings.update().where(filings.c.id == row.id).values(self_declared_e28=True)
            )


def _one_holder_per_identifier(conn: sa.Connection) -> None:
    held: set[tuple[str, ...]] = set()
    rows = conn.execute(
        sa.select(profiles)
        .where(profiles.c.state.in_(["verified", "suspended"]))
        .order_by(profiles.c.decided_at, profiles.c.user_id)
    ).all()
    for row in rows:
        identifiers: list[tuple[str, ...]] = []
        if row.eoir_id:
            identifiers.append(("eoir", row.eoir_id))
        if row.bar_state and row.bar_number:
            identifiers.append(("bar", row.bar_state, row.bar_number))
        if not any(i in held for i in identifiers):
            held.update(identifiers)
            continue
        reason = (
            "Returned to review: another account was verified first with the same EOIR ID or "
            "bar admission."
        )
        conn.execute(
            profiles.update()
            .where(profiles.c.user_id == row.user_id)
            .values(state="pending_review", decision_reason=reason)
        )
        conn.execute(
            audit_events.insert().values(
                at=datetime.now(UTC),
                actor="system",
                action="registration.returned_to_review",
                object_type="user",
                object_id=str(row.user_id),
                outcome="success",
                detail={"reason": reason, "previous_state": row.state},
            )
        )


def downgrade() -> None:
    op.drop_index("uq_attorney_profiles_held_bar", table_name="attorney_profiles")
    op.drop_index("uq_attorney_profiles_held_eoir_id", table_name="attorney_profiles")
    with op.batch_alter_table("appearances") as batch:
        batch.drop_index("ix_appearances_bar")
        batch.drop_index(batch.f("ix_appearances_name_key"))
        batch.drop_index(batch.f("ix_appearances_eoir_id"))
        batch.drop_column("name_key")
    op.drop_table("a_number_request_items")
    with op.batch_alter_table("a_number_requests") as batch:
        batch.drop_index(batch.f("ix_a_number_requests_state"))
        batch.drop_index(batch.f("ix_a_number_requests_attorney_id"))
    op.drop_table("a_number_requests")
    with op.batch_alter_table("filings") as batch:
        batch.drop_column("self_declared_e28")
    with op.batch_alter_table("attorney_profiles") as batch:
        batch.drop_column("suspension_reason")
        batch.drop_column("suspended_at")
