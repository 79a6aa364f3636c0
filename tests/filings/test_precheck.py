"""Check before you serve: files are taken at once and checked by a job; the report is read
back through the API and the page. Every hostile category is refused with its code through the
API (serving) and the page (checking)."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app import audit, db
from filings import jobs
from filings.models import Filing
from filings.precheck_models import CheckedFile, CheckStatus, FileCheck
from filings.rules import CHECK_FILES_PER_WINDOW
from registration.models import RegistrationState
from storage.base import new_key, sha256_of
from tests import pdfs
from tests.filings.test_deepcheck import HOSTILE
from tests.helpers import api_post, csrf_token, login, multipart, row_count, stored_files

AUTH = "Authorization"
PENDING_MARK = 'id="check-pending"'


def _bearer(token: str) -> dict[str, str]:
    return {AUTH: f"Bearer {token}"}


def _post_check(client, token, files):
    form = multipart({"files": [(io.BytesIO(content), name) for content, name in files]})
    return client.post("/api/v1/checks", **form, headers=_bearer(token))


def _report(client, token, location, timeout=60.0):
    """GET the check until its report is written (jobs may run after the response)."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(location, headers=_bearer(token))
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        if body["status"] == "done":
            return body
        assert time.monotonic() < deadline, f"check still pending after {timeout} s"
        time.sleep(0.1)


def _check(client, token, files):
    response = _post_check(client, token, files)
    assert response.status_code == 202, response.get_json()
    assert response.headers["Location"] == f"/api/v1/checks/{response.get_json()['id']}"
    return _report(client, token, response.headers["Location"])


def _check_page(client, files, timeout=60.0):
    """Submit the page's form, follow the redirect, and reload until the report is there."""
    form = {
        "csrf_token": csrf_token(client, "/filings/check"),
        "files": [(io.BytesIO(content), name) for content, name in files],
    }
    response = client.post("/filings/check", **multipart(form))
    assert response.status_code == 303, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert re.fullmatch(r"/filings/check/[0-9a-f-]{36}", location), location
    deadline = time.monotonic() + timeout
    while True:
        page = client.get(location)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        if PENDING_MARK not in text:
            return text
        assert time.monotonic() < deadline, f"check still pending after {timeout} s"
        time.sleep(0.1)


def _codes(problems):
    return [p["code"] for p in problems]


def _add_check(app, owner_id, status=CheckStatus.DONE, age=timedelta(0), file_count=1, key=None):
    """A check as earlier requests left it: ``age`` old, with one stored file at ``key``."""
    with app.app_context():
        check = FileCheck(
            owner_id=owner_id,
            status=status,
            created_at=db.utcnow() - age,
            file_count=file_count,
            report={"ok": True, "problems": [], "documents": []} if status == "done" else None,
            files=[
                CheckedFile(
                    position=1, filename="a.pdf", size_bytes=10, sha256="0" * 64, storage_key=key
                )
            ],
        )
        db.session.add(check)
        db.session.commit()
        return check.id


def _store(app, content):
    with app.app_context():
        key = new_key(db.utcnow())
        app.extensions["eservice.storage"].put(key, io.BytesIO(content), _sha(content))
        return key


def _sha(content):
    return sha256_of(io.BytesIO(content))


# --- the report -------------------------------------------------------------------------------


def test_check_reports_every_problem_and_warning_and_keeps_nothing(app, client, api_token):
    fine = pdfs.pdf_bytes(pages=2)
    report = _check(
        client,
        api_token,
        [
            (fine, "fine.pdf"),
            (fine, "copy.pdf"),
            (pdfs.pdf_with_javascript(), "script.pdf"),
            (pdfs.encrypted_pdf(), "locked.pdf"),
        ],
    )
    assert report["ok"] is False and report["problems"] == []
    assert set(report) == {
        "id",
        "status",
        "created_at",
        "finished_at",
        "ok",
        "problems",
        "documents",
    }
    by_name = {d["filename"]: d for d in report["documents"]}
    assert by_name["fine.pdf"]["problems"] == [] and by_name["fine.pdf"]["pages"] == 2
    assert by_name["fine.pdf"]["sha256"] == _sha(fine) and by_name["fine.pdf"]["bytes"] == len(fine)
    assert _codes(by_name["copy.pdf"]["problems"]) == ["duplicate_file"]
    assert _codes(by_name["script.pdf"]["problems"]) == ["javascript"]
    assert _codes(by_name["locked.pdf"]["problems"]) == ["encrypted"]
    assert report["finished_at"] >= report["created_at"]
    # Nothing served, and the files were deleted once checked.
    assert row_count(app, Filing) == 0 and stored_files(app) == []


