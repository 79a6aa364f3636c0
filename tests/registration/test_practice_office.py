"""The field office where most of an attorney's cases are: asked at registration, changed by
the attorney, and giving each office's staff their own verification queue."""

from __future__ import annotations

from sqlalchemy import func, select

from app import db
from app.audit import AuditEvent
from app.offices import office_by_code
from app.users import User
from registration.models import AttorneyProfile, RegistrationState
from tests.helpers import login, post_form
from tests.registration.flows import FORM, register, staff, user_id

QUEUE = "/staff/registrations"
MISSING = "Choose the OCC field office where most of your cases are."


def _office_of(app, email: str) -> str | None:
    with app.app_context():
        profile = db.session.get(AttorneyProfile, user_id(app, email))
        assert profile is not None
        return profile.practice_office.code if profile.practice_office else None


def _waiting(app, make_attorney, email: str, name: str, office: str | None) -> None:
    """A registration waiting for review, with ``office`` (None: registered before the question)."""
    make_attorney(
        email,
        state=RegistrationState.PENDING_REVIEW,
        full_name=name,
        eoir_id=None,
        bar_state="NY",
        bar_number=email.split("@")[0],  # one E-28 record each, matching by bar admission
    )
    if office is not None:
        with app.app_context():
            profile = db.session.get(AttorneyProfile, user_id(app, email))
            found = office_by_code(office)
            assert profile is not None and found is not None
            profile.practice_office_id = found.id
            db.session.commit()


