"""Check before you serve, and every hostile category refused with its code through the API
(serving) and the form (checking)."""

from __future__ import annotations

import io
import re

import pytest

from filings.models import Filing
from registration.models import RegistrationState
from tests import pdfs
from tests.filings.test_deepcheck import HOSTILE
from tests.helpers import api_post, csrf_token, login, multipart, row_count, stored_files

AUTH = "Authorization"


def _check_api(client, token, files):
    form = multipart({"files": [(io.BytesIO(content), name) for content, name in files]})
    return client.post("/api/v1/checks", **form, headers={AUTH: f"Bearer {token}"})


def test_check_reports_every_problem_and_warning_and_keeps_nothing(app, client, api_token):
    response = _check_api(
        client,
        api_token,
        [
            (pdfs.pdf_bytes(pages=2), "fine.pdf"),
            (pdfs.pdf_with_javascript(), "script.pdf"),
            (b"Dear court", "letter.pdf"),
            (pdfs.encrypted_pdf(), "locked.pdf"),
            (pdfs.scanned_pdf(2), "scan.pdf"),
        ],
    )
    assert response.status_code == 200
    report = response.get_json()
    assert report["ok"] is False  # the test app allows 4 files per set, so the set is named too
    assert [p["code"] for p in report["problems"]] == ["too_many_files"]
    by_name = {d["filename"]: d for d in report["documents"]}
    assert by_name["fine.pdf"]["problems"] == [] and by_name["fine.pdf"]["pages"] == 2
    assert [p["code"] for p in by_name["script.pdf"]["problems"]] == ["javascript"]
    assert [p["code"] for p in by_name["letter.pdf"]["problems"]] == ["not_pdf"]
    assert [p["code"] for p in by_name["locked.pdf"]["problems"]] == ["encrypted"]
    assert by_name["scan.pdf"]["problems"] == []
    assert [w["code"] for w in by_name["scan.pdf"]["warnings"]] == ["image_only_pages"]
    assert "2 of 2 pages" in by_name["scan.pdf"]["warnings"][0]["message"]
    assert row_count(app, Filing) == 0 and stored_files(app) == []


def test_check_of_good_files_says_ok(client, api_token):
    report = _check_api(client, api_token, [(pdfs.pdf_bytes(), "a.pdf")]).get_json()
    assert report["ok"] is True


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
        f"/api/v1/filings/{response.get_json()['id']}", headers={AUTH: f"Bearer {api_token}"}
    ).get_json()
    assert status["status"] == "rejected"
    assert code in [p["code"] for p in status["problems"]]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_category_refused_through_the_form(app, attorney_client, name):
    content, code = HOSTILE[name]
    form = {
        "csrf_token": csrf_token(attorney_client, "/filings/check"),
        "files": [(io.BytesIO(content), "hostile.pdf")],
    }
    page = attorney_client.post("/filings/check", **multipart(form)).get_data(as_text=True)
    codes = re.findall(r'data-code="([a-z_]+)"', page)
    assert "These files would be refused" in page
    assert code in codes, codes
    assert stored_files(attorney_client.application) == []


def test_unverified_attorneys_may_check_but_not_serve(app, make_attorney):
    make_attorney("new@law.example", state=RegistrationState.PENDING_REVIEW, eoir_id="NW123456")
    client = app.test_client()
    login(client, "new@law.example")
    form = {
        "csrf_token": csrf_token(client, "/filings/check"),
        "files": [(io.BytesIO(pdfs.pdf_bytes()), "a.pdf")],
    }
    page = client.post("/filings/check", **multipart(form)).get_data(as_text=True)
    assert "No problems found" in page
    assert client.get("/filings/new").status_code == 404


def test_check_form_needs_csrf(attorney_client):
    form = {"files": [(io.BytesIO(pdfs.pdf_bytes()), "a.pdf")]}
    assert attorney_client.post("/filings/check", **multipart(form)).status_code == 400


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
        f"/api/v1/filings/{response.get_json()['id']}", headers={AUTH: f"Bearer {api_token}"}
    ).get_json()
    assert filing["status"] == "served", filing["problems"]
    assert filing["documents"][0]["filename"] == "Anexo — página 1.pdf"
