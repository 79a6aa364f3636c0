"""Administration: importing E-28 appearance records from a CSV file (the page beside the
``appearances import`` command)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField

from app.admin import bp
from app.auth import admin_required
from registration.appearance_import import (
    CSV_HEADER,
    MAX_UPLOAD_BYTES,
    ImportFileError,
    ImportReport,
    import_upload,
)

ENDPOINT = "admin.appearances_import"
PASTED = "rows pasted on the import page"


class ImportFileForm(FlaskForm):
    file = FileField("CSV file (UTF-8, at most 5 MB)")


class PasteForm(FlaskForm):
    rows = TextAreaField("Or paste the rows, the header line first (up to a few hundred lines)")


def _page(
    file_form: ImportFileForm,
    paste_form: PasteForm,
    report: ImportReport | None = None,
    source: str | None = None,
    status: int = 200,
) -> Any:
    return render_template(
        "admin/appearances_import.html",
        file_form=file_form,
        paste_form=paste_form,
        report=report,
        source=source,
        header=",".join(CSV_HEADER),
        max_mb=MAX_UPLOAD_BYTES // 1_048_576,
    ), status


@bp.route("/appearances/import", methods=["GET", "POST"])
@admin_required
def appearances_import() -> Any:
    file_form = ImportFileForm(formdata=None)
    paste_form = PasteForm(formdata=None)
    if request.method == "GET":
        return _page(file_form, paste_form)
    if "rows" in request.form:
        paste_form = PasteForm()
        form: FlaskForm = paste_form
        target = paste_form.rows
    else:
        file_form = ImportFileForm()
        form = file_form
        target = file_form.file
    if not form.validate_on_submit():
        return _page(file_form, paste_form, status=422)
    if target is paste_form.rows:
        data, name = (paste_form.rows.data or "").encode("utf-8"), PASTED
    else:
        upload = file_form.file.data
        if upload is None or not upload.filename:
            target.errors = ["Choose the CSV file to import."]
            return _page(file_form, paste_form, status=422)
        data, name = upload.stream.read(MAX_UPLOAD_BYTES + 1), upload.filename
    if not data.strip():
        target.errors = ["Choose a CSV file, or paste its rows."]
        return _page(file_form, paste_form, status=422)
    try:
        report = import_upload(current_user, data, name)
    except ImportFileError as exc:
        target.errors = [str(exc)]
        return _page(file_form, paste_form, status=422)
    # Refused pasted rows stay in the box, to be corrected there.
    keep = not report.applied and target is paste_form.rows
    return _page(
        ImportFileForm(formdata=None),
        paste_form if keep else PasteForm(formdata=None),
        report,
        name,
        200 if report.applied else 422,
    )
