"""``flask --app wsgi receipts ...``: the receipt signing keys, and checking a receipt offline."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from app import audit, db
from filings import receipt_keys, receipt_signing

receipts_cli = AppGroup("receipts", help="Signed receipts: keys and checking.")


@receipts_cli.command("rotate-key")
def rotate_key() -> None:
    """Make a new signing key; the old one stops signing and stays published."""
    kid, retired = receipt_keys.rotate(date.today())
    audit.record("receipts.key_rotated", actor_label="cli", kid=kid, retired=retired)
    db.session.commit()
    click.echo(f"Receipts are now signed with key {kid}.")
    if retired:
        click.echo(f"Key {retired} is retired: its private key is deleted, its public key stays.")


@receipts_cli.command("keys")
def keys() -> None:
    """List the keys: the current one, and the retired ones still published."""
    for info in receipt_keys.key_list():
        state = "current" if info.current else "retired"
        private = "private key here" if info.can_sign else "public key only"
        click.echo(f"{info.kid}  {state}  {private}")


@receipts_cli.command("jwks")
def jwks() -> None:
    """Print the public keys (the JWKS served at /.well-known/jwks.json)."""
    click.echo(json.dumps(receipt_keys.jwks(), indent=2))


@receipts_cli.command("verify")
@click.argument("receipt", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("documents", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--jwks",
    "jwks_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Check against these public keys instead of this installation's.",
)
def verify(receipt: Path, documents: tuple[Path, ...], jwks_file: Path | None) -> None:
    """Check a signed receipt (FILE.jws) and that each DOCUMENT is one it names."""
    keys = json.loads(jwks_file.read_text()) if jwks_file else receipt_keys.jwks()
    try:
        claims = receipt_signing.verify(receipt.read_text(errors="replace"), keys)
    except receipt_signing.ReceiptInvalid as exc:
        raise click.ClickException(f"NOT VALID: {exc}") from None
    click.echo(summary(claims))
    if not all([_check(doc, claims) for doc in documents]):
        raise click.ClickException("A document is not one this receipt names.")


def summary(claims: dict[str, Any]) -> str:
    office = claims.get("office") or {}
    lines = [
        f"VALID: receipt {claims['receipt_number']}, signed by OCC eService ({claims.get('iss')})",
        f"Office: {office.get('name')} ({office.get('code')})",
        f"Received: {claims.get('received_at_local')} ({claims['received_at']})",
        f"State: {claims['status']} (as of {claims.get('status_at')})",
    ]
    for i, d in enumerate(claims["documents"], start=1):
        lines.append(
            f"  {i}. {d['filename']}: {d['pages']} pages, {d['bytes']} bytes, {d['sha256']}"
        )
    return "\n".join(lines)


def _check(path: Path, claims: dict[str, Any]) -> bool:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    named = [d for d in claims["documents"] if d["sha256"] == digest.hexdigest()]
    if named:
        click.echo(f"MATCH: {path} is {named[0]['filename']} ({digest.hexdigest()})")
    else:
        click.echo(f"NO MATCH: {path} ({digest.hexdigest()}) is not named by this receipt")
    return bool(named)
