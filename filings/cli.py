"""``flask --app wsgi tokens create EMAIL [--days N]``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.tokens import MAX_DAYS, MIN_DAYS, create_token, lifetime_days
from app.users import user_by_email
from registration.services import is_verified_attorney

tokens_cli = AppGroup("tokens", help="API tokens for case-management software.")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="CLI token", help="What the token is for.")
@click.option(
    "--days",
    type=click.IntRange(MIN_DAYS, MAX_DAYS),
    default=None,
    help=f"Days until it expires ({MIN_DAYS} to {MAX_DAYS}; default ESERVICE_API_TOKEN_DAYS).",
)
def create(email: str, name: str, days: int | None) -> None:
    """Issue an API token for a verified attorney and print it (shown only once)."""
    user = user_by_email(email)
    if user is None or not is_verified_attorney(user):
        raise click.ClickException(f"{email} is not a verified attorney")
    click.echo(create_token(user, name, actor_label="cli", days=days))
    click.echo(f"It expires in {lifetime_days(days)} days.", err=True)
