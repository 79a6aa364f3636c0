"""A verified attorney asks to add A-Numbers to their list; staff grant or refuse.

Staff weigh a request on the same evidence as a registration (registration.evidence). What a
grant gives: the A-Numbers join the attorney's list, and nothing more by itself. The right to
serve on an A-Number still comes only from an E-28 record naming the attorney; when staff have
the E-28 in hand they give its filing date with the grant, and a record is added for each
A-Number that has none.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update

import workers
from app import audit, db
from app.notifications import notify
from app.users import User
from registration import evidence
from registration.anumbers import format_a_number
from registration.appearances import AppearanceError, build_appearance, on_record
from registration.models import (
    ANumberRequest,
    ANumberRequestItem,
    Appearance,
    AttorneyProfile,
    ClaimedANumber,
    RegistrationState,
    RequestState,
)

MAX_PENDING_REQUESTS = 3


class RequestError(ValueError):
    """The request cannot be made or decided; ``problems`` say why, one message each."""

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


def submit(user: User, a_numbers: list[str]) -> ANumberRequest:
    """Record a request to add ``a_numbers`` (already normalised) for a verified attorney."""
    profile = db.session.get(AttorneyProfile, user.id)
    if profile is None or profile.state != RegistrationState.VERIFIED:
        raise RequestError("Only a verified attorney can ask to add A-Numbers.")
    listed = {c.a_number for c in profile.claims}
    waiting = set(
        db.session.scalars(
            select(ANumberRequestItem.a_number)
            .join(ANumberRequest)
            .where(
                ANumberRequest.attorney_id == user.id,
                ANumberRequest.state == RequestState.PENDING,
            )
        )
    )
    problems = [
        f"{format_a_number(n)} is already on your list." for n in a_numbers if n in listed
    ] + [
        f"{format_a_number(n)} is in a request waiting for staff."
        for n in a_numbers
        if n in waiting
    ]
    pending = db.session.scalar(
        select(func.count())
        .select_from(ANumberRequest)
        .where(ANumberRequest.attorney_id == user.id, ANumberRequest.state == RequestState.PENDING)
    )
    if (pending or 0) >= MAX_PENDING_REQUESTS:
        problems.append(
            f"You have {pending} requests waiting for staff; wait for a decision before asking "
            "again."
        )
    if problems:
        raise RequestError(*problems)
    request = ANumberRequest(
        attorney=profile,
        state=RequestState.PENDING,
        items=[ANumberRequestItem(a_number=n) for n in a_numbers],
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        "a_number_request.create",
        obj_type="a_number_request",
        obj_id=request.id,
        actor=user,
        a_numbers=len(a_numbers),
    )
    db.session.commit()
    return request


def pending_requests() -> list[ANumberRequest]:
    """Requests waiting for staff, oldest first."""
    return list(
        db.session.scalars(
            select(ANumberRequest)
            .where(ANumberRequest.state == RequestState.PENDING)
            .order_by(ANumberRequest.submitted_at, ANumberRequest.id)
        )
    )


def requests_of(user: User) -> list[ANumberRequest]:
    return list(
        db.session.scalars(
            select(ANumberRequest)
            .where(ANumberRequest.attorney_id == user.id)
            .order_by(ANumberRequest.submitted_at.desc(), ANumberRequest.id.desc())
        )
    )


def decide(
    staff: User, request_id: int, grant: bool, reason: str, e28_filed_on: date | None = None
) -> ANumberRequest:
    """Grant or refuse a pending request, and tell the attorney.

    Refusing needs a reason; so does granting an A-Number that no E-28 record names the
    attorney for.
    """
    reason = reason.strip()
    request = db.session.get(ANumberRequest, request_id)
    if request is None or request.state != RequestState.PENDING:
        raise RequestError("This request is not waiting for a decision (already decided?).")
    profile = request.attorney
    numbers = request.a_numbers
    if not grant and not reason:
        raise RequestError("Give the reason for refusing, so the attorney can act on it.")
    if not grant and e28_filed_on:
        raise RequestError("An E-28 date adds records only when granting; leave it empty.")
    if grant:
        if profile.state != RegistrationState.VERIFIED:
            raise RequestError(f"The attorney is {profile.state}, not verified: refuse instead.")
        matched = evidence.gather(profile, numbers).matched_a_numbers()
        unmatched = [n for n in numbers if n not in matched]
        if unmatched and not reason:
            raise RequestError(
                "No E-28 record names this attorney for "
                + ", ".join(format_a_number(n) for n in unmatched)
                + ". To grant anyway, give the reason (for example, the E-28 you saw and where)."
            )
    new_state = RequestState.GRANTED if grant else RequestState.REFUSED
    changed = db.conditional_update(
        update(ANumberRequest)
        .where(ANumberRequest.id == request_id, ANumberRequest.state == RequestState.PENDING)
        .values(
            state=new_state,
            decided_at=db.utcnow(),
            decided_by_id=staff.id,
            decision_reason=reason or None,
        )
    )
    if not changed:
        db.session.rollback()
        raise RequestError("This request is not waiting for a decision (already decided?).")
    db.session.refresh(request)
    if grant:
        listed = {c.a_number for c in profile.claims}
        for n in numbers:
            if n not in listed:
                db.session.add(ClaimedANumber(attorney=profile, a_number=n))
        if e28_filed_on:
            _add_records(
                staff, profile, [n for n in numbers if not on_record(profile, n)], e28_filed_on
            )
    audit.record(
        f"a_number_request.{new_state}",
        obj_type="a_number_request",
        obj_id=request_id,
        actor=staff,
        attorney_id=profile.user_id,
        reason=reason,
    )
    _tell_attorney(request, profile, grant, reason)
    workers.commit()
    return request


def _add_records(staff: User, profile: AttorneyProfile, numbers: list[str], filed_on: date) -> None:
    for n in numbers:
        try:
            record = build_appearance(
                a_number=n,
                attorney_name=profile.user.full_name,
                bar_state=profile.bar_state,
                bar_number=profile.bar_number,
                eoir_id=profile.eoir_id,
                filed_on=filed_on,
                source="manual",
            )
        except AppearanceError as exc:
            db.session.rollback()
            raise RequestError(f"The E-28 record cannot be added: {exc}.") from None
        if db.session.scalar(
            select(Appearance.id).where(Appearance.natural_key == record.natural_key)
        ):
            continue
        record.created_by_id = staff.id
        db.session.add(record)
        db.session.flush()
        audit.record("appearance.add", obj_type="appearance", obj_id=record.id, actor=staff)


def _tell_attorney(
    request: ANumberRequest, profile: AttorneyProfile, grant: bool, reason: str
) -> None:
    user = profile.user
    if grant:
        db.session.flush()
        lines = [
            f"  {format_a_number(n)}: "
            + (
                "E-28 on record: you can serve on it"
                if on_record(profile, n)
                else "no E-28 record yet: you can serve one set that includes your E-28, and "
                "further sets once OCC has recorded it"
            )
            for n in request.a_numbers
        ]
        subject = "Your A-Numbers were added on OCC eService"
        body = (
            f"Dear {user.full_name},\n\nOCC staff granted your request to add A-Numbers:\n\n"
            + "\n".join(lines)
            + (f"\n\nNote from staff: {reason}" if reason else "")
            + "\n"
        )
    else:
        subject = "Your request to add A-Numbers was refused"
        body = (
            f"Dear {user.full_name},\n\nOCC staff refused your request to add "
            + ", ".join(format_a_number(n) for n in request.a_numbers)
            + f".\n\nReason: {reason}\n"
        )
    notify(
        f"a_number_request:{request.id}:decision",
        f"a_number_request_{'granted' if grant else 'refused'}",
        user.email,
        subject,
        body,
    )
