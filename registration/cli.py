"""``flask --app wsgi appearances import FILE.csv``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from registration.appearances import import_csv

appearances_cli = AppGroup("appearances", help="E-28 appearance records.")


@appearances_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path: str) -> None:
    """Import E-28 records from a CSV file (header: see registration.appearances.CSV_HEADER)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            report = import_csv(stream, actor_label=f"cli:{click.format_filename(path)}")
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
