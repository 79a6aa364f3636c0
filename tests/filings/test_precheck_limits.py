"""Check before you serve, its limits: who sees a check, the daily quota and the pending
limit, and the job and sweeps that finish, give up and clean up."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select, update

from app import db
from filings import jobs
from filings.precheck_models import CheckedFile, CheckStatus, FileCheck
from filings.rules import CHECK_FILES_PER_WINDOW
from tests import pdfs
from tests.filings.precheck_steps import (
    _add_check,
    _audit_actions,
    _bearer,
    _check,
    _codes,
    _owner_id,
    _post_check,
    _report,
    _store,
)
from tests.helpers import csrf_token, login, multipart, row_count, stored_files

# --- who sees a check ---------------------------------------------------------------------------


def test_another_attorneys_check_is_not_found(app, client, api_token, make_attorney):
    from filings.tokens import create_token

    response = _post_check(client, api_token, [(pdfs.pdf_bytes(), "a.pdf")])
    location = response.headers["Location"]
    check_id = response.get_json()["id"]
    other = make_attorney("other@law.example", eoir_id="OT123456", a_numbers=("087654321",))
    with app.app_context():
        other_token = create_token(db.session.get(type(other), other.id), "tests")
    refused = client.get(location, headers=_bearer(other_token))
    assert refused.status_code == 404 and _codes(refused.get_json()["errors"]) == ["not_found"]
    other_client = app.test_client()
    login(other_client, "other@law.example")
    assert other_client.get(f"/filings/check/{check_id}").status_code == 404
    assert client.get(f"/api/v1/checks/{check_id}").status_code == 401  # no token
    assert client.get(location, headers=_bearer(api_token)).status_code == 200


# --- the quota ----------------------------------------------------------------------------------


def test_files_over_the_daily_quota_are_refused_with_when_to_try_again(app, client, api_token):
    owner = _owner_id(app)
    _add_check(app, owner, age=timedelta(hours=2), file_count=CHECK_FILES_PER_WINDOW - 2)
    _add_check(app, owner, age=timedelta(hours=30), file_count=50)  # outside the window
    three = [(pdfs.pdf_bytes(), f"{n}.pdf") for n in range(3)]
    response = _post_check(client, api_token, three)
    assert response.status_code == 429
    [error] = response.get_json()["errors"]
    assert error["code"] == "checks_per_day"
    assert f"the limit is {CHECK_FILES_PER_WINDOW} files in any 24 hours" in error["message"]
    # Room again when the check of 2 hours ago leaves the 24-hour window.
    assert 21 * 3600 < int(response.headers["Retry-After"]) <= 22 * 3600
    assert row_count(app, FileCheck) == 2 and stored_files(app) == []
    assert _audit_actions(app, "check.refused") == 1
    # Up to the limit is fine.
    assert _post_check(client, api_token, three[:2]).status_code == 202


def test_checks_pending_over_the_limit_are_refused(app, client, api_token):
    owner = _owner_id(app)
    for _ in range(2):
        _add_check(app, owner, status=CheckStatus.PENDING)
    response = _post_check(client, api_token, [(pdfs.pdf_bytes(), "a.pdf")])
    assert response.status_code == 429
    assert _codes(response.get_json()["errors"]) == ["checks_pending"]
    assert "at most 2 may run at once" in response.get_json()["errors"][0]["message"]
    assert int(response.headers["Retry-After"]) > 0
    login(client, "lawyer@firm.example")
    form = {
        "csrf_token": csrf_token(client, "/filings/check"),
        "files": [(io.BytesIO(pdfs.pdf_bytes()), "a.pdf")],
    }
    page = client.post("/filings/check", **multipart(form))
    assert page.status_code == 429 and "Retry-After" in page.headers
    assert "at most 2 may run at once" in page.get_data(as_text=True)
    assert row_count(app, FileCheck) == 2 and stored_files(app) == []


# --- the job and the sweeps ----------------------------------------------------------------------


def test_check_job_run_again_changes_nothing(app, client, api_token):
    report = _check(client, api_token, [(pdfs.pdf_with_javascript(), "script.pdf")])
    with app.app_context():
        jobs.check_files(report["id"])
    again = _report(client, api_token, f"/api/v1/checks/{report['id']}")
    assert again == report
    assert _audit_actions(app, "check.finished") == 1


def test_orphan_sweep_keeps_waiting_files_and_removes_those_of_a_check_that_never_ran(
    app, make_attorney
):
    owner = make_attorney().id
    waiting = _store(app, pdfs.pdf_bytes())
    lost = _store(app, pdfs.pdf_bytes())
    unrecorded = _store(app, pdfs.pdf_bytes())  # stored, then the request failed
    _add_check(app, owner, status=CheckStatus.PENDING, key=waiting)
    lost_id = _add_check(app, owner, status=CheckStatus.PENDING, age=timedelta(hours=2), key=lost)
    with app.app_context():
        assert jobs.sweep_orphaned_documents(older_than_seconds=0) == 2
    assert stored_files(app) == [waiting]
    # The check whose job never ran is reported as not checked when its job turns up.
    with app.app_context():
        jobs.check_files(lost_id)
        check = db.session.get(FileCheck, lost_id)
        assert check is not None and check.status == CheckStatus.DONE
        assert "could not be checked" in check.report["problems"][0]["message"]
    assert unrecorded not in stored_files(app)


def test_sweep_gives_up_lost_checks_and_deletes_reports_after_a_week(
    app, client, api_token, make_attorney
):
    owner = _owner_id(app)
    lost_key = _store(app, pdfs.pdf_bytes())
    lost = _add_check(app, owner, status=CheckStatus.PENDING, age=timedelta(hours=2), key=lost_key)
    recent = _check(client, api_token, [(pdfs.pdf_bytes(), "a.pdf")])["id"]
    old = _add_check(app, owner, age=timedelta(days=6))
    expired_key = _store(app, pdfs.pdf_bytes())  # a file left behind by an old check
    expired = _add_check(app, owner, age=timedelta(days=8), key=expired_key)
    with app.app_context():
        assert jobs.sweep_file_checks() == 2
    given_up = _report(client, api_token, f"/api/v1/checks/{lost}")
    assert given_up["ok"] is False and "Run the check again" in given_up["problems"][0]["message"]
    assert given_up["documents"][0]["filename"] == "a.pdf"
    assert client.get(f"/api/v1/checks/{expired}", headers=_bearer(api_token)).status_code == 404
    for kept in (recent, old):
        assert client.get(f"/api/v1/checks/{kept}", headers=_bearer(api_token)).status_code == 200
    assert stored_files(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckedFile)) == 3
        assert jobs.sweep_file_checks() == 0  # nothing more to do
        db.session.execute(update(FileCheck).values(created_at=db.utcnow() - timedelta(days=9)))
        db.session.commit()
        assert jobs.sweep_file_checks() == 3
    assert row_count(app, FileCheck) == 0 and row_count(app, CheckedFile) == 0