def test_set_problems_oversize_files_and_warnings_are_reported(app, client, api_token):
    big = 2 * 2**20 + 600_000  # over the test app's 2 MB per document; two over its 5 MB set
    report = _check(
        client,
        api_token,
        [
            (b"a" * big, "big-1.pdf"),
            (b"b" * big, "big-2.pdf"),
            (pdfs.scanned_pdf(2), "scan.pdf"),
            (b"Dear court", "letter.pdf"),
        ],
    )
    assert _codes(report["problems"]) == ["set_too_large"]
    by_name = {d["filename"]: d for d in report["documents"]}
    assert _codes(by_name["big-1.pdf"]["problems"]) == ["file_too_large"]
    assert by_name["big-1.pdf"]["bytes"] == big and by_name["big-1.pdf"]["sha256"] == ""
    assert _codes(by_name["letter.pdf"]["problems"]) == ["not_pdf"]
    assert by_name["scan.pdf"]["problems"] == []
    assert _codes(by_name["scan.pdf"]["warnings"]) == ["image_only_pages"]
    assert "2 of 2 pages" in by_name["scan.pdf"]["warnings"][0]["message"]
    assert stored_files(app) == []


def test_check_of_good_files_says_ok(client, api_token):
    report = _check(client, api_token, [(pdfs.pdf_bytes(), "a.pdf")])
    assert report["ok"] is True and report["status"] == "done"


def test_no_files_and_too_many_files_are_refused_at_once(app, client, api_token):
    response = _post_check(client, api_token, [])
    assert response.status_code == 422
    assert _codes(response.get_json()["errors"]) == ["no_files"]
    five = [(pdfs.pdf_bytes(), f"{n}.pdf") for n in range(5)]  # the test app allows 4 a set
    response = _post_check(client, api_token, five)
    assert response.status_code == 422
    assert _codes(response.get_json()["errors"]) == ["too_many_files"]
    assert row_count(app, FileCheck) == 0 and stored_files(app) == []


def test_scanner_without_a_verdict_says_to_try_again(tmp_path, database_url):
    from app import create_app
    from filings.tokens import create_token
    from tests.conftest import make_env
    from tests.helpers import create_attorney

    # Nothing listens on port 9: the scanner gives no verdict.
    env = make_env(tmp_path, database_url, ESERVICE_CLAMD_URL="tcp://127.0.0.1:9")
    app = create_app(env=env)
    try:
        with app.app_context():
            token = create_token(create_attorney(), "tests")
        report = _check(app.test_client(), token, [(pdfs.pdf_bytes(), "a.pdf")])
        assert report["ok"] is False
        [problem] = report["documents"][0]["problems"]
        assert "Try the check again in a few minutes" in problem["message"]
    finally:
        db.session.remove()
        app.extensions["eservice.engine"].dispose()


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_category_refused_through_the_form(app, attorney_client, name):
    content, code = HOSTILE[name]
    page = _check_page(attorney_client, [(content, "hostile.pdf")])
    codes = re.findall(r'data-code="([a-z_]+)"', page)
    assert "These files would be refused" in page
    assert code in codes, codes
    assert stored_files(attorney_client.application) == []


def test_page_shows_the_report_of_good_files(attorney_client):
    page = _check_page(attorney_client, [(pdfs.pdf_bytes(pages=3), "Anexo — página 1.pdf")])
    assert "No problems found" in page
    assert "Anexo — página 1.pdf" in page


