"""``flask --app wsgi seed-demo``: demo staff, a verified attorney and E-28 records.

Idempotent. Passwords are generated on the first run and kept in the instance folder (never in
the repository), so later runs print the same ones.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app import audit, db
from app.offices import seed_offices
from app.users import Role, user_by_email
from registration.models import Appearance, AttorneyProfile, ClaimedANumber, RegistrationState

DEMO_STAFF = (
    ("admin@demo.eservice.localhost", "Avery Admin", Role.ADMIN, "ATL"),
    ("staff.atl@demo.eservice.localhost", "Sam Staff (Atlanta)", Role.STAFF, "ATL"),
    ("staff.nyc@demo.eservice.localhost", "Noor Staff (New York City)", Role.STAFF, "NYC"),
)
DEMO_ATTORNEY = "attorney@demo.eservice.localhost"
DEMO_EOIR_ID = "DE123456"
DEMO_A_NUMBERS = ("012345678", "087654321")


def _passwords(path: Path) -> dict[str, str]:
    saved = json.loads(path.read_text()) if path.exists() else {}
    emails = [e for e, *_ in DEMO_STAFF] + [DEMO_ATTORNEY]
    changed = False
    for email in emails:
        if email not in saved:
            saved[email] = secrets.token_urlsafe(12)
            changed = True
    if changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(saved, out, indent=2)
    return saved


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create demo accounts and E-28 records (idempotent) and print the demo logins."""
    from app.cli import create_user

    settings = current_app.config["ESERVICE"]
    if settings.env == "production":
        raise click.ClickException("seed-demo is refused in production")
    seed_offices()
    db.session.flush()
    passwords = _passwords(settings.data_dir / "demo-accounts.json")
    for email, name, role, office in DEMO_STAFF:
        if user_by_email(email) is None:
            create_user(email, name, role, passwords[email], office)
    attorney = user_by_email(DEMO_ATTORNEY)
    if attorney is None:
        attorney = create_user(
            DEMO_ATTORNEY, "Dana Demo, Esq.", Role.ATTORNEY, passwords[DEMO_ATTORNEY]
        )
        now = db.utcnow()
        db.session.add(
            AttorneyProfile(
                user=attorney,
                state=RegistrationState.VERIFIED,
                eoir_id=DEMO_EOIR_ID,
                bar_state="NY",
                bar_number="1234567",
                firm="Demo Immigration Law PLLC",
                phone="+1 212 555 0100",
                mailing_address="1 Demo Plaza\nNew York, NY 10007",
                submitted_at=now,
                decided_at=now,
                decision_reason="demo data",
                claims=[ClaimedANumber(a_number=n) for n in DEMO_A_NUMBERS],
            )
        )
    existing = set(db.session.scalars(select(Appearance.natural_key)))
    for number in DEMO_A_NUMBERS:
        key = f"{number}|{DEMO_EOIR_ID}|NY|1234567|2026-01-15"
        if key not in existing:
            db.session.add(
                Appearance(
                    a_number=number,
                    attorney_name="Dana Demo",
                    bar_state="NY",
                    bar_number="1234567",
                    eoir_id=DEMO_EOIR_ID,
                    filed_on=date(2026, 1, 15),
                    natural_key=key,
                    source="import",
                )
            )
    audit.record("demo.seed", actor_label="cli")
    db.session.commit()
    click.echo(f"Demo accounts (also in {settings.data_dir / 'demo-accounts.json'}):")
    for email, _name, role, office in DEMO_STAFF:
        click.echo(f"  {role:<8} {office}  {email}  password: {passwords[email]}")
    click.echo(
        f"  attorney      {DEMO_ATTORNEY}  password: {passwords[DEMO_ATTORNEY]}  "
        f"(verified; E-28 on file for A{DEMO_A_NUMBERS[0]}, A{DEMO_A_NUMBERS[1]})"
    )