def _accounts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def test_the_register_form_refuses_a_missing_office_in_its_own_words(app, client):
    before = _accounts(app)
    response = post_form(
        client, "/register", {**FORM, "eoir_id": "MA123456", "practice_office": ""}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<a href="#practice_office">{MISSING}</a>' in page
    assert 'id="practice_office-error"' in page and 'aria-invalid="true"' in page
    assert _accounts(app) == before  # nothing stored


def test_the_register_form_refuses_an_office_that_is_not_one(app, client):
    before = _accounts(app)
    response = post_form(
        client, "/register", {**FORM, "eoir_id": "MA123456", "practice_office": "XYZ"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "“XYZ” is not an OCC field office: choose one from the list." in page
    assert _accounts(app) == before


def test_the_register_form_lists_the_offices_as_the_serve_form_does(app, client):
    page = client.get("/register").get_data(as_text=True)
    assert "The OCC field office where most of your cases are" in page
    assert '<option value="ATL">OCC Atlanta (ATL)</option>' in page
    assert '<option value="SEA">OCC Seattle (SEA)</option>' in page


def test_the_office_chosen_is_stored_and_shown_to_attorney_and_staff(app, outbox, make_staff):
    attorney = register(app, outbox, eoir_id="MA123456", practice_office="BOS")
    assert _office_of(app, FORM["email"]) == "BOS"
    mine = attorney.get("/registration").get_data(as_text=True)
    assert "Most of your cases are at <strong>OCC Boston (BOS)</strong>" in mine
    desk = staff(app, make_staff)
    review = desk.get(f"{QUEUE}/{user_id(app, FORM['email'])}").get_data(as_text=True)
    assert 'id="practice-office">OCC Boston (BOS)</dd>' in review


def test_staff_see_their_own_office_by_default_and_all_on_asking(app, make_attorney, make_staff):
    _waiting(app, make_attorney, "atl@law.example", "Ana Atlanta", "ATL")
    _waiting(app, make_attorney, "bos@law.example", "Bo Boston", "BOS")
    _waiting(app, make_attorney, "old@law.example", "Olga Older", None)
    atlanta = staff(app, make_staff)  # staff of ATL

    mine = atlanta.get(QUEUE).get_data(as_text=True)
    assert "Ana Atlanta" in mine and "Bo Boston" not in mine and "Olga Older" not in mine
    assert "My office (1)" in mine and "All offices (3)" in mine
    assert 'id="no-office-count">1<' in mine
    assert "most of their cases are at <strong>OCC Atlanta (ATL)</strong>" in mine
    assert "All waiting (1)" in mine

    everyone = atlanta.get(f"{QUEUE}?office=all").get_data(as_text=True)
    assert all(n in everyone for n in ("Ana Atlanta", "Bo Boston", "Olga Older"))
    assert "Showing the registrations of <strong>all offices</strong>" in everyone
    assert "All waiting (3)" in everyone and "No office given</td>" in everyone
    # The evidence filters keep the office chosen.
    assert f'href="{QUEUE}?show=matched&amp;office=all"' in everyone

    boston = staff(app, make_staff, "staff.bos@occ.example")
    with app.app_context():
        user = db.session.get(User, user_id(app, "staff.bos@occ.example"))
        office = office_by_code("BOS")
        assert user is not None and office is not None
        user.office_id = office.id
        db.session.commit()
    theirs = boston.get(QUEUE).get_data(as_text=True)
    assert "Bo Boston" in theirs and "Ana Atlanta" not in theirs
    assert "My office (1)" in theirs


def test_an_unknown_office_switch_shows_the_own_office(app, make_attorney, make_staff):
    _waiting(app, make_attorney, "bos@law.example", "Bo Boston", "BOS")
    page = staff(app, make_staff).get(f"{QUEUE}?office=everything").get_data(as_text=True)
    assert "Bo Boston" not in page and 'id="queue-empty"' in page
    assert "for your office" in page


def test_evidence_filters_count_within_the_office_shown(app, make_attorney, make_staff):
    _waiting(app, make_attorney, "atl@law.example", "Ana Atlanta", "ATL")
    make_attorney(
        "atl2@law.example",
        state=RegistrationState.PENDING_REVIEW,
        full_name="Al Unmatched",
        eoir_id="AU123456",
        appearance=False,
        a_numbers=("099999999",),
    )  # no office: only under all offices
    desk = staff(app, make_staff)
    mine = desk.get(f"{QUEUE}?show=unmatched").get_data(as_text=True)
    assert "No E-28 record matches (0)" in mine and "Al Unmatched" not in mine
    every = desk.get(f"{QUEUE}?office=all&show=unmatched").get_data(as_text=True)
    assert "No E-28 record matches (1)" in every and "Al Unmatched" in every


def test_the_attorney_changes_the_office_and_it_is_audited(app, make_attorney):
    _waiting(app, make_attorney, "old@law.example", "Olga Older", None)
    client = app.test_client()
    login(client, "old@law.example")
    page = client.get("/registration").get_data(as_text=True)
    assert "You have not yet said which OCC field office" in page

    bad = post_form(client, "/registration", {"practice_office": "NOPE"}, "/registration/office")
    assert bad.status_code == 422
    assert "“NOPE” is not an OCC field office" in bad.get_data(as_text=True)
    empty = post_form(client, "/registration", {"practice_office": ""}, "/registration/office")
    assert empty.status_code == 422 and MISSING in empty.get_data(as_text=True)
    assert _office_of(app, "old@law.example") is None

    done = post_form(client, "/registration", {"practice_office": "MIA"}, "/registration/office")
    assert done.status_code == 302
    assert _office_of(app, "old@law.example") == "MIA"
    assert "Your field office is now OCC Miami (MIA)." in client.get("/registration").get_data(
        as_text=True
    )
    post_form(client, "/registration", {"practice_office": "SEA"}, "/registration/office")
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "registration.practice_office_changed")
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.detail["before"], e.detail["after"]) for e in events] == [
            (None, "MIA"),
            ("MIA", "SEA"),
        ]
        assert events[0].actor_id == user_id(app, "old@law.example")


def test_changing_the_office_needs_the_form_token(app, make_attorney):
    _waiting(app, make_attorney, "old@law.example", "Olga Older", None)
    client = app.test_client()
    login(client, "old@law.example")
    refused = client.post("/registration/office", data={"practice_office": "MIA"})
    assert refused.status_code in (400, 422)
    assert _office_of(app, "old@law.example") is None
