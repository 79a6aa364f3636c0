"""One verified account per EOIR ID and per bar admission: a second claimant is flagged to
staff, cannot be verified (not even by two staff at once), and serves on nobody's cases."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError

from app import db
from app.audit import AuditEvent
from registration.models import AttorneyProfile, RegistrationState
from tests.helpers import PASSWORD, login, post_form, serve_form
from tests.pdfs import pdf_bytes
from tests.registration.flows import decide, register, staff, state_of, user_id

HOLDER = "lawyer@firm.example"
NEWCOMER = "maria@law.example"


def test_a_claim_of_a_held_eoir_id_is_flagged_and_cannot_be_verified(
    app, outbox, make_attorney, make_staff
):
    make_attorney()  # Lee Lawyer, EOIR ID LW123456, E-28 on record for A012-345-678
    newcomer = register(app, outbox, eoir_id="lw-123 456", a_numbers="A012345678")
    desk = staff(app, make_staff)
    uid = user_id(app, NEWCOMER)

    queue = desk.get("/staff/registrations").get_data(as_text=True)
    assert "already held by Lee Lawyer &lt;lawyer@firm.example&gt;" in queue
    page = desk.get(f"/staff/registrations/{uid}").get_data(as_text=True)
    assert 'id="conflicts"' in page
    assert "The EOIR ID LW123456 is already held by" in page

    refused = decide(desk, uid, reason="Looks fine to me")
    assert refused.status_code == 422
    assert "already held by Lee Lawyer" in refused.get_data(as_text=True)
    assert state_of(app, NEWCOMER) == RegistrationState.PENDING_REVIEW
    assert newcomer.get("/filings/new").status_code == 404
    with app.app_context():
        attempt = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "registration.verified")
        )
        assert attempt.outcome == "refused" and "already held" in attempt.detail["reason"]

    # The newcomer corrects the identifier: the flag goes, and with no E-28 record naming
    # them, verifying needs a stated reason.
    post_form(
        newcomer,
        "/registration/identifiers",
        {"bar_state": "", "bar_number": "", "eoir_id": "MA765432"},
    )
    assert "already held" not in desk.get("/staff/registrations").get_data(as_text=True)
    no_reason = decide(desk, uid)
    assert no_reason.status_code == 422
    assert "No E-28 record names this attorney" in no_reason.get_data(as_text=True)
    assert decide(desk, uid, reason="E-28 seen on paper at the Atlanta window").status_code == 302
    assert state_of(app, NEWCOMER) == RegistrationState.VERIFIED
    # ... and the other attorney's client stays out of reach.
    attempt = serve_form(newcomer, [(pdf_bytes(), "motion.pdf")], a_number="A012-345-678")
    assert attempt.status_code == 422
    assert "no E-28 on record for A-Number A012-345-678" in attempt.get_data(as_text=True)
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "registration.identifiers_changed" in actions


def test_a_bar_admission_written_differently_is_the_same_admission(
    app, outbox, make_attorney, make_staff
):
    make_attorney(eoir_id=None, bar_state="GA", bar_number="448812")
    register(app, outbox, bar_state="GA", bar_number="GA-0448812")
    with app.app_context():
        profile = db.session.get(AttorneyProfile, user_id(app, NEWCOMER))
        assert (profile.bar_state, profile.bar_number) == ("GA", "448812")
    desk = staff(app, make_staff)
    page = desk.get(f"/staff/registrations/{user_id(app, NEWCOMER)}").get_data(as_text=True)
    assert "The bar admission GA 448812 is already held by" in page
    assert decide(desk, user_id(app, NEWCOMER), reason="x").status_code == 422


def test_a_suspended_holder_still_holds_and_revoking_releases(
    app, outbox, make_attorney, make_staff
):
    make_attorney()
    register(app, outbox, eoir_id="LW123456")
    desk = staff(app, make_staff)
    holder, uid = user_id(app, HOLDER), user_id(app, NEWCOMER)
    post_form(
        desk,
        f"/staff/registrations/{holder}",
        {"reason": "Reported as impersonating another attorney"},
        action=f"/staff/registrations/{holder}/suspend",
    )
    assert state_of(app, HOLDER) == RegistrationState.SUSPENDED
    assert decide(desk, uid, reason="x").status_code == 422  # suspended still holds
    post_form(
        desk,
        f"/staff/registrations/{holder}",
        {"reason": "The EOIR ID belongs to Maria Abogada"},
        action=f"/staff/registrations/{holder}/revoke",
    )
    assert state_of(app, HOLDER) == RegistrationState.REJECTED
    assert "already held" not in desk.get(f"/staff/registrations/{uid}").get_data(as_text=True)
    assert decide(desk, uid, reason="EOIR ID confirmed with EOIR").status_code == 302
    assert state_of(app, NEWCOMER) == RegistrationState.VERIFIED


def test_the_database_refuses_two_holders_of_one_identifier(app, make_attorney):
    make_attorney()
    make_attorney("second@law.example", state=RegistrationState.PENDING_REVIEW, appearance=False)
    with app.app_context():
        profile = db.session.get(AttorneyProfile, user_id(app, "second@law.example"))
        profile.state = RegistrationState.SUSPENDED
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        make_bar = db.session.get(AttorneyProfile, user_id(app, "second@law.example"))
        make_bar.eoir_id = None
        make_bar.state = RegistrationState.VERIFIED
        db.session.commit()  # no identifier in common: fine


def _two_claimants(app, make_attorney, make_staff):
    for email, appearance in (("first@law.example", True), ("second@law.example", False)):
        make_attorney(
            email, state=RegistrationState.PENDING_REVIEW, eoir_id="SM123456", appearance=appearance
        )
    make_staff()
    make_staff("staff.nyc@occ.example", "NYC")
    return user_id(app, "first@law.example"), user_id(app, "second@law.example")


def test_two_staff_verifying_two_claimants_at_once_cannot_both_succeed(
    app, make_attorney, make_staff
):
    first, second = _two_claimants(app, make_attorney, make_staff)
    desks = []
    for email in ("staff.atl@occ.example", "staff.nyc@occ.example"):
        c = app.test_client()
        login(c, email, PASSWORD)
        desks.append(c)
    barrier = threading.Barrier(2)
    results: dict[int, int] = {}

    def verify(desk, uid):
        from tests.helpers import csrf_token

        token = csrf_token(desk, f"/staff/registrations/{uid}")
        barrier.wait()
        response = desk.post(
            f"/staff/registrations/{uid}",
            data={"csrf_token": token, "decision": "verify", "reason": "seen"},
        )
        results[uid] = response.status_code

    threads = [
        threading.Thread(target=verify, args=(desks[0], first)),
        threading.Thread(target=verify, args=(desks[1], second)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results.values()) == [302, 422]
    states = {state_of(app, "first@law.example"), state_of(app, "second@law.example")}
    assert states == {RegistrationState.VERIFIED, RegistrationState.PENDING_REVIEW}


def test_the_unique_index_stops_a_verification_that_passed_the_check(
    app, make_attorney, make_staff, database_url
):
    """Staff verify the second claimant while another transaction has verified the first but
    not yet committed: the service's check sees nothing, the database refuses at the commit."""
    first, second = _two_claimants(app, make_attorney, make_staff)
    desk = app.test_client()
    login(desk, "staff.atl@occ.example")
    from tests.helpers import csrf_token

    token = csrf_token(desk, f"/staff/registrations/{second}")
    engine = create_engine(database_url)
    other = engine.connect()
    other.begin()
    other.execute(
        text("UPDATE attorney_profiles SET state = 'verified' WHERE user_id = :id"), {"id": first}
    )
    outcome: dict[str, object] = {}

    def verify():
        response = desk.post(
            f"/staff/registrations/{second}",
            data={"csrf_token": token, "decision": "verify", "reason": "seen"},
        )
        outcome["status"] = response.status_code
        outcome["page"] = response.get_data(as_text=True)

    thread = threading.Thread(target=verify)
    thread.start()
    if database_url.startswith("postgresql"):
        _wait_for_lock_wait(engine)
    else:
        time.sleep(1.0)
    other.commit()
    other.close()
    thread.join(60)
    engine.dispose()
    assert outcome["status"] == 422
    if database_url.startswith("postgresql"):
        assert "verified with this EOIR ID or bar admission a moment ago" in str(outcome["page"])
    assert state_of(app, "second@law.example") == RegistrationState.PENDING_REVIEW
    assert state_of(app, "first@law.example") == RegistrationState.VERIFIED


def _wait_for_lock_wait(engine, timeout: float = 20.0) -> None:
    """Until a statement is waiting for a lock: the request's UPDATE, held by the index."""
    deadline = time.monotonic() + timeout
    with engine.connect() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
            ).scalar()
            watcher.rollback()
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the verification never reached the database")
