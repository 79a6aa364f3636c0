"""``flask --app wsgi appearances import FILE.csv`` and ``attorneys suspend | reinstate``."""

from __future__ import annotations

import os

import click
from flask.cli import AppGroup

from registration import suspension
from registration.appearance_import import import_csv

appearances_cli = AppGroup("appearances", help="E-28 appearance records.")


@appearances_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path: str) -> None:
    """Import E-28 records from a CSV file (header: appearance_import.CSV_HEADER); bad rows are
    reported by line and skipped."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            report = import_csv(
                stream,
                actor_label=f"cli:{click.format_filename(path)}",
                import_name=os.path.basename(path),
            )
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path} is not UTF-8 text (byte {exc.start})") from None
    for line in report.errors:
        click.echo(line, err=True)
    click.echo(
        f"{report.added} added, {report.duplicates} already on file, "
        f"{len(report.errors)} rows skipped."
    )
    if report.errors and not report.added and not report.duplicates:
        raise SystemExit(1)


attorneys_cli = AppGroup("attorneys", help="Attorney accounts: suspension.")


@attorneys_cli.command("suspend")
@click.argument("email")
@click.option("--reason", required=True, help="Why; the attorney is e-mailed it.")
def suspend_command(email: str, reason: str) -> None:
    """Suspend a verified attorney: ends their sessions and revokes their API tokens."""
    try:
        profile = suspension.attorney_by_email(email)
        suspension.suspend(profile.user_id, reason, actor_label="cli")
    except suspension.SuspensionError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{profile.user.email} is suspended; sessions ended, API tokens revoked.")


@attorneys_cli.command("reinstate")
@click.argument("email")
def reinstate_command(email: str) -> None:
    """Reinstate a suspended attorney."""
    try:
        profile = suspension.attorney_by_email(email)
        suspension.reinstate(profile.user_id, actor_label="cli")
    except suspension.SuspensionError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{profile.user.email} is reinstated.")
