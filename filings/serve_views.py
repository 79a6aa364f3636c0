"""The page where an attorney serves a document set."""

from __future__ import annotations

import uuid
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from app.offices import all_offices
from filings import services
from filings.forms import ServeForm
from filings.problems import FilingRefused
from filings.views import bp, verified_attorney_required


@bp.route("/filings/new", methods=["GET", "POST"])
@verified_attorney_required
def new() -> Any:
    form = ServeForm()
    form.office.choices = [SelectChoice("", "— choose —")] + [
        SelectChoice(o.code, o.label) for o in all_offices()
    ]
    if request.method == "GET":
        form.submission_id.data = str(uuid.uuid4())
        return render_template("filings/new.html", form=form, problems=[])
    problems = []
    status = 422
    if form.validate_on_submit():
        req = services.ServiceRequest(
            office=form.office.data or "",
            a_number=form.a_number.data or "",
            document_type=form.document_type.data or "",
            title=form.title.data or "",
            next_hearing_on=form.next_hearing_on.data,
            detained=bool(form.detained.data),
            includes_e28=bool(form.includes_e28.data),
            idempotency_key=f"form:{form.submission_id.data}" if form.submission_id.data else None,
        )
        try:
            filing, _created = services.serve(current_user, req, request.files.getlist("files"))
        except FilingRefused as refused:
            problems, status = refused.problems, refused.status
        else:
            return redirect(url_for("filings.show", filing_id=filing.id), code=303)
    return render_template("filings/new.html", form=form, problems=problems), status
