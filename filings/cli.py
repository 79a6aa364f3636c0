"""``flask --app wsgi tokens create EMAIL``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.users import user_by_email
from filings.tokens import create_token
from registration.services import is_verified_attorney

tokens_cli = AppGroup("tokens", help="API tokens for case-management software.")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="CLI token", help="What the token is for.")
def create(email: str, name: str) -> None:
    """Issue an API token for a verified attorney and print it (shown only once)."""
    user = user_by_email(email)
    if user is None or not is_verified_attorney(user):
        raise click.ClickException(f"{email} is not a verified attorney")
    click.echo(create_token(user, name, actor_label="cli"))
