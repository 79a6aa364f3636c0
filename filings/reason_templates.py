"""An office's rejection reasons kept at hand: a short title and the words the attorney reads.
Staff of the office manage them; each change is an audit event."""

from __future__ import annotations

from flask import abort
from sqlalchemy import func, select

from app import audit, db
from app.users import User
from filings.decision_models import ReasonTemplate
from filings.problems import FilingRefused, Problem, problem

MAX_TITLE = 100
MAX_TEXT = 2000
MAX_PER_OFFICE = 50


def _field_problem(field: str, detail: str) -> Problem:
    return problem("invalid_field", field=field, detail=detail)


def templates_of(staff: User) -> list[ReasonTemplate]:
    """The templates of the staff member's office, by title."""
    return list(
        db.session.scalars(
            select(ReasonTemplate)
            .where(ReasonTemplate.office_id == staff.office_id)
            .order_by(ReasonTemplate.title, ReasonTemplate.id)
        )
    )


def template_for_staff(staff: User, template_id: int | str) -> ReasonTemplate:
    """A template of the staff member's office; 404 for any other."""
    try:
        key = int(template_id)
    except (TypeError, ValueError):
        abort(404)
    found = db.session.get(ReasonTemplate, key) if 0 < key < 2**31 else None
    if found is None or staff.office_id is None or found.office_id != staff.office_id:
        abort(404)
    return found


def _checked(staff: User, title: str, text: str, same: ReasonTemplate | None) -> tuple[str, str]:
    title, text = " ".join(title.split()), text.strip()
    problems = []
    if not title:
        problems.append(_field_problem("title", "Give the reason a short title."))
    elif len(title) > MAX_TITLE:
        problems.append(_field_problem("title", f"A title is at most {MAX_TITLE} characters."))
    if not text:
        problems.append(_field_problem("text", "Write the reason the attorney will read."))
    elif len(text) > MAX_TEXT:
        problems.append(_field_problem("text", f"A reason is at most {MAX_TEXT} characters."))
    clash = db.session.scalar(
        select(ReasonTemplate.id).where(
            ReasonTemplate.office_id == staff.office_id,
            ReasonTemplate.title == title,
            ReasonTemplate.id != (same.id if same else -1),
        )
    )
    if title and clash:
        problems.append(
            _field_problem("title", "Your office already has a reason with this title.")
        )
    if problems:
        raise FilingRefused(problems)
    return title, text


def add(staff: User, title: str, text: str) -> ReasonTemplate:
    if staff.office_id is None:
        abort(404)
    count = db.session.scalar(
        select(func.count()).where(ReasonTemplate.office_id == staff.office_id)
    )
    if (count or 0) >= MAX_PER_OFFICE:
        raise FilingRefused(
            [_field_problem("title", f"An office keeps at most {MAX_PER_OFFICE} reasons.")]
        )
    title, text = _checked(staff, title, text, None)
    template = ReasonTemplate(office_id=staff.office_id, title=title, text=text)
    db.session.add(template)
    db.session.flush()
    audit.record(
        "reason_template.created",
        obj_type="reason_template",
        obj_id=template.id,
        actor=staff,
        title=title,
    )
    db.session.commit()
    return template


def edit(staff: User, template_id: int | str, title: str, text: str) -> ReasonTemplate:
    template = template_for_staff(staff, template_id)
    title, text = _checked(staff, title, text, template)
    template.title, template.text, template.updated_at = title, text, db.utcnow()
    audit.record(
        "reason_template.updated",
        obj_type="reason_template",
        obj_id=template.id,
        actor=staff,
        title=title,
    )
    db.session.commit()
    return template


def delete(staff: User, template_id: int | str) -> str:
    template = template_for_staff(staff, template_id)
    title = template.title
    db.session.delete(template)
    audit.record(
        "reason_template.deleted",
        obj_type="reason_template",
        obj_id=template.id,
        actor=staff,
        title=title,
    )
    db.session.commit()
    return title


def reason_from(staff: User, template_id: str | None, reason: str) -> str:
    """The reason to send: what was typed, or, when nothing was, the chosen template's text."""
    if reason.strip() or not template_id:
        return reason
    return template_for_staff(staff, template_id).text