def test_pending_check_page_refreshes_itself_and_api_says_pending(app, client, api_token):
    login(client, "lawyer@firm.example")
    check_id = _add_check(app, _owner_id(app), status=CheckStatus.PENDING, file_count=2)
    page = client.get(f"/filings/check/{check_id}").get_data(as_text=True)
    assert 'data-reload-when-done="3"' in page
    assert "2 files are being checked" in page
    body = client.get(f"/api/v1/checks/{check_id}", headers=_bearer(api_token)).get_json()
    assert body["status"] == "pending" and body["ok"] is None and body["finished_at"] is None


def _owner_id(app, email="lawyer@firm.example"):
    from app.users import user_by_email

    with app.app_context():
        user = user_by_email(email)
        assert user is not None
        return user.id


def test_unverified_attorneys_may_check_but_not_serve(app, make_attorney):
    make_attorney("new@law.example", state=RegistrationState.PENDING_REVIEW, eoir_id="NW123456")
    client = app.test_client()
    login(client, "new@law.example")
    page = _check_page(client, [(pdfs.pdf_bytes(), "a.pdf")])
    assert "No problems found" in page
    assert client.get("/filings/new").status_code == 404


def test_unconfirmed_email_is_refused(app, make_attorney):
    make_attorney("new@law.example", state=RegistrationState.EMAIL_UNCONFIRMED, eoir_id="NW1")
    client = app.test_client()
    login(client, "new@law.example")
    form = {
        "csrf_token": csrf_token(client, "/filings/check"),
        "files": [(io.BytesIO(pdfs.pdf_bytes()), "a.pdf")],
    }
    response = client.post("/filings/check", **multipart(form))
    assert response.status_code == 403
    assert "Confirm your e-mail address first" in response.get_data(as_text=True)
    assert row_count(app, FileCheck) == 0 and stored_files(app) == []
    assert _audit_actions(app, "check.refused") == 1


def test_check_form_needs_csrf(attorney_client):
    form = {"files": [(io.BytesIO(pdfs.pdf_bytes()), "a.pdf")]}
    assert attorney_client.post("/filings/check", **multipart(form)).status_code == 400


def _audit_actions(app, action):
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(audit.AuditEvent)
            .where(audit.AuditEvent.action == action)
        )


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


# --- serving: the same categories through the filing API ---------------------------------------


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_category_refused_through_the_api(app, client, api_token, name):
    content, code = HOSTILE[name]
    response = api_post(client, api_token, [(content, "hostile.pdf")])
    if response.status_code == 422:  # refused at the door (intake)
        codes = [e["code"] for e in response.get_json()["errors"]]
        assert code in codes, codes
        assert row_count(app, Filing) == 0
        return
    assert response.status_code == 201
    status = client.get(
        f"/api/v1/filings/{response.get_json()['id']}", headers=_bearer(api_token)
    ).get_json()
    assert status["status"] == "refused"
    assert code in [p["code"] for p in status["problems"]]


def _legitimate() -> dict[str, bytes]:
    brief = pdfs.brief_pdf(500)
    return {
        "500-page brief": brief,
        "scanned exhibit": pdfs.scanned_pdf(12),
        "PDF 1.7 with object streams": pdfs.rewritten_with_qpdf(brief, object_streams=True),
        "linearized": pdfs.rewritten_with_qpdf(pdfs.pdf_bytes(pages=8), linearize=True),
        "fillable form": pdfs.fillable_form_pdf(),
    }


LEGITIMATE = _legitimate()


@pytest.mark.parametrize("name", list(LEGITIMATE))
def test_legitimate_documents_are_served(app, client, api_token, name):
    response = api_post(client, api_token, [(LEGITIMATE[name], "Anexo — página 1.pdf")])
    assert response.status_code == 201, response.get_json()
    filing = client.get(
        f"/api/v1/filings/{response.get_json()['id']}", headers=_bearer(api_token)
    ).get_json()
    assert filing["status"] == "served", filing["problems"]
    assert filing["documents"][0]["filename"] == "Anexo — página 1.pdf"
