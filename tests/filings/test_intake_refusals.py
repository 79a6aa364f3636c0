"""Every kind of bad upload is refused at the door with a message naming the file and the
problem, and nothing of the set is served: no filing row, no receipt. Through the API nothing is
kept; through the form the good files are kept in the set in progress, and only they."""

from __future__ import annotations

import pytest

from filings.models import Document, Filing
from tests.helpers import api_post, row_count, serve_form, stored_files
from tests.pdfs import encrypted_pdf, pdf_bytes, raw_pdf, too_many_pages_pdf

MB = 1024 * 1024


def _assert_nothing_kept(app):
    assert row_count(app, Filing) == 0
    assert row_count(app, Document) == 0
    assert stored_files(app) == []
    tmp = app.config["ESERVICE"].upload_tmp_dir
    assert not tmp.exists() or list(tmp.iterdir()) == []


def _truncated() -> bytes:
    whole = pdf_bytes(pages=2)
    return whole[: len(whole) // 2]


def _no_pages() -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


BAD_FILES = [
    # (content, file name, code, words the message must contain)
    (b"", "empty.pdf", "empty_file", "“empty.pdf” is empty"),
    (b"Dear court,\nplease find attached.\n", "letter.pdf", "not_pdf", "“letter.pdf” is not a PDF"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "scan.pdf", "not_pdf", "“scan.pdf” is not a PDF"),
    (b"<html><script>alert(1)</script></html>", "x.pdf", "not_pdf", "is not a PDF"),
    (b"JUNK" * 10 + pdf_bytes(), "junk.pdf", "junk_before_header", "40 bytes of something"),
    (b"%PDF-1.7\n", "header-only.pdf", "damaged", "“header-only.pdf” is damaged"),
    (_truncated(), "truncated.pdf", "damaged", "“truncated.pdf” is damaged"),
    (encrypted_pdf(""), "locked.pdf", "encrypted", "“locked.pdf” is protected by a password"),
    (encrypted_pdf("secret"), "pw.pdf", "encrypted", "protected by a password"),
    (_no_pages(), "nopages.pdf", "no_pages", "“nopages.pdf” has no pages"),
    (too_many_pages_pdf(), "long.pdf", "too_many_pages", "“long.pdf” has 5001 pages"),
]


@pytest.mark.parametrize(
    ("content", "name", "code", "words"), BAD_FILES, ids=[b[2] + ":" + b[1] for b in BAD_FILES]
)
def test_bad_file_is_refused_through_the_api(app, client, api_token, content, name, code, words):
    good = pdf_bytes()
    response = api_post(client, api_token, [(good, "good.pdf"), (content, name)])
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["code"] == code and error["file"] == name
    assert words in error["message"]
    _assert_nothing_kept(app)


@pytest.mark.parametrize(
    ("content", "name", "code", "words"), BAD_FILES[:8:3], ids=[b[2] for b in BAD_FILES[:8:3]]
)
def test_bad_file_is_refused_through_the_form(app, attorney_client, content, name, code, words):
    response = serve_form(attorney_client, [(pdf_bytes(), "good.pdf"), (content, name)])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was served" in page and f'data-code="{code}"' in page
    assert words.replace("“", "&#34;").replace("”", "&#34;") in page or words in page
    assert "Kept: good.pdf" in page and f"Kept: {name}" not in page
    from filings.draft_models import DraftFile

    assert row_count(app, Filing) == 0 and row_count(app, Document) == 0
    assert row_count(app, DraftFile) == 1 and len(stored_files(app)) == 1
    tmp = app.config["ESERVICE"].upload_tmp_dir
    assert not tmp.exists() or list(tmp.iterdir()) == []


def test_every_problem_of_a_set_is_reported_at_once(app, client, api_token):
    response = api_post(
        client,
        api_token,
        [(b"", "a.pdf"), (b"hello", "b.docx"), (encrypted_pdf(), "c.pdf")],
        a_number="A12",
        title="",
    )
    codes = [(e["code"], e["file"] or e["field"]) for e in response.get_json()["errors"]]
    assert codes == [
        ("invalid_field", "a_number"),
        ("invalid_field", "title"),
        ("empty_file", "a.pdf"),
        ("not_pdf", "b.docx"),
        ("encrypted", "c.pdf"),
    ]
    _assert_nothing_kept(app)


def test_a_document_over_the_limit_is_refused_without_being_kept(app, client, api_token):
    # The test app allows 2 MB per document (ESERVICE_MAX_DOCUMENT_MB=2).
    big = pdf_bytes() + b"%" + b"x" * (2 * MB)
    response = api_post(client, api_token, [(big, "huge.pdf")])
    [error] = response.get_json()["errors"]
    assert response.status_code == 422 and error["code"] == "file_too_large"
    assert "over the 2 MB limit" in error["message"] and "Split it" in error["message"]
    _assert_nothing_kept(app)


def test_a_set_over_the_limit_is_refused(app, client, api_token):
    # 3 documents of 1.9 MB each: each allowed, together over the 5 MB set limit.
    parts = [(pdf_bytes() + b"%" + bytes(19 * MB // 10), f"part{i}.pdf") for i in range(3)]
    response = api_post(client, api_token, parts)
    codes = [e["code"] for e in response.get_json()["errors"]]
    assert codes == ["set_too_large"]
    _assert_nothing_kept(app)


def test_a_request_over_the_whole_limit_is_cut_off(app, client, api_token):
    parts = [(bytes(2 * MB), f"p{i}.pdf") for i in range(4)]  # 8 MB > 5 MB + 1 MB headroom
    response = api_post(client, api_token, parts)
    assert response.status_code == 413
    assert response.get_json()["errors"][0]["code"] == "request_too_large"
    _assert_nothing_kept(app)


def test_too_many_files_and_no_files(app, client, api_token):
    many = api_post(client, api_token, [(pdf_bytes(), f"{i}.pdf") for i in range(5)])
    assert [e["code"] for e in many.get_json()["errors"]] == ["too_many_files"]
    none = api_post(client, api_token, [])
    assert [e["code"] for e in none.get_json()["errors"]] == ["no_files"]
    _assert_nothing_kept(app)


def test_the_same_document_twice_in_a_set(app, client, api_token):
    same = pdf_bytes()
    response = api_post(client, api_token, [(same, "a.pdf"), (same, "copy.pdf")])
    [error] = response.get_json()["errors"]
    assert error["code"] == "duplicate_file" and "“a.pdf”" in error["message"]
    _assert_nothing_kept(app)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("office", "XYZ"),
        ("office", ""),
        ("document_type", "letter"),
        ("title", "x" * 301),
        ("next_hearing_on", "next week"),
        ("next_hearing_on", "2020-01-01"),
        ("next_hearing_on", "2099-01-01"),
        ("detained", "maybe"),
    ],
)
def test_bad_fields_are_named(app, client, api_token, field, value):
    response = api_post(client, api_token, [(pdf_bytes(), "m.pdf")], **{field: value})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [e["field"] for e in errors] == [field]
    _assert_nothing_kept(app)


def test_hostile_file_names_become_plain_metadata(app, client, api_token):
    response = api_post(
        client,
        api_token,
        [
            (pdf_bytes(), "../../etc/passwd\x00.pdf"),
            (pdf_bytes(), "/home/x/brief.pdf"),
            (pdf_bytes(), "Escrito de apelación — José Ñúñez.pdf"),
            (pdf_bytes(), "\u202e\x07.pdf"),
        ],
    )
    assert response.status_code == 201
    names = [d["filename"] for d in response.get_json()["documents"]]
    assert names == [
        "passwd.pdf",
        "brief.pdf",
        "Escrito de apelación — José Ñúñez.pdf",
        "document-4.pdf",
    ]
    assert all("/" not in k.split("/")[-1] and ".pdf" not in k for k in stored_files(app))


def test_a_file_part_without_a_name_is_still_a_document(app, client, api_token):
    response = api_post(client, api_token, [(pdf_bytes(), "")])
    assert response.status_code == 201
    assert response.get_json()["documents"][0]["filename"] == "document-1.pdf"


def test_store_failing_midway_gives_try_again_and_keeps_nothing(
    app, client, api_token, monkeypatch
):
    from storage import StorageError
    from storage.local import LocalWriter

    real_commit, calls = LocalWriter.commit, []

    def commit_then_fail(self, sha256_hex):
        calls.append(self.key)
        if len(calls) == 2:
            raise StorageError("disk full")
        real_commit(self, sha256_hex)

    monkeypatch.setattr(LocalWriter, "commit", commit_then_fail)
    response = api_post(client, api_token, [(pdf_bytes(), "a.pdf"), (pdf_bytes(), "b.pdf")])
    assert response.status_code == 503
    [error] = response.get_json()["errors"]
    assert error["code"] == "storage_unavailable" and "Try again" in error["message"]
    assert len(calls) == 2
    _assert_nothing_kept(app)  # the first document, stored before the failure, is removed


def test_commit_failing_after_storing_removes_the_bytes(app, client, api_token, monkeypatch):
    import workers

    def fail_commit():
        raise RuntimeError("database went away")

    monkeypatch.setattr(workers, "commit", fail_commit)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = api_post(client, api_token, [(pdf_bytes(), "a.pdf")])
    assert response.status_code == 500
    assert response.get_json()["errors"][0]["code"] == "internal_server_error"
    _assert_nothing_kept(app)
