"""Register, confirm the e-mail, wait for review, get verified or rejected: over HTTP."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app import db
from app.audit import AuditEvent
from app.users import User
from registration.models import AttorneyProfile, ClaimedANumber, RegistrationState
from tests.helpers import PASSWORD, csrf_token, login, post_form

FORM = {
    "full_name": "Maria  Abogada",
    "email": "Maria@Law.example",
    "password": PASSWORD,
    "password_again": PASSWORD,
    "bar_state": "NY",
    "bar_number": "12-345",
    "eoir_id": "",
    "firm": "Abogada LLP",
    "phone": "+1 212 555 0101",
    "mailing_address": "2 Court St\nNY",
    "practice_office": "ATL",
    "a_numbers": "A-012-345-678\n87654321",
}


def _register(client, **changes):
    return post_form(client, "/register", {**FORM, **changes})


def _confirm_link(message) -> str:
    match = re.search(r"http://localhost:5000(/register/confirm/\S+)", message.get_content())
    assert match
    return match.group(1)


def test_full_registration_and_verification(app, client, outbox, make_staff):
    response = _register(client)
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    with app.app_context():
        profile = db.session.scalar(select(AttorneyProfile))
        assert profile.state == RegistrationState.EMAIL_UNCONFIRMED
        assert profile.bar_number == "12345" and profile.user.email == "maria@law.example"
        assert [c.a_number for c in profile.claims] == ["012345678", "087654321"]
        assert profile.user.password_hash.startswith("$argon2id$")

    [mail] = outbox()
    assert mail["To"] == "maria@law.example"
    assert client.get(_confirm_link(mail)).status_code == 302
    login(client, "maria@law.example")
    page = client.get("/registration").get_data(as_text=True)
    assert "pending_review" in page
    assert client.get("/filings/new").status_code == 404  # not verified: cannot serve

    # staff see the registration with how each A-Number matches the E-28 records
    make_staff()
    staff = app.test_client()
    login(staff, "staff.atl@occ.example")
    post_form(
        staff,
        "/staff/appearances/new",
        {
            "a_number": "A012345678",
            "attorney_name": "Maria Abogada",
            "bar_state": "NY",
            "bar_number": "12345",
            "eoir_id": "",
            "filed_on": "2026-02-01",
        },
    )
    queue = staff.get("/staff/registrations").get_data(as_text=True)
    assert "Maria Abogada" in queue
    assert "A012-345-678: <strong>matches by bar admission</strong>" in queue
    assert "A087-654-321: no matching E-28" in queue

    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.email == "maria@law.example"))
    response = post_form(staff, f"/staff/registrations/{uid}", {"decision": "verify", "reason": ""})
    assert response.status_code == 302
    assert "verified" in client.get("/registration").get_data(as_text=True)
    assert client.get("/filings/new").status_code == 200
    assert outbox()[-1]["Subject"] == "Your OCC eService registration is verified"
    assert "No registration is waiting" in staff.get("/staff/registrations").get_data(as_text=True)
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "registration.create",
        "registration.email_confirmed",
        "registration.verified",
    } <= actions


def test_rejection_needs_a_reason_and_the_attorney_sees_it(app, client, outbox, make_staff):
    _register(client)
    client.get(_confirm_link(outbox()[0]))
    make_staff()
    staff = app.test_client()
    login(staff, "staff.atl@occ.example")
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.email == "maria@law.example"))
    no_reason = post_form(
        staff, f"/staff/registrations/{uid}", {"decision": "reject", "reason": "  "}
    )
    assert no_reason.status_code == 422 and "Give the reason" in no_reason.get_data(as_text=True)
    post_form(
        staff,
        f"/staff/registrations/{uid}",
        {"decision": "reject", "reason": "No E-28 on file for these A-Numbers."},
    )
    again = post_form(staff, f"/staff/registrations/{uid}", {"decision": "verify", "reason": ""})
    assert again.status_code in (200, 422)
    login(client, "maria@law.example")
    page = client.get("/registration").get_data(as_text=True)
    assert "rejected" in page and "No E-28 on file for these A-Numbers." in page
    assert "No E-28 on file" in outbox()[-1].get_content()
    with app.app_context():
        assert db.session.get(AttorneyProfile, uid).state == RegistrationState.REJECTED


def test_bad_fields_are_named_and_nothing_is_stored(app, client, outbox):
    cases = {
        "a_numbers": ("A12\nA012345678", "“A12” is not an A-Number"),
        "email": ("not-an-email", "Give an e-mail address like name@example.com."),
        "password": ("short", "at least 15 characters"),
        "eoir_id": ("!!", "EOIR ID"),
    }
    for field, (value, message) in cases.items():
        changes = {field: value}
        if field == "password":
            changes["password_again"] = value
        response = _register(client, **changes)
        assert response.status_code == 422, field
        assert message in response.get_data(as_text=True), field
    no_ident = _register(client, bar_state="", bar_number="", eoir_id="")
    assert "Give a bar admission" in no_ident.get_data(as_text=True)
    half_bar = _register(client, bar_state="", bar_number="123")
    assert "both the state and the number" in half_bar.get_data(as_text=True)
    for common in ("password12345678", "Maria Abogada 2026"):  # a breached one, her own name
        refused = _register(client, password=common, password_again=common)
        assert refused.status_code == 422 and "password" in refused.get_data(as_text=True)
    assert "common or breached" in _register(
        client, password="iloveyou1234567", password_again="iloveyou1234567"
    ).get_data(as_text=True)
    mismatch = _register(client, password_again="something else entirely")
    assert "do not match" in mismatch.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        assert db.session.scalar(select(func.count()).select_from(ClaimedANumber)) == 0
    assert outbox() == []


def test_a_registered_email_gets_the_same_page_and_no_second_account(app, client, outbox):
    first = _register(client)
    second = _register(client, full_name="Someone Else", email="maria@LAW.example")
    assert first.get_data(as_text=True) == second.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert outbox()[-1]["Subject"] == "Someone tried to register your e-mail on OCC eService"


def test_bad_or_tampered_confirmation_link_is_refused(app, client, outbox):
    _register(client)
    link = _confirm_link(outbox()[0])
    assert client.get(link[:-3] + "abc").status_code == 400
    assert client.get("/register/confirm/garbage").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(AttorneyProfile.state)) == "email_unconfirmed"


def test_expired_confirmation_link_is_refused(app, client, outbox, monkeypatch):
    import itsdangerous.timed

    _register(client)
    link = _confirm_link(outbox()[0])
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() + 49 * 3600)
    response = client.get(link)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_verification_queue_is_oldest_first(app, client, outbox, make_staff):
    for name, email in [
        ("Attorney Alpha", "first@law.example"),
        ("Attorney Beta", "second@law.example"),
    ]:
        c = app.test_client()
        post_form(c, "/register", {**FORM, "email": email, "full_name": name})
    links = [_confirm_link(m) for m in outbox()]
    client.get(links[1])  # the second registrant confirms first
    client.get(links[0])
    make_staff()
    staff = app.test_client()
    login(staff, "staff.atl@occ.example")
    page = staff.get("/staff/registrations").get_data(as_text=True)
    assert page.index("Attorney Beta") < page.index("Attorney Alpha")


def test_unconfirmed_attorney_can_ask_for_a_new_link_at_most_every_ten_minutes(app, client, outbox):
    _register(client)
    login(client, "maria@law.example")
    token = csrf_token(client, "/registration")
    first = client.post(
        "/registration/resend-confirmation", data={"csrf_token": token}, follow_redirects=True
    )
    assert "We sent a new confirmation link" in first.get_data(as_text=True)
    second = client.post(
        "/registration/resend-confirmation", data={"csrf_token": token}, follow_redirects=True
    )
    assert "A link was sent to maria@law.example in the last 10 minutes" in second.get_data(
        as_text=True
    )
    mails = outbox()
    assert len(mails) == 2
    assert client.get(_confirm_link(mails[1])).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AttorneyProfile.state)) == "pending_review"
