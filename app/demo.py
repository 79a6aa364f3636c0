"""``flask --app wsgi seed-demo``: demo staff, two verified attorneys and their E-28 records.

The two attorneys have different A-Numbers, EOIR IDs and bar admissions, so each can try to
serve on the other's cases and see it refused. Idempotent. Passwords are generated on the first
run and kept in the instance folder (never in the repository), so later runs print the same
ones.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app import audit, db
from app.offices import office_by_code, seed_offices
from app.users import Role, user_by_email
from registration.appearances import build_appearance
from registration.models import Appearance, AttorneyProfile, ClaimedANumber, RegistrationState

DEMO_STAFF = (
    ("admin@demo.eservice.localhost", "Avery Admin", Role.ADMIN, "ATL"),
    ("staff.atl@demo.eservice.localhost", "Sam Staff (Atlanta)", Role.STAFF, "ATL"),
    ("staff.nyc@demo.eservice.localhost", "Noor Staff (New York City)", Role.STAFF, "NYC"),
)


@dataclass(frozen=True)
class DemoAttorney:
    email: str
    full_name: str
    name_on_e28: str
    eoir_id: str
    bar_state: str
    bar_number: str
    firm: str
    phone: str
    mailing_address: str
    a_numbers: tuple[str, ...]


DEMO_ATTORNEYS = (
    DemoAttorney(
        "attorney@demo.eservice.localhost",
        "Dana Demo, Esq.",
        "Dana Demo",
        "DE123456",
        "NY",
        "1234567",
        "Demo Immigration Law PLLC",
        "+1 212 555 0100",
        "1 Demo Plaza\nNew York, NY 10007",
        ("012345678", "087654321"),
    ),
    DemoAttorney(
        "attorney2@demo.eservice.localhost",
        "Rafael Ejemplo",
        "Rafael Ejemplo",
        "RE654321",
        "GA",
        "448812",
        "Ejemplo & Asociados LLC",
        "+1 404 555 0199",
        "200 Peachtree St NW\nAtlanta, GA 30303",
        ("023456789", "098765432"),
    ),
)
E28_FILED_ON = date(2026, 1, 15)


def _secrets(path: Path, extra: tuple[str, ...] = ()) -> tuple[dict[str, str], dict[str, str]]:
    """The demo passwords and staff authenticator secrets, made once and kept in ``path``;
    ``extra``: more accounts that need a password."""
    import pyotp

    saved = json.loads(path.read_text()) if path.exists() else {}
    totp: dict[str, str] = saved.pop("totp", {})
    emails = [e for e, *_ in DEMO_STAFF] + [a.email for a in DEMO_ATTORNEYS] + list(extra)
    changed = False
    for email in emails:
        if email not in saved:
            saved[email] = secrets.token_urlsafe(12)
            changed = True
    for email, *_ in DEMO_STAFF:
        if email not in totp:
            totp[email] = pyotp.random_base32()
            changed = True
    if changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump({**saved, "totp": totp}, out, indent=2)
    return saved, totp


def _give_totp(email: str, secret: str) -> None:
    """Staff must log in with a second factor: the demo ones have an authenticator set up."""
    from app import mfa

    user = user_by_email(email)
    if user is None or mfa.has_totp(user):
        return
    mfa.set_up_totp(user, secret)


@click.command("seed-demo")
@click.option(
    "--with-filings",
    is_flag=True,
    help="Also add filings in every state, a registration to verify and an A-Number request.",
)
@with_appcontext
def seed_demo(with_filings: bool) -> None:
    """Create demo accounts and E-28 records (idempotent) and print the demo logins."""
    from app.cli import create_user

    settings = current_app.config["ESERVICE"]
    if settings.env == "production":
        raise click.ClickException("seed-demo is refused in production")
    seed_offices()
    db.session.flush()
    extra = (_pending_email(),) if with_filings else ()
    passwords, totp = _secrets(settings.data_dir / "demo-accounts.json", extra)
    for email, name, role, office in DEMO_STAFF:
        if user_by_email(email) is None:
            # A demo password is not changed at first log-in, so a demo logs straight in.
            create_user(email, name, role, passwords[email], office).must_change_password = False
    db.session.commit()
    for email, *_ in DEMO_STAFF:
        _give_totp(email, totp[email])
    for demo in DEMO_ATTORNEYS:
        seed_attorney(demo, passwords[demo.email])
    audit.record("demo.seed", actor_label="cli")
    db.session.commit()
    if with_filings:
        _seed_work(passwords[_pending_email()])
    click.echo(f"Demo accounts (also in {settings.data_dir / 'demo-accounts.json'}):")
    for email, _name, role, office in DEMO_STAFF:
        click.echo(
            f"  {role:<8} {office}  {email}  password: {passwords[email]}  "
            f"authenticator key: {totp[email]}"
        )
    for demo in DEMO_ATTORNEYS:
        numbers = ", ".join(f"A{n}" for n in demo.a_numbers)
        click.echo(
            f"  attorney      {demo.email}  password: {passwords[demo.email]}  "
            f"(verified; EOIR ID {demo.eoir_id}, bar {demo.bar_state} {demo.bar_number}; "
            f"E-28 on file for {numbers})"
        )
    click.echo(
        "Staff log in with a code too: add the key to an authenticator app, or print the "
        "current code with\n  python -c \"import pyotp; print(pyotp.TOTP('KEY').now())\""
    )
    if with_filings:
        click.echo(
            f"  attorney      {_pending_email()}  password: {passwords[_pending_email()]}  "
            "(registration waiting for staff review)"
        )


def _pending_email() -> str:
    from app.demo_queues import PENDING_ATTORNEY

    return PENDING_ATTORNEY.email


def _seed_work(pending_password: str) -> None:
    """Filings in every state and the staff queues' demo work; prints what was added."""
    from app.demo_filings import seed_filings
    from app.demo_occ_service import seed_occ_service
    from app.demo_queues import seed_queues

    registrant, request = seed_queues(pending_password)
    summary = seed_filings()
    served = "added" if seed_occ_service() else "already there"
    audit.record("demo.seed_filings", actor_label="cli", created=sum(summary.created.values()))
    db.session.commit()
    click.echo(summary.line())
    click.echo(f"A set OCC Atlanta served on the demo attorney ({served}).")
    click.echo(
        f"Staff queues: a registration to verify ({'added' if registrant else 'already there'}), "
        f"an A-Number request ({'added' if request else 'already there'})."
    )


