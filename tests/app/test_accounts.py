"""Deactivating and reactivating staff accounts: the service the admin pages call, and the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import db
from app.accounts import AccountError, deactivate_user, reactivate_user
from app.audit import AuditEvent
from app.sessions import UserSession
from app.users import User
from tests.helpers import PASSWORD, login

STAFF = "staff.atl@occ.example"
ADMIN = "admin@occ.example"


def _user(email):
    return db.session.scalar(select(User).where(User.email == email))


def _events(app, action):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_deactivated_staff_members_open_session_stops_at_once(app, staff_client, make_staff):
    make_staff(ADMIN, admin=True)
    assert staff_client.get("/staff/inbox").status_code == 200
    with app.app_context():
        deactivate_user(_user(ADMIN), _user(STAFF), "Left the office")
    response = staff_client.get("/staff/inbox")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert login(staff_client, STAFF, PASSWORD).status_code == 200  # refused
    assert staff_client.get("/staff/inbox").status_code == 302
    [event] = _events(app, "user.deactivate")
    assert event.actor == ADMIN and event.detail == {"reason": "Left the office"}
    with app.app_context():
        rows = list(db.session.scalars(select(UserSession)))
        assert {r.end_reason for r in rows} == {"deactivated"}
        assert _user(STAFF).active is False


def test_a_reactivated_staff_member_logs_in_again(app, client, make_staff):
    make_staff()
    admin = make_staff(ADMIN, admin=True)
    with app.app_context():
        deactivate_user(db.session.get(User, admin.id), _user(STAFF), "On leave")
        reactivate_user(db.session.get(User, admin.id), _user(STAFF))
    assert login(client, STAFF, PASSWORD).status_code == 302
    assert client.get("/staff/inbox").status_code == 200
    [event] = _events(app, "user.reactivate")
    assert event.actor == ADMIN


@pytest.mark.parametrize(
    ("who", "reason", "message"),
    [
        ("lawyer@firm.example", "fraud", "is not a staff account"),
        (STAFF, "   ", "Give the reason"),
        (STAFF, "x" * 501, "at most 500 characters"),
        (ADMIN, "tired", "cannot deactivate your own account"),
    ],
)
def test_deactivation_refuses_what_it_cannot_do(
    app, make_staff, make_attorney, who, reason, message
):
    make_staff()
    make_staff(ADMIN, admin=True)
    make_attorney()
    with app.app_context():
        with pytest.raises(AccountError, match=message):
            deactivate_user(_user(ADMIN), _user(who), reason)
        db.session.rollback()
        assert _user(who).active is True
    assert _events(app, "user.deactivate") == []


def test_deactivating_twice_or_reactivating_an_active_account_is_refused(app, make_staff):
    make_staff()
    with app.app_context():
        with pytest.raises(AccountError, match="already active"):
            reactivate_user(None, _user(STAFF))
        deactivate_user(None, _user(STAFF), "Left")
        with pytest.raises(AccountError, match="already deactivated"):
            deactivate_user(None, _user(STAFF), "Left again")


def test_users_deactivate_and_reactivate_commands(app, staff_client, make_attorney):
    make_attorney()
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["users", "deactivate", STAFF])
    assert missing.exit_code == 2 and "--reason" in missing.output
    assert staff_client.get("/staff/inbox").status_code == 200  # nothing changed

    done = runner.invoke(args=["users", "deactivate", STAFF, "--reason", "Left OCC"])
    assert done.exit_code == 0, done.output
    assert "Deactivated staff.atl@occ.example" in done.output
    assert staff_client.get("/staff/inbox").status_code == 302
    [event] = _events(app, "user.deactivate")
    assert event.actor == "cli" and event.detail["reason"] == "Left OCC"

    again = runner.invoke(args=["users", "deactivate", STAFF, "--reason", "Left OCC"])
    assert again.exit_code == 1 and "already deactivated" in again.output
    attorney = runner.invoke(
        args=["users", "deactivate", "lawyer@firm.example", "--reason", "fraud"]
    )
    assert attorney.exit_code == 1 and "not a staff account" in attorney.output
    unknown = runner.invoke(args=["users", "reactivate", "nobody@occ.example"])
    assert unknown.exit_code == 1 and "no account with e-mail" in unknown.output

    back = runner.invoke(args=["users", "reactivate", STAFF])
    assert back.exit_code == 0 and "Reactivated" in back.output
    assert login(staff_client, STAFF, PASSWORD).status_code == 302
    assert staff_client.get("/staff/inbox").status_code == 200
