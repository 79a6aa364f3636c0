"""``flask --app wsgi audit ...``: the audit log from the command line."""

from __future__ import annotations

import re

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import Engine, text

from app.audit_chain import verify

audit_cli = AppGroup("audit", help="The audit log.")

ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _engine() -> Engine:
    engine: Engine = current_app.extensions["eservice.engine"]
    return engine


@audit_cli.command("verify")
@click.option("--last", type=click.IntRange(min=1), default=None, help="Only the last N events.")
def verify_command(last: int | None) -> None:
    """Walk the hash chain; name the first edited, deleted or reordered event and exit 1."""
    report = verify(_engine(), last=last)
    if not report.intact:
        where = f"event id {report.event_id}" if report.event_id is not None else "the chain"
        click.echo(f"Audit chain broken at {where}: {report.problem}", err=True)
        click.echo(f"({report.checked} events before it are intact.)", err=True)
        raise SystemExit(1)
    assert report.head is not None
    click.echo(
        f"Audit chain intact: {report.checked} events checked"
        f"{'' if last is None else f' (the last {last})'}; head seq {report.head.seq}, "
        f"hash {report.head.hash}"
    )


def app_role_statements(role: str, database: str) -> list[str]:
    """GRANT/REVOKE statements for a role the app connects as: it may read and write every
    table but may not change or remove audit events, nor move the chain head back."""
    if not ROLE_NAME.match(role):
        raise click.BadParameter("a role name is letters, digits and _", param_hint="ROLE")
    return [
        f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"',
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        # Tables and sequences later migrations create (run by this owner) get the same.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "{role}"',
        f'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_events FROM "{role}"',
        f'REVOKE DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_chain_head FROM "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM "{role}"',
    ]


@audit_cli.command("grant-app-role")
@click.argument("role")
@click.option("--execute", is_flag=True, help="Run the statements instead of printing them.")
def grant_app_role(role: str, execute: bool) -> None:
    """Print (or run) the grants for ROLE, the PostgreSQL role the app connects as.

    Run the migrations as the owner of the tables, and the app as ROLE: it cannot UPDATE,
    DELETE or TRUNCATE audit_events, and cannot disable the triggers (only an owner can).
    Run it again after each upgrade.
    """
    engine = _engine()
    if engine.dialect.name != "postgresql":
        raise click.ClickException("roles and grants are PostgreSQL's; SQLite has triggers only")
    statements = app_role_statements(role, engine.url.database or "")
    if not execute:
        for statement in statements:
            click.echo(statement + ";")
        return
    with engine.begin() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        if not exists:
            raise click.ClickException(f"no role {role!r}: CREATE ROLE {role} LOGIN PASSWORD ...")
        for statement in statements:
            conn.execute(text(statement))
    click.echo(f"Granted {role} the app's rights; audit_events is insert-only for it.")