def seed_attorney(
    demo: DemoAttorney, password: str, state: RegistrationState = RegistrationState.VERIFIED
) -> None:
    """An attorney (verified unless ``state`` says otherwise) with an E-28 record for each of
    their A-Numbers."""
    from app.cli import create_user

    if user_by_email(demo.email) is None:
        user = create_user(demo.email, demo.full_name, Role.ATTORNEY, password)
        now = db.utcnow()
        decided = state == RegistrationState.VERIFIED
        db.session.add(
            AttorneyProfile(
                user=user,
                state=state,
                eoir_id=demo.eoir_id,
                bar_state=demo.bar_state,
                bar_number=demo.bar_number,
                firm=demo.firm,
                phone=demo.phone,
                mailing_address=demo.mailing_address,
                practice_office=office_by_code("ATL"),
                submitted_at=now,
                decided_at=now if decided else None,
                decision_reason="demo data" if decided else None,
                claims=[ClaimedANumber(a_number=n) for n in demo.a_numbers],
            )
        )
    existing = set(db.session.scalars(select(Appearance.natural_key)))
    for number in demo.a_numbers:
        record = build_appearance(
            a_number=number,
            attorney_name=demo.name_on_e28,
            bar_state=demo.bar_state,
            bar_number=demo.bar_number,
            eoir_id=demo.eoir_id,
            filed_on=E28_FILED_ON,
            source="import",
        )
        if record.natural_key not in existing:
            db.session.add(record)
