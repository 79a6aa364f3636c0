"""Each office keeps its own rejection reasons: listed, added, edited, deleted (each an audit
event), offered on the reject form, and invisible to other offices (404)."""

from __future__ import annotations

import re

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from filings.decision_models import ReasonTemplate
from filings.models import Filing, FilingStatus
from tests.filings.decide_steps import choose, confirm, serve
from tests.helpers import login, post_form

PAGE = "/staff/reason-templates"


def _add(client, title: str, text: str):
    return post_form(client, PAGE, {"title": title, "text": text})


def _template_id(app, title: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(ReasonTemplate.id).where(ReasonTemplate.title == title))


def test_staff_add_edit_and_delete_reasons_each_audited(app, staff_client):
    assert "no rejection reasons yet" in staff_client.get(PAGE).get_data(as_text=True)
    assert (
        _add(staff_client, "Missing pages", "Pages are missing; serve the whole set.").status_code
        == 303
    )
    listed = staff_client.get(PAGE).get_data(as_text=True)
    assert "Missing pages" in listed and "serve the whole set" in listed
    template_id = _template_id(app, "Missing pages")
    edit = f"{PAGE}/{template_id}"
    saved = post_form(staff_client, edit, {"title": "Pages missing", "text": "Serve every page."})
    assert saved.status_code == 303
    assert "Serve every page." in staff_client.get(PAGE).get_data(as_text=True)
    gone = post_form(staff_client, PAGE, {}, action=f"{edit}/delete")
    assert gone.status_code == 303
    assert "no rejection reasons yet" in staff_client.get(PAGE).get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "reason_template")
        ).all()
    assert actions == [
        "reason_template.created",
        "reason_template.updated",
        "reason_template.deleted",
    ]


def test_bad_reasons_are_named_and_nothing_is_stored(app, staff_client):
    empty = _add(staff_client, "  ", "")
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422
    assert (
        "Give the reason a short title." in html
        and "Write the reason the attorney will read." in html
    )
    _add(staff_client, "Wrong office", "Serve it on the office of the court.")
    twice = _add(staff_client, "Wrong office", "Another text.")
    assert twice.status_code == 422
    assert "already has a reason with this title" in twice.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(ReasonTemplate)).all()) == 1


def test_another_office_neither_sees_nor_changes_them(app, staff_client, make_staff):
    _add(staff_client, "Wrong office", "Serve it on the office of the court.")
    template_id = _template_id(app, "Wrong office")
    make_staff("staff.nyc@occ.example", office="NYC")
    nyc = app.test_client()
    login(nyc, "staff.nyc@occ.example")
    assert "Wrong office" not in nyc.get(PAGE).get_data(as_text=True)
    assert nyc.get(f"{PAGE}/{template_id}").status_code == 404
    assert nyc.get(f"{PAGE}/not-a-number").status_code == 404
    changed = post_form(
        nyc, PAGE, {"title": "Mine now", "text": "x"}, action=f"{PAGE}/{template_id}"
    )
    deleted = post_form(nyc, PAGE, {}, action=f"{PAGE}/{template_id}/delete")
    assert changed.status_code == 404 and deleted.status_code == 404
    with app.app_context():
        assert db.session.get(ReasonTemplate, template_id).title == "Wrong office"


def test_the_reject_form_offers_them_and_an_empty_reason_takes_the_template(
    app, attorney_client, staff_client
):
    _add(staff_client, "Wrong office", "Serve it on the office of the court.")
    template_id = _template_id(app, "Wrong office")
    filing_id = serve(attorney_client)
    form = staff_client.get(f"/staff/filings/{filing_id}").get_data(as_text=True)
    assert re.search(rf'<option value="{template_id}" data-text="Serve it on the office', form)
    question = choose(staff_client, filing_id, "reject", "", template=str(template_id))
    assert "Serve it on the office of the court." in question.get_data(as_text=True)
    confirm(staff_client, filing_id, question)
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing.status == FilingStatus.REJECTED
        assert filing.decision_reason == "Serve it on the office of the court."
    # typed words win over the template
    other = serve(attorney_client)
    typed = choose(staff_client, other, "reject", "Exhibit C is unreadable.", str(template_id))
    assert "Exhibit C is unreadable." in typed.get_data(as_text=True)
    assert "Serve it on the office of the court." not in typed.get_data(as_text=True)
