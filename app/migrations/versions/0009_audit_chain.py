"""audit events chained by hash, append-only in the database

Revision ID: 0009
Revises: 0008

Every audit event gets its place in the chain (seq), the hash of the event before it and its
own hash (app/audit_chain.py); the rows already there are chained in id order. One head row
records the last event. Triggers refuse UPDATE and DELETE of audit_events (and TRUNCATE on
PostgreSQL) and let the head only move forward to an event of the chain. The foreign key from
actor_id to users goes: the log outlives accounts, and its commit waits on no other table.
"""

from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from app.audit_chain import GENESIS, event_hash
from app.db import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("seq", sa.Integer),
    sa.column("at", UTCDateTime),
    sa.column("actor_id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("outcome", sa.String),
    sa.column("ip", sa.String),
    sa.column("user_agent", sa.String),
    sa.column("detail", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
head = sa.table(
    "audit_chain_head",
    sa.column("id", sa.Integer),
    sa.column("seq", sa.Integer),
    sa.column("event_id", sa.Integer),
    sa.column("hash", sa.String),
)

REFUSED = "audit_events is append-only"
HEAD_REFUSED = "audit_chain_head only moves forward, to an event of the chain"
# The head may be written unchanged (taking its lock) or moved forward to an existing event.
HEAD_MOVE_ALLOWED = """NEW.id = OLD.id AND (
    (NEW.seq = OLD.seq AND NEW.hash = OLD.hash AND NEW.event_id IS NOT DISTINCT FROM OLD.event_id)
    OR (NEW.seq > OLD.seq AND EXISTS (SELECT 1 FROM audit_events e
        WHERE e.seq = NEW.seq AND e.hash = NEW.hash AND e.id = NEW.event_id)))"""

POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSED}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()""",
    f"""CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF {HEAD_MOVE_ALLOWED} THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION '{HEAD_REFUSED}: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only()""",
    """CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_forward_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_chain_head_no_truncate ON audit_chain_head",
    "DROP TRIGGER IF EXISTS audit_chain_head_forward_only ON audit_chain_head",
    "DROP FUNCTION IF EXISTS audit_chain_head_forward_only()",
    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
    "DROP TRIGGER IF EXISTS audit_events_no_update_delete ON audit_events",
    "DROP FUNCTION IF EXISTS audit_events_refuse_change()",
]
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{REFUSED}: UPDATE refused'); END""",
    f"""CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{REFUSED}: DELETE refused'); END""",
    f"""CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
    BEGIN SELECT RAISE(ABORT, '{HEAD_REFUSED}: DELETE refused'); END""",
    f"""CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_chain_head
    WHEN NOT ({HEAD_MOVE_ALLOWED.replace("IS NOT DISTINCT FROM", "IS")})
    BEGIN SELECT RAISE(ABORT, '{HEAD_REFUSED}: UPDATE refused'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_chain_head_forward_only",
    "DROP TRIGGER IF EXISTS audit_chain_head_no_delete",
    "DROP TRIGGER IF EXISTS audit_events_no_delete",
    "DROP TRIGGER IF EXISTS audit_events_no_update",
]


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch_op.drop_constraint("fk_audit_events_actor_id_users", type_="foreignkey")
        batch_op.create_index("ix_audit_events_actor", ["actor"], unique=False)
        batch_op.create_index("ix_audit_events_object", ["object_type", "object_id"], unique=False)
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    bind = op.get_bind()
    seq, last_id, last_hash = _chain_existing(bind)
    op.execute(head.insert().values(id=1, seq=seq, event_id=last_id, hash=last_hash))
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_audit_events_seq", ["seq"])
    # Last: on SQLite a batch operation rebuilds the table and would drop its triggers.
    for statement in POSTGRES_TRIGGERS if bind.dialect.name == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def _chain_existing(bind: sa.Connection) -> tuple[int, int | None, str]:
    """Chain the events already stored, in id order; return the head (seq, id, hash)."""
    seq, last_id, prev_hash = 0, None, GENESIS
    rows = bind.execute(sa.select(events).order_by(events.c.id)).all()
    for row in rows:
        seq += 1
        chained = SimpleNamespace(**{**row._asdict(), "seq": seq})
        digest = event_hash(chained, prev_hash)
        bind.execute(
            events.update()
            .where(events.c.id == row.id)
            .values(seq=seq, prev_hash=prev_hash, hash=digest)
        )
        last_id, prev_hash = row.id, digest
    return seq, last_id, prev_hash


def downgrade() -> None:
    bind = op.get_bind()
    for statement in POSTGRES_DROP if bind.dialect.name == "postgresql" else SQLITE_DROP:
        op.execute(statement)
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_events_seq", type_="unique")
        batch_op.drop_index("ix_audit_events_object")
        batch_op.drop_index("ix_audit_events_actor")
        batch_op.create_foreign_key("fk_audit_events_actor_id_users", "users", ["actor_id"], ["id"])
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
