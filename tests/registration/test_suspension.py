"""Suspending an attorney ends their sessions and API tokens at once; reinstating lets them
log in again. From the review page and from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from registration.cli import attorneys_cli
from registration.models import RegistrationState
from tests.helpers import login, post_form
from tests.registration.flows import staff, state_of, user_id

LAWYER = "lawyer@firm.example"


@pytest.fixture
def attorney_client(app, api_token):
    """The logged-in browser of the attorney who owns ``api_token``."""
    client = app.test_client()
    login(client, LAWYER)
    return client


def _me(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_staff_suspend_from_the_review_page_and_access_ends_at_once(
    app, attorney_client, api_token, make_staff, outbox
):
    api = app.test_client()
    assert _me(api, api_token).status_code == 200
    assert attorney_client.get("/filings/new").status_code == 200
    desk = staff(app, make_staff)
    uid = user_id(app, LAWYER)

    no_reason = post_form(
        desk,
        f"/staff/registrations/{uid}",
        {"reason": ""},
        action=f"/staff/registrations/{uid}/suspend",
    )
    assert no_reason.status_code == 422 and "Give the reason" in no_reason.get_data(as_text=True)
    assert state_of(app, LAWYER) == RegistrationState.VERIFIED

    done = post_form(
        desk,
        f"/staff/registrations/{uid}",
        {"reason": "Served documents on cases that are not theirs"},
        action=f"/staff/registrations/{uid}/suspend",
    )
    assert done.status_code == 302
    assert state_of(app, LAWYER) == RegistrationState.SUSPENDED
    # the logged-in browser and the token stop working on their very next request
    response = attorney_client.get("/filings/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _me(api, api_token).status_code == 401
    # logging in again does not let them serve
    login(attorney_client, LAWYER)
    assert attorney_client.get("/filings/new").status_code == 404
    page = attorney_client.get("/registration").get_data(as_text=True)
    assert "suspended" in page and "Served documents on cases that are not theirs" in page
    assert outbox()[-1]["Subject"] == "Your OCC eService account is suspended"

    review = desk.get(f"/staff/registrations/{uid}").get_data(as_text=True)
    assert 'id="suspension"' in review and 'id="reinstate-form"' in review
    post_form(
        desk,
        f"/staff/registrations/{uid}",
        {},
        action=f"/staff/registrations/{uid}/reinstate",
    )
    assert state_of(app, LAWYER) == RegistrationState.VERIFIED
    assert attorney_client.get("/filings/new").status_code == 200
    assert _me(api, api_token).status_code == 401  # revoked tokens stay revoked
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"registration.suspended", "registration.reinstated"} <= actions


def test_attorneys_cannot_suspend_anyone(app, attorney_client, make_attorney):
    other = make_attorney("other@law.example", eoir_id="OT123456", a_numbers=("087654321",))
    response = attorney_client.post(
        f"/staff/registrations/{other.id}/suspend", data={"reason": "x"}
    )
    assert response.status_code in (400, 404)
    assert state_of(app, "other@law.example") == RegistrationState.VERIFIED


def test_cli_suspend_and_reinstate(app, attorney_client, api_token):
    runner = app.test_cli_runner()
    api = app.test_client()
    no_reason = runner.invoke(attorneys_cli, ["suspend", LAWYER])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    result = runner.invoke(
        attorneys_cli, ["suspend", "Lawyer@Firm.example", "--reason", "Bar licence lapsed"]
    )
    assert result.exit_code == 0, result.output
    assert "suspended; sessions ended, API tokens revoked" in result.output
    assert attorney_client.get("/filings/new").status_code == 302
    assert _me(api, api_token).status_code == 401

    twice = runner.invoke(attorneys_cli, ["suspend", LAWYER, "--reason", "again"])
    assert twice.exit_code == 1 and "Only a verified attorney can be suspended" in twice.output
    nobody = runner.invoke(attorneys_cli, ["suspend", "nobody@x.example", "--reason", "r"])
    assert nobody.exit_code == 1 and "No attorney account" in nobody.output

    back = runner.invoke(attorneys_cli, ["reinstate", LAWYER])
    assert back.exit_code == 0 and "is reinstated" in back.output
    assert state_of(app, LAWYER) == RegistrationState.VERIFIED
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "registration.suspended")
        )
        assert event.actor == "cli" and event.detail["reason"] == "Bar licence lapsed"
