"""Check before you serve: files are taken at once and checked by a job; the report is read
back through the API and the page. Every hostile category is refused with its code through the
API (serving) and the page (checking)."""

from __future__ import annotations

import io
import re

import pytest

from app import db
from filings.models import Filing
from filings.precheck_models import CheckStatus, FileCheck
from registration.models import RegistrationState
from tests import pdfs
from tests.filings.precheck_steps import (
    _add_check,
    _audit_actions,
    _bearer,
    _check,
    _check_page,
    _codes,
    _owner_id,
    _post_check,
    _sha,
)
from tests.filings.test_deepcheck import HOSTILE
from tests.helpers import api_post, csrf_token, login, multipart, row_count, stored_files

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
