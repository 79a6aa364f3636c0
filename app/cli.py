"""Command-line tools: ``flask --app wsgi demo | db upgrade | seed-demo | users ... | jobs ...``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app import audit, db, migrate
from app.offices import office_by_code, seed_offices
from app.users import Role, User, normalise_email, user_by_email

db_cli = AppGroup("db", help="The database schema.")
users_cli = AppGroup("users", help="Staff and administrator accounts.")
jobs_cli = AppGroup("jobs", help="Background jobs.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema to the newest migration, and seed the field offices."""
    migrate.upgrade(current_app.config["ESERVICE"].database_url)
    added = seed_offices()
    db.session.commit()
    click.echo(f"Database is at the newest schema; {added} field offices added.")


def create_user(
    email: str, full_name: str, role: Role, password: str, office_code: str | None = None
) -> User:
    office = None
    if office_code:
        office = office_by_code(office_code)
        if office is None:
            raise click.BadParameter(f"no office with code {office_code!r}", param_hint="--office")
    if user_by_email(email):
        raise click.BadParameter(f"{email} already has an account", param_hint="EMAIL")
    user = User(email=normalise_email(email), full_name=full_name, role=role, office=office)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.create",
        obj_type="user",
        obj_id=user.id,
        actor_label="cli",
        role=role,
        office=office_code,
    )
    return user


@users_cli.command("create-staff")
@click.argument("email")
@click.option("--office", "office_code", required=True, help="Field office code, e.g. ATL.")
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--admin", is_flag=True, help="Also an administrator.")
def create_staff(email: str, office_code: str, full_name: str, admin: bool) -> None:
    """Create an OCC staff account and print its first password (changed at the first login,
    after a second factor is set up)."""
    from app.staff import StaffError
    from app.staff import create_staff as create

    try:
        user, password = create(
            None, email, full_name or email.split("@")[0], office_code.upper(), admin
        )
    except StaffError as exc:
        hint = {"email": "EMAIL", "office": "--office", "full_name": "--name"}[exc.field]
        raise click.BadParameter(str(exc), param_hint=hint) from None
    click.echo(
        f"Created {user.role} {user.email} for {user.office.code if user.office else '-'}; "
        f"password: {password}"
    )


def _staff_account(email: str) -> User:
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    return user


@users_cli.command("deactivate")
@click.argument("email")
@click.option("--reason", required=True, help="Why the account is deactivated (audited).")
def deactivate(email: str, reason: str) -> None:
    """Deactivate a staff account: it cannot log in, and its open sessions end at once."""
    from app.accounts import AccountError, deactivate_user

    user = _staff_account(email)
    try:
        deactivate_user(None, user, reason)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Deactivated {user.email}; its sessions are ended.")


@users_cli.command("reactivate")
@click.argument("email")
def reactivate(email: str) -> None:
    """Let a deactivated staff account log in again."""
    from app.accounts import AccountError, reactivate_user

    user = _staff_account(email)
    try:
        reactivate_user(None, user)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Reactivated {user.email}; it can log in again.")


@jobs_cli.command("run-pending")
def run_pending() -> None:
    """Send on jobs whose dispatch did not happen (after an outage or a crash)."""
    import workers

    click.echo(f"{workers.run_pending()} jobs sent on.")


@jobs_cli.command("sweep")
@click.option(
    "--older-than",
    "older_than",
    default=300,
    show_default=True,
    help="Seconds a filing or notice may wait before its job is queued again.",
)
def sweep(older_than: int) -> None:
    """Queue again the checks and notices that have waited too long (what the scheduler does)."""
    from app.notifications import sweep_unsent
    from filings.jobs import sweep_stale_filings

    filings = sweep_stale_filings(older_than)
    notices = sweep_unsent(older_than)
    click.echo(f"{filings} checks and {notices} notices queued again.")


@click.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--name", default=None, help="Worker name (default: host and pid).")
@with_appcontext
def worker(queues: tuple[str, ...], burst: bool, name: str | None) -> None:
    """Run an RQ worker for QUEUES (default: checks mail maintenance)."""
    from workers.queues import ALL, CHECKS
    from workers.rq_runner import run_worker

    settings = current_app.config["ESERVICE"]
    if not settings.redis_url:
        raise click.ClickException("ESERVICE_REDIS_URL is not set: jobs run inline, no worker")
    unknown = set(queues) - set(ALL)
    if unknown:
        raise click.BadParameter(f"unknown queues: {', '.join(sorted(unknown))}")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if CHECKS in (queues or ALL):
        from filings.sandbox import start_check_server

        start_check_server()  # each work horse forks its checker children from it
    run_worker(app, queues or ALL, burst=burst, name=name)


@click.command("scheduler")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between ticks.")
@click.option("--once", is_flag=True, help="One tick, then stop.")
@with_appcontext
def scheduler(interval: float, once: bool) -> None:
    """Relay pending outbox jobs and enqueue the periodic jobs of app/schedule.py."""
    from app.schedule import SCHEDULE
    from workers.scheduler import run

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run(app, SCHEDULE, interval, once=once)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, help="Port to listen on.")
@click.pass_context
def demo(ctx: click.Context, host: str, port: int) -> None:
    """Everything to try the app at once: upgrade the schema, put the USWDS assets in place
    when missing, seed the demo accounts with filings in every state, and serve."""
    from werkzeug.serving import run_simple

    from app import assets
    from app.demo import seed_demo

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ctx.invoke(db_upgrade)
    assets.ensure(app)
    params = {p.name for p in seed_demo.params}
    ctx.invoke(seed_demo, **({"with_filings": True} if "with_filings" in params else {}))
    click.echo(f"Serving on http://{host}:{port} (Ctrl-C to stop)")
    run_simple(host, port, app, threaded=True, use_reloader=False)


def init_app(app: Flask) -> None:
    from app.audit_cli import audit_cli
    from app.demo import seed_demo
    from filings.cli import tokens_cli
    from filings.receipt_cli import receipts_cli
    from registration.cli import appearances_cli, attorneys_cli

    for group in (
        db_cli,
        users_cli,
        jobs_cli,
        tokens_cli,
        receipts_cli,
        appearances_cli,
        attorneys_cli,
        audit_cli,
    ):
        app.cli.add_command(group)
    for command in (seed_demo, demo, worker, scheduler):
        app.cli.add_command(command)
