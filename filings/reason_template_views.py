"""Staff of an office manage the rejection reasons they use often."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.auth import staff_required
from app.forms import PlainForm
from filings import reason_templates
from filings.decision_forms import ReasonTemplateForm
from filings.problems import FilingRefused
from filings.views import bp


@bp.route("/staff/reason-templates", methods=["GET", "POST"])
@staff_required
def reason_templates_index() -> Any:
    """The office's reasons, and a form to add one."""
    form = ReasonTemplateForm()
    problems = []
    if form.validate_on_submit():
        try:
            added = reason_templates.add(current_user, form.title.data or "", form.text.data or "")
        except FilingRefused as refused:
            problems = refused.problems
        else:
            flash(f"Reason “{added.title}” added.", "success")
            return redirect(url_for("filings.reason_templates_index"), code=303)
    return render_template(
        "filings/reason_templates.html",
        form=form,
        problems=problems,
        templates=reason_templates.templates_of(current_user),
        delete_form=PlainForm(),
    ), (422 if form.is_submitted() else 200)


@bp.route("/staff/reason-templates/<template_id>", methods=["GET", "POST"])
@staff_required
def reason_template_edit(template_id: str) -> Any:
    template = reason_templates.template_for_staff(current_user, template_id)
    form = ReasonTemplateForm(obj=template)
    problems = []
    if form.validate_on_submit():
        try:
            reason_templates.edit(
                current_user, template.id, form.title.data or "", form.text.data or ""
            )
        except FilingRefused as refused:
            problems = refused.problems
        else:
            flash(f"Reason “{template.title}” saved.", "success")
            return redirect(url_for("filings.reason_templates_index"), code=303)
    return render_template(
        "filings/reason_template_edit.html", form=form, problems=problems, template=template
    ), (422 if form.is_submitted() else 200)


@bp.route("/staff/reason-templates/<template_id>/delete", methods=["POST"])
@staff_required
def reason_template_delete(template_id: str) -> Any:
    reason_templates.template_for_staff(current_user, template_id)  # 404 before the CSRF check
    if PlainForm().validate_on_submit():
        title = reason_templates.delete(current_user, template_id)
        flash(f"Reason “{title}” deleted.", "success")
    return redirect(url_for("filings.reason_templates_index"), code=303)
