"""Demo work waiting for staff: a registration to verify and a request to add an A-Number.

Idempotent: the registrant is made once (by e-mail), the request once (while its A-Number is
neither on the attorney's list nor in a request of theirs).
"""

from __future__ import annotations

from sqlalchemy import select

from app import audit, db
from app.demo import DEMO_ATTORNEYS, DemoAttorney, seed_attorney
from app.users import user_by_email
from registration.models import (
    ANumberRequest,
    ANumberRequestItem,
    AttorneyProfile,
    RegistrationState,
    RequestState,
)

PENDING_ATTORNEY = DemoAttorney(
    "pending@demo.eservice.localhost",
    "Priya Pending",
    "Priya Pending",
    "PP246810",
    "CA",
    "246810",
    "Pending & Partners LLP",
    "+1 415 555 0142",
    "50 Fremont St\nSan Francisco, CA 94105",
    ("045678901",),
)
# Asked for by the second demo attorney; no E-28 record names them for it yet.
REQUESTED_A_NUMBER = "034567890"


def seed_queues(pending_password: str) -> tuple[bool, bool]:
    """Add the registration waiting for review and the A-Number request; say which were new."""
    new_registrant = user_by_email(PENDING_ATTORNEY.email) is None
    if new_registrant:
        seed_attorney(PENDING_ATTORNEY, pending_password, RegistrationState.PENDING_REVIEW)
        db.session.flush()
        user = user_by_email(PENDING_ATTORNEY.email)
        assert user is not None
        audit.record("registration.create", obj_type="user", obj_id=user.id, actor=user, demo=True)
        audit.record(
            "registration.email_confirmed", obj_type="user", obj_id=user.id, actor=user, demo=True
        )
        db.session.commit()
    return new_registrant, _seed_request()


def _seed_request() -> bool:
    requester = user_by_email(DEMO_ATTORNEYS[1].email)
    if requester is None:
        raise LookupError("demo accounts missing (run seed-demo first)")
    profile = db.session.get(AttorneyProfile, requester.id)
    assert profile is not None
    asked = db.session.scalar(
        select(ANumberRequestItem.id)
        .join(ANumberRequest)
        .where(
            ANumberRequest.attorney_id == requester.id,
            ANumberRequestItem.a_number == REQUESTED_A_NUMBER,
        )
    )
    if asked is not None or REQUESTED_A_NUMBER in {c.a_number for c in profile.claims}:
        return False
    request = ANumberRequest(
        attorney=profile,
        state=RequestState.PENDING,
        items=[ANumberRequestItem(a_number=REQUESTED_A_NUMBER)],
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        "a_number_request.create",
        obj_type="a_number_request",
        obj_id=request.id,
        actor=requester,
        a_numbers=1,
        demo=True,
    )
    db.session.commit()
    return True
