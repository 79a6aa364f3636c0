"""Command-line set-up: schema, demo data, staff accounts."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import func, select

from app import db
from app.users import Role, User
from registration.models import Appearance
from tests.helpers import login, post_form, serve_form
from tests.pdfs import pdf_bytes


def test_seed_demo_is_idempotent_and_its_logins_work(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert first.output == second.output  # the same accounts and passwords
    accounts = re.findall(r"(\S+@demo\.eservice\.localhost)  password: (\S+)", first.output)
    assert len(accounts) == 5
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 5
        assert db.session.scalar(select(func.count()).select_from(Appearance)) == 4
    keys = dict(
        re.findall(
            r"(\S+@demo\.eservice\.localhost)  password: \S+  authenticator key: ([A-Z2-7]+)",
            first.output,
        )
    )
    assert len(keys) == 3  # every staff account, each with its authenticator set up
    for email, password in accounts:  # each logs straight in: no set-up, no password to change
        client = app.test_client()
        step = post_form(client, "/login", {"email": email, "password": password})
        assert step.status_code == 302, email
        if email in keys:
            assert step.headers["Location"].endswith("/login/second-factor"), email
            code = pyotp.TOTP(keys[email]).now()
            step = post_form(client, "/login/second-factor", {"code": code})
        assert step.status_code == 302 and step.headers["Location"] == "/", email
    logins = dict(accounts)
    assert "attorney@demo.eservice.localhost" in logins
    for email in ("attorney@demo.eservice.localhost", "attorney2@demo.eservice.localhost"):
        attorney = app.test_client()
        login(attorney, email, logins[email])
        assert attorney.get("/filings/new").status_code == 200


def test_the_two_demo_attorneys_cannot_serve_on_each_others_cases(app):
    output = app.test_cli_runner().invoke(args=["seed-demo"]).output
    logins = dict(re.findall(r"(attorney\S*@demo\.eservice\.localhost)  password: (\S+)", output))
    assert "EOIR ID DE123456, bar NY 1234567; E-28 on file for A012345678, A087654321" in output
    assert "EOIR ID RE654321, bar GA 448812; E-28 on file for A023456789, A098765432" in output
    dana, rafael = app.test_client(), app.test_client()
    login(dana, "attorney@demo.eservice.localhost", logins["attorney@demo.eservice.localhost"])
    login(rafael, "attorney2@demo.eservice.localhost", logins["attorney2@demo.eservice.localhost"])
    own = serve_form(rafael, [(pdf_bytes(), "m.pdf")], a_number="A023-456-789")
    assert own.status_code == 303
    others = serve_form(rafael, [(pdf_bytes(), "m.pdf")], a_number="A012-345-678")
    assert others.status_code == 422
    assert "no E-28 on record for A-Number A012-345-678" in others.get_data(as_text=True)
    assert serve_form(dana, [(pdf_bytes(), "m.pdf")], a_number="A023456789").status_code == 422


def test_create_staff_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create-staff", "Clerk@OCC.example", "--office", "sfr", "--admin"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.rsplit("password: ", 1)[1].strip()
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "clerk@occ.example" and user.role == Role.ADMIN
        assert user.office.code == "SFR"
    # The first log-in sets up a second factor, then replaces the printed password.
    client = app.test_client()
    step = post_form(client, "/login", {"email": "clerk@occ.example", "password": password})
    assert step.headers["Location"].endswith("/login/setup")
    page = client.get("/login/setup").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page)
    assert secret
    post_form(client, "/login/setup", {"code": pyotp.TOTP(secret.group(1)).now()})
    assert client.get("/staff/inbox").headers["Location"].endswith("/account/password")
    mine = "a quiet lantern on the pier"
    post_form(client, "/account/password", {"current": password, "new": mine, "confirm": mine})
    assert client.get("/staff/inbox").status_code == 200
    again = runner.invoke(args=["users", "create-staff", "clerk@occ.example", "--office", "SFR"])
    assert again.exit_code == 2 and "already has an account" in again.output
    bad = runner.invoke(args=["users", "create-staff", "x@occ.example", "--office", "ZZZ"])
    assert bad.exit_code == 2 and "no field office with code 'ZZZ'" in bad.output
    attorneys = runner.invoke(args=["attorneys", "--help"])
    assert attorneys.exit_code == 0 and "suspend" in attorneys.output


def test_db_upgrade_command_is_repeatable(app):
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "0 field offices added" in result.output


def test_worker_command_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 1 and "ESERVICE_REDIS_URL is not set" in result.output


def test_scheduler_once_runs_the_sweeps_inline(app):
    result = app.test_cli_runner().invoke(args=["scheduler", "--once"])
    assert result.exit_code == 0, result.output


def test_jobs_sweep_command(app):
    result = app.test_cli_runner().invoke(args=["jobs", "sweep", "--older-than", "0"])
    assert result.exit_code == 0 and "0 checks and 0 notices queued again" in result.output


def test_worker_command_refuses_unknown_queues(tmp_path, database_url):
    from app import create_app
    from tests.conftest import make_env

    app = create_app(
        env=make_env(tmp_path, database_url, ESERVICE_REDIS_URL="redis://127.0.0.1:6379/14")
    )
    result = app.test_cli_runner().invoke(args=["worker", "--burst", "checks", "nosuch"])
    assert result.exit_code == 2 and "unknown queues: nosuch" in result.output
    app.extensions["eservice.engine"].dispose()
