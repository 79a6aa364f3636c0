"""The /verify page: anyone, logged in or not, checks a document (its SHA-256 from the browser,
or the file itself, hashed as it arrives and never kept) against a receipt number or a signed
receipt, and learns only whether these bytes were served under it, where and when."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import pytest

from tests.filings.test_verify_steps import (
    SERVED_SENTENCE,
    TITLE,
    serve_set,
    set_state,
    signed_receipt,
    with_verify_page,
)
from tests.helpers import csrf_token, multipart, stored_files
from tests.pdfs import pdf_bytes, pdf_with_javascript


@pytest.fixture
def app(app):
    return with_verify_page(app)


@pytest.fixture
def served(app, attorney_client):
    return serve_set(app, attorney_client, pdf_bytes(pages=3))


def _post(client, **data):
    return client.post("/verify", data={"csrf_token": csrf_token(client, "/verify"), **data})


def _upload(client, content: bytes, filename: str = "copy.pdf", **fields):
    data = {
        "csrf_token": csrf_token(client, "/verify"),
        **fields,
        "file": (io.BytesIO(content), filename),
    }
    return client.post("/verify", **multipart(data))


def _answer(response) -> str:
    page = response.get_data(as_text=True)
    found = re.search(r'id="verify-sentence">([^<]*)<', page)
    assert found, page
    return found.group(1)


def test_the_page_is_open_to_anyone_and_logged_in_users(app, client, attorney_client):
    page = client.get("/verify")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Check a receipt</h1>" in html and 'name="csrf_token"' in html
    assert 'id="file" name="file" type="file"' in html and "verify.js" in html
    assert attorney_client.get("/verify").status_code == 200
    prefilled = client.get("/verify?receipt=es-atl-20261123-7kq4-m2xd").get_data(as_text=True)
    assert "ES-ATL-20261123-7KQ4-M2XD</textarea>" in prefilled
    junk = client.get("/verify?receipt=<b>A012345678</b>").get_data(as_text=True)
    assert "A012345678" not in junk  # only a receipt number is put in the form


def test_a_hash_sent_by_the_browser_matches_the_served_set(client, served):
    response = _post(client, receipt=served.receipt_number, file_sha256=served.sha256)
    assert response.status_code == 200
    assert _answer(response) == SERVED_SENTENCE.format(number=served.receipt_number)
    assert "usa-alert--success" in response.get_data(as_text=True)


def test_a_hash_typed_by_hand_and_a_lower_case_receipt_number_match(client, served):
    number = f"  {served.receipt_number.lower()}\n"
    response = _post(client, receipt=number, sha256=served.sha256.upper())
    assert _answer(response) == SERVED_SENTENCE.format(number=served.receipt_number)


def test_without_javascript_the_file_is_hashed_as_it_arrives_and_not_kept(
    app, client, served, monkeypatch, tmp_path
):
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    uploads = app.config["ESERVICE"].upload_tmp_dir
    before_uploads = sorted(uploads.rglob("*")) if uploads.exists() else []
    before_store = sorted(stored_files(app))
    data_dir = Path(app.config["ESERVICE"].data_dir)
    before_data = {p for p in data_dir.rglob("*") if p.is_file()}

    response = _upload(client, served.content, receipt=served.receipt_number)
    assert _answer(response) == SERVED_SENTENCE.format(number=served.receipt_number)
    wrong = _upload(client, pdf_bytes(pages=1), receipt=served.receipt_number)
    assert _answer(wrong) == f"These bytes were not served under receipt {served.receipt_number}."

    assert list(system_tmp.iterdir()) == []
    assert (sorted(uploads.rglob("*")) if uploads.exists() else []) == before_uploads
    assert sorted(stored_files(app)) == before_store
    new_files = {p for p in data_dir.rglob("*") if p.is_file()} - before_data
    assert not any(served.content in p.read_bytes() for p in new_files)


def test_every_no_is_the_same_and_reveals_nothing(app, client, attorney_client, served):
    refused = serve_set(app, attorney_client, pdf_with_javascript(), "Script.pdf")
    held = serve_set(app, attorney_client, pdf_bytes(pages=4), "Held.pdf")
    set_state(app, held.id, "held", False)
    cases = {
        "wrong file": (served.receipt_number, "ab" * 32),
        "refused": (refused.receipt_number, refused.sha256),
        "held": (held.receipt_number, held.sha256),
        "unknown": ("ES-ATL-20261123-AAAA-BBBB", served.sha256),
    }
    answers = {}
    for name, (number, digest) in cases.items():
        response = _post(client, receipt=number, file_sha256=digest)
        assert response.status_code == 200, name
        page = response.get_data(as_text=True)
        answer = page[page.index('id="verify-answer"') : page.index("</form>")]
        answers[name] = answer.replace(number, "<no.>")
        files = ("Motion.pdf", "Script.pdf", "Held.pdf")
        for private in ("012345678", "012-345-678", "Lee Lawyer", TITLE, "LW123456", *files):
            assert private not in page, (name, private)
    assert len(set(answers.values())) == 1, answers
    assert "These bytes were not served under receipt <no.>." in answers["unknown"]


def test_accepted_and_rejected_sets_are_still_served(app, client, served):
    for status in ("accepted", "rejected"):
        set_state(app, served.id, status, True)
        response = _post(client, receipt=served.receipt_number, file_sha256=served.sha256)
        assert _answer(response) == SERVED_SENTENCE.format(number=served.receipt_number)


def _problems(response) -> dict[str, str]:
    assert response.status_code == 422, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    return dict(re.findall(r'<li[^>]*><a href="#([a-z0-9_]+)">([^<]*)</a></li>', page))


def test_missing_and_bad_inputs_are_named_on_the_form(client, served):
    assert set(_problems(_post(client, file_sha256=served.sha256))) == {"receipt"}
    assert set(_problems(_post(client, receipt=served.receipt_number))) == {"file"}
    assert set(_problems(_post(client))) == {"receipt", "file"}
    bad = _problems(_post(client, receipt="ES-ATL-12", sha256="xyz"))
    assert set(bad) == {"receipt", "sha256"}
    assert "ES-ATL-20261123-7KQ4-M2XD" in bad["receipt"]
    forged = _problems(_post(client, receipt=served.receipt_number, file_sha256="zz"))
    assert set(forged) == {"file"}
    differ = _post(
        client, receipt=served.receipt_number, sha256="ab" * 32, file_sha256=served.sha256
    )
    assert "not the chosen file" in _problems(differ)["sha256"]
    empty = _upload(client, b"", "empty.pdf", receipt=served.receipt_number)
    assert "empty" in _problems(empty)["file"]
    token = csrf_token(client, "/verify")
    files = [(io.BytesIO(served.content), "a.pdf"), (io.BytesIO(b"x"), "b.pdf")]
    two = client.post("/verify", **multipart({"csrf_token": token, "receipt": "x", "file": files}))
    assert _problems(two)["file"] == "Choose one file at a time."
    nothing_chosen = _upload(client, b"", "", receipt=served.receipt_number)
    assert _problems(nothing_chosen)["file"].startswith("Choose the document")


def test_a_file_over_the_document_limit_is_refused_without_reading_it_whole(app, client, served):
    limit = app.config["ESERVICE"].max_document_bytes  # 2 MB in the tests
    over = _upload(client, b"%PDF-" + b"0" * limit, receipt=served.receipt_number)
    assert "larger than 2 MB" in _problems(over)["file"]
    far_over = _upload(client, b"0" * (limit + 1024 * 1024), receipt=served.receipt_number)
    assert far_over.status_code == 413
    assert "larger than 2 MB" in far_over.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(client, served):
    client.get("/verify")
    response = client.post(
        "/verify", data={"receipt": served.receipt_number, "file_sha256": served.sha256}
    )
    assert response.status_code == 400 and "The form expired" in response.get_data(as_text=True)
    upload = client.post(
        "/verify",
        **multipart(
            {"receipt": served.receipt_number, "file": (io.BytesIO(served.content), "a.pdf")}
        ),
    )
    assert upload.status_code == 400


def test_a_valid_signed_receipt_is_checked_like_its_number(app, client, served):
    token = signed_receipt(app, served.id)
    response = _post(client, receipt=token, file_sha256=served.sha256)
    assert _answer(response) == SERVED_SENTENCE.format(number=served.receipt_number)
    assert "this document is one it lists" in response.get_data(as_text=True)
    other = _post(client, receipt=token, file_sha256="cd" * 32)
    assert _answer(other) == f"These bytes were not served under receipt {served.receipt_number}."
    assert "this document is not one it lists" in other.get_data(as_text=True)


def test_an_altered_signed_receipt_is_not_valid(app, client, served):
    token = signed_receipt(app, served.id)
    header, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    response = _post(client, receipt=f"{header}.{payload}.{flipped}", file_sha256=served.sha256)
    assert _problems(response)["receipt"] == (
        "This is not a valid receipt signed by OCC eService (altered)."
    )
    junk = _post(client, receipt="abc.def.ghi", file_sha256=served.sha256)
    assert "(not a receipt)" in _problems(junk)["receipt"]


def test_a_logged_in_user_checks_the_same_way(app, attorney_client, served):
    response = _post(attorney_client, receipt=served.receipt_number, file_sha256=served.sha256)
    assert _answer(response) == SERVED_SENTENCE.format(number=served.receipt_number)


def test_the_page_throttles_per_address(app, client, served):
    app.config["VERIFY_RATE_LIMIT"] = "2 per minute"
    token = csrf_token(client, "/verify")
    data = {"csrf_token": token, "receipt": served.receipt_number, "file_sha256": served.sha256}
    assert client.post("/verify", data=data).status_code == 200
    assert client.post("/verify", data=data).status_code == 200
    throttled = client.post("/verify", data=data)
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    page = throttled.get_data(as_text=True)
    assert "Nothing was checked" in page and 'id="verify-answer"' not in page
    assert client.get("/verify").status_code == 200  # the form is still shown
