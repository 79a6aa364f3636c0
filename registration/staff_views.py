"""Staff pages: a registration's review, suspension, A-Number requests
and E-28 records."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import db
from app.auth import staff_required
from app.forms import PlainForm
from registration import (
    additions,
    appearance_search,
    appearances,
    evidence,
    holders,
    services,
    suspension,
)
from registration.forms import AppearanceForm, DecisionForm, RequestDecisionForm, SuspensionForm
from registration.models import ANumberRequest, AttorneyProfile, RegistrationState
from registration.views import bp


def _review_page(profile: AttorneyProfile, form: DecisionForm, status: int = 200) -> Any:
    claimed = [c.a_number for c in profile.claims]
    return render_template(
        "registration/review.html",
        profile=profile,
        checks=appearances.check_claims(profile, claimed),
        found=evidence.gather(profile, claimed),
        conflicts=holders.conflicts(profile),
        form=form,
        suspension_form=SuspensionForm(),
        plain_form=PlainForm(),
        States=RegistrationState,
    ), status


def _profile_or_404(attorney_id: int) -> AttorneyProfile:
    profile = db.session.get(AttorneyProfile, attorney_id)
    if profile is None:
        abort(404)
    return profile


@bp.route("/staff/registrations/<int:attorney_id>", methods=["GET", "POST"])
@staff_required
def review(attorney_id: int) -> Any:
    profile = _profile_or_404(attorney_id)
    form = DecisionForm()
    if form.validate_on_submit():
        verify = form.decision.data == "verify"
        try:
            services.decide(current_user, attorney_id, verify, form.reason.data or "")
        except services.DecisionError as exc:
            form.reason.errors = [str(exc)]
        else:
            flash(
                f"Registration of {profile.user.full_name} recorded as "
                f"{'verified' if verify else 'rejected'}.",
                "success",
            )
            return redirect(url_for("registration.queue"))
    return _review_page(profile, form, 422 if form.is_submitted() else 200)


def _account_change(attorney_id: int, change: str) -> Any:
    """Suspend, reinstate or revoke, from the review page."""
    profile = _profile_or_404(attorney_id)
    form = PlainForm() if change == "reinstate" else SuspensionForm()
    if not form.validate_on_submit():
        flash("Give the reason; the attorney is told it.", "error")
        return _review_page(profile, DecisionForm(), 422)
    reason = getattr(form, "reason", None)
    try:
        if change == "suspend":
            suspension.suspend(attorney_id, reason.data if reason else "", actor=current_user)
        elif change == "revoke":
            suspension.revoke(attorney_id, reason.data if reason else "", actor=current_user)
        else:
            suspension.reinstate(attorney_id, actor=current_user)
    except suspension.SuspensionError as exc:
        flash(str(exc), "error")
        return _review_page(profile, DecisionForm(), 422)
    done = {"suspend": "suspended", "reinstate": "reinstated", "revoke": "revoked"}[change]
    flash(f"{profile.user.full_name}: {done}.", "success")
    return redirect(url_for("registration.review", attorney_id=attorney_id))


@bp.route("/staff/registrations/<int:attorney_id>/suspend", methods=["POST"])
@staff_required
def suspend(attorney_id: int) -> Any:
    return _account_change(attorney_id, "suspend")


@bp.route("/staff/registrations/<int:attorney_id>/reinstate", methods=["POST"])
@staff_required
def reinstate(attorney_id: int) -> Any:
    return _account_change(attorney_id, "reinstate")


@bp.route("/staff/registrations/<int:attorney_id>/revoke", methods=["POST"])
@staff_required
def revoke(attorney_id: int) -> Any:
    return _account_change(attorney_id, "revoke")


@bp.route("/staff/a-number-requests")
@staff_required
def request_queue() -> Any:
    return render_template("registration/request_queue.html", requests=additions.pending_requests())


@bp.route("/staff/a-number-requests/<int:request_id>", methods=["GET", "POST"])
@staff_required
def request_review(request_id: int) -> Any:
    request = db.session.get(ANumberRequest, request_id)
    if request is None:
        abort(404)
    form = RequestDecisionForm()
    if form.validate_on_submit():
        grant = form.decision.data == "grant"
        try:
            additions.decide(
                current_user, request_id, grant, form.reason.data or "", form.e28_filed_on.data
            )
        except additions.RequestError as exc:
            form.reason.errors = exc.problems
        else:
            flash(
                f"Request of {request.attorney.user.full_name} "
                f"{'granted' if grant else 'refused'}.",
                "success",
            )
            return redirect(url_for("registration.request_queue"))
    profile = request.attorney
    return render_template(
        "registration/request_review.html",
        request=request,
        profile=profile,
        found=evidence.gather(profile, request.a_numbers),
        listed=[c.a_number for c in profile.claims],
        form=form,
    ), 422 if form.is_submitted() else 200


@bp.route("/staff/appearances", endpoint="appearances")
@staff_required
def list_appearances() -> Any:
    query = request.args.get("q", "")
    raw_before = request.args.get("before", "")
    before = int(raw_before) if raw_before.isdigit() and len(raw_before) < 12 else None
    try:
        page = appearance_search.search(query, before)
    except appearance_search.SearchError as exc:
        return render_template(
            "registration/appearances.html", query=query, error=str(exc), page=None, names={}
        ), 400
    return render_template(
        "registration/appearances.html",
        query=query,
        error=None,
        page=page,
        before=before,
        names=appearance_search.creators(page.records),
    )


@bp.route("/staff/appearances/new", methods=["GET", "POST"])
@staff_required
def add_appearance() -> Any:
    form = AppearanceForm()
    if form.validate_on_submit():
        try:
            record = appearances.add_appearance(
                current_user,
                a_number=form.a_number.data,
                attorney_name=form.attorney_name.data,
                bar_state=form.bar_state.data,
                bar_number=form.bar_number.data,
                eoir_id=form.eoir_id.data,
                filed_on=form.filed_on.data,
            )
        except appearances.AppearanceError as exc:
            form.a_number.errors = [str(exc)]
        else:
            flash(
                f"E-28 appearance record added for A-Number ending {record.a_number[-4:]}.",
                "success",
            )
            return redirect(url_for("registration.add_appearance"))
    status = 422 if form.is_submitted() else 200
    return render_template("registration/appearance_form.html", form=form), status
