"""The page where an attorney serves a document set. Everything it is given is kept in the
attorney's set in progress (filings.drafts): a refused set, a closed tab or an ended session
never makes them pick a file again."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from wtforms import SelectChoice

from app import denials, errors
from app.offices import all_offices
from filings import corrections, corrections_links, drafts, services
from filings.draft_models import DraftSet
from filings.families import MAX_RIDERS
from filings.forms import ServeForm
from filings.problems import FilingRefused, Problem, problem
from filings.rules import DOCUMENT_TYPE_LABELS
from filings.views import bp, verified_attorney_required
from storage import StorageError

# The filing pages (attorney's and staff's) show the family and correction links.
bp.add_app_template_global(corrections_links.family_links, "family_links")


def _form() -> ServeForm:
    form = ServeForm()
    form.office.choices = [SelectChoice("", "— choose —")] + [
        SelectChoice(o.code, o.label) for o in all_offices()
    ]
    return form


def _page(
    form: ServeForm,
    draft: DraftSet | None,
    problems: list[Problem],
    status: int = 200,
    notice: str | None = None,
) -> Any:
    wants_json = request.method == "POST" and request.accept_mimetypes.best == "application/json"
    # A file's problem, and a per-document type, point at the file input (the field to fix).
    problems = [
        replace(p, field="files") if (p.file and not p.field) or p.field == "document_types" else p
        for p in problems
    ]
    if notice and not wants_json:
        flash(notice, "info")
    context = {
        "form": form,
        "draft": draft,
        "kept": drafts.in_order(draft) if draft else [],
        "problems": problems,
        "type_labels": DOCUMENT_TYPE_LABELS,
        "corrects": corrections.of_draft(draft),
        "max_riders": MAX_RIDERS,
    }
    if wants_json:  # serve.js: the kept files, redrawn after each upload, move or removal
        html = render_template("filings/kept_files.html", **context)
        answer = {"html": html, "notice": notice, "problems": [p.as_dict() for p in problems]}
        return jsonify(answer), status
    return render_template("filings/new.html", **context), status


@bp.route("/filings/new", methods=["GET", "POST"])
@verified_attorney_required
def new() -> Any:
    form = _form()
    if request.method == "GET":
        return _show(form)
    submission = form.submission_id.data or ""
    earlier = services.earlier_filing(current_user, f"form:{submission}" if submission else None)
    if earlier is not None:  # the same page sent twice: the first receipt
        return redirect(url_for("filings.show", filing_id=earlier.id), code=303)
    form.validate()  # parses the date; every other check is the service's
    kept = drafts.keep(
        current_user,
        drafts.typed_fields(request.form),
        request.files.getlist("files"),
        request.form.getlist("document_types"),
        {k[5:]: v for k, v in request.form.items() if k.startswith("type-")},
    )
    action, _, file_id = request.form.get("action", "serve").partition(":")
    if action == "discard":
        drafts.discard(current_user)
        flash("The set in progress was discarded, with its files.", "info")
        return redirect(url_for("filings.new"), code=303)
    if action in {"remove", "up", "down"}:
        if action == "remove":
            notice = f"Removed {drafts.remove_file(current_user, file_id)} from the set."
        else:
            name = drafts.move_file(current_user, file_id, -1 if action == "up" else 1)
            notice = f"Moved {name} {action}."
        return _page(form, drafts.draft_of(current_user), kept.problems, notice=notice)
    if action != "serve":  # "save": the files and fields are kept; nothing served yet
        return _page(form, kept.draft, kept.problems, 422 if kept.problems else 200)
    return _serve(form, kept)


def _serve(form: ServeForm, kept: drafts.Kept) -> Any:
    found = list(kept.problems)
    if form.next_hearing_on.errors:  # said once, as the service's problems are
        detail = form.next_hearing_on.errors[0]
        found.append(problem("invalid_field", field="next_hearing_on", detail=detail))
        form.next_hearing_on.errors = []
    req = services.ServiceRequest(
        office=form.office.data or "",
        a_number=form.a_number.data or "",
        document_type=form.document_type.data or "",
        title=form.title.data or "",
        next_hearing_on=form.next_hearing_on.data,
        detained=bool(form.detained.data),
        includes_e28=bool(form.includes_e28.data),
        idempotency_key=f"form:{form.submission_id.data}" if form.submission_id.data else None,
        rider_a_numbers=(form.rider_a_numbers.data or "",),
        corrects_id=drafts.corrects_id(kept.draft),
    )
    draft = kept.draft
    try:
        filing, created = services.serve(
            current_user,
            req,
            [],
            kept=drafts.in_order(draft) if draft else [],
            found=found,
            before_commit=(lambda f: drafts.consume(current_user, draft, f.id)) if draft else None,
        )
    except FilingRefused as refused:
        notice = None
        if any(p.field == "corrects" for p in refused.problems):
            # The link cannot be made: the next "Serve" serves the same set as a new one.
            receipt = drafts.forget_correction(current_user)
            notice = (
                f"This set is no longer linked to {receipt}: fix anything else listed, then "
                "choose Serve to serve it as a new set, with its own receipt."
            )
        return _page(
            form, drafts.draft_of(current_user), refused.problems, refused.status, notice=notice
        )
    if not created:
        drafts.forget_served(current_user, filing)
    return redirect(url_for("filings.show", filing_id=filing.id), code=303)


def _show(form: ServeForm) -> Any:
    """The serve page: with the set in progress, or starting the correction of a refused set."""
    problems: list[Problem] = []
    correct = request.args.get("correct")
    if correct:
        try:
            corrections.start(current_user, correct)
        except corrections.CannotCorrect as cannot:
            flash(str(cannot), "warning")
        except corrections.BusyDraft:
            flash(
                "You have another set in progress. Serve it or discard it, then choose "
                "“Serve a corrected set” again.",
                "warning",
            )
        except StorageError:
            problems.append(problem("storage_unavailable"))
    draft = drafts.draft_of(current_user)
    if draft is not None:
        lost = drafts.missing_files(draft)
        for name in lost:
            flash(f"{name} was no longer kept; attach it again.", "warning")
        typed = dict(draft.fields or {})
        form.process(data={k: v for k, v in typed.items() if k in drafts.FIELDS + drafts.FLAGS})
        form.next_hearing_on.data = None
        form.next_hearing_on.raw_data = [str(typed.get("next_hearing_on") or "")]
    form.submission_id.data = str(uuid.uuid4())
    return _page(form, draft, problems)


@bp.errorhandler(CSRFError)
@bp.errorhandler(413)
def ended_session(exc: Exception) -> Any:
    """A serve form sent after the session ended (or from a page that expired): say what
    happened, and that the set in progress is kept; other pages get the usual answer."""
    signed_in = bool(current_user.is_authenticated)
    if isinstance(exc, CSRFError):
        if request.endpoint != "filings.new":
            return errors.csrf_error(exc)
        denials.record_csrf_failure(exc.description or "CSRF check failed")
    elif request.endpoint != "filings.new" or signed_in:
        return errors.too_large(exc)
    status = 400 if isinstance(exc, CSRFError) else 413
    return render_template("filings/session_ended.html", signed_in=signed_in), status
