"""The attorney waiting for verification: their state in words, how long a decision usually
takes, the confirmation link resent and opened while logged in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from registration.models import AttorneyProfile, RegistrationState
from registration.waiting import GENERAL_WORDING, usual_wait_wording, working_days_between
from tests.helpers import csrf_token, login, post_form
from tests.registration.flows import FORM, confirm_link, state_of

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_working_days_skip_the_weekend():
    friday = MONDAY + timedelta(days=4)
    assert working_days_between(friday, friday + timedelta(days=3)) == 1.0  # Fri 9:00 to Mon
    assert working_days_between(MONDAY, MONDAY + timedelta(hours=12)) == 0.5
    assert working_days_between(MONDAY, MONDAY - timedelta(hours=1)) == 0.0


def test_the_wording_says_the_median_or_speaks_generally_when_there_is_too_little():
    assert usual_wait_wording([1.5, 2.0, 0.5, 3.0]) == GENERAL_WORDING
    assert usual_wait_wording([0.2, 0.5, 0.9, 4.0, 6.0]) == (
        "OCC staff usually decide within 1 working day."
    )
    assert usual_wait_wording([1.2, 1.5, 1.7, 4.0, 9.0]) == (
        "OCC staff usually decide within 2 working days."
    )


def _register(app, outbox, confirm: bool = False):
    client = app.test_client()
    assert post_form(client, "/register", {**FORM, "eoir_id": "MA123456"}).status_code == 200
    link = confirm_link([m for m in outbox() if m["To"] == FORM["email"]][-1].get_content())
    if confirm:
        assert client.get(link).status_code == 302
    return client, link


def _state(app) -> str:
    return state_of(app, FORM["email"])


def test_unconfirmed_attorney_sees_the_address_the_button_and_what_to_do_if_it_is_wrong(
    app, outbox
):
    client, _ = _register(app, outbox)
    login(client, FORM["email"])
    page = client.get("/registration").get_data(as_text=True)
    assert "Step 1 of 2: confirm your e-mail address" in page
    assert '<strong id="confirmation-address">maria@law.example</strong>' in page
    assert 'id="resend"' in page and "/account/email" in page
    assert GENERAL_WORDING in page  # no decisions yet to measure from
    assert "No record naming you yet" in page and "A012-345-678" in page


def test_waiting_attorney_is_told_the_usual_wait_measured_from_recent_decisions(
    app, outbox, make_attorney
):
    now = datetime.now(UTC)
    for i in range(5):
        make_attorney(f"decided{i}@firm.example", eoir_id=f"ZZ{i:06d}", appearance=False)
    with app.app_context():
        for i, profile in enumerate(db.session.scalars(select(AttorneyProfile))):
            # Two of them more than 90 days ago and slow: they must not count.
            old = i < 2
            decided = now - timedelta(days=200 if old else 1)
            profile.decided_at = decided
            profile.submitted_at = decided - timedelta(days=30 if old else 0, hours=30)
        db.session.commit()
    client, _ = _register(app, outbox, confirm=True)
    login(client, FORM["email"])
    page = client.get("/registration").get_data(as_text=True)
    assert GENERAL_WORDING in page  # three recent decisions are too few
    make_attorney("decided5@firm.example", eoir_id="ZZ000005", appearance=False)
    make_attorney("decided6@firm.example", eoir_id="ZZ000006", appearance=False)
    with app.app_context():
        for email in ("decided5@firm.example", "decided6@firm.example"):
            profile = db.session.scalar(
                select(AttorneyProfile).where(AttorneyProfile.user.has(email=email))
            )
            profile.decided_at = now - timedelta(days=2)
            profile.submitted_at = now - timedelta(days=2, hours=30)
        db.session.commit()
    page = client.get("/registration").get_data(as_text=True)
    assert "Step 2 of 2: waiting for OCC staff to verify you" in page
    # 30 hours each; over a weekend fewer working days, never more than two.
    wait = re.search(r'<strong id="usual-wait">([^<]+)</strong>', page)
    assert wait and wait.group(1) in (
        "OCC staff usually decide within 2 working days.",
        "OCC staff usually decide within 1 working day.",
    )


def test_resend_says_where_it_went_and_that_a_confirmed_address_needs_none(app, outbox):
    client, _ = _register(app, outbox)
    login(client, FORM["email"])
    token = csrf_token(client, "/registration")
    first = client.post("/registration/resend-confirmation", data={"csrf_token": token})
    assert first.status_code == 302
    page = client.get("/registration").get_data(as_text=True)
    assert "We sent a new confirmation link to maria@law.example" in page
    assert client.get(confirm_link(outbox()[-1].get_content())).status_code == 302
    client.post("/registration/resend-confirmation", data={"csrf_token": token})
    page = client.get("/registration").get_data(as_text=True)
    assert "Your e-mail is already confirmed; no link is needed." in page
    assert len(outbox()) == 2


def test_the_link_confirms_while_its_own_attorney_is_logged_in(app, outbox):
    client, link = _register(app, outbox)
    login(client, FORM["email"])
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/registration")
    assert _state(app) == RegistrationState.PENDING_REVIEW
    page = client.get("/registration").get_data(as_text=True)
    assert "Your e-mail is confirmed" in page and "Step 2 of 2" in page


def test_logged_out_the_link_confirms_and_login_leads_back_to_the_registration(app, outbox):
    client, link = _register(app, outbox)
    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login?next=/registration")
    assert _state(app) == RegistrationState.PENDING_REVIEW


def test_the_link_of_another_account_confirms_nothing_while_someone_else_is_logged_in(
    app, outbox, make_attorney
):
    _, link = _register(app, outbox)
    make_attorney("other@firm.example")
    other = app.test_client()
    login(other, "other@firm.example")
    response = other.get(link)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "This link confirms another account" in page and "Nothing was confirmed" in page
    assert "maria@law.example" not in page
    assert _state(app) == RegistrationState.EMAIL_UNCONFIRMED
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "registration.confirm")
        ).one()
        assert event.outcome == "refused"
    # Opened by its owner afterwards, the link still works.
    assert app.test_client().get(link).status_code == 302
    assert _state(app) == RegistrationState.PENDING_REVIEW
