"""Request bodies: a route that takes no upload refuses more than a small form before reading it;
the upload routes keep their limits, for a logged-in attorney or an API token only; a request
carries no more files than a set may hold (plus a little headroom), each refused before it is
written, and nothing of a refused body stays open or on disk."""

from __future__ import annotations

import io
import os

import pytest

from filings import uploads
from filings.uploads import EXTRA_FILES, SMALL_BODY_BYTES
from tests.helpers import api_post, csrf_token, stored_files
from tests.pdfs import pdf_bytes

MB = 1024 * 1024
BIG = 60 * MB
FORM = "application/x-www-form-urlencoded"
BOUNDARY = "b0undary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class Body(io.RawIOBase):
    """A request body of ``size`` bytes, made as it is read; ``consumed`` counts what was read.
    (Seekable only so that the test client can measure it.)"""

    def __init__(self, size: int) -> None:
        self.size, self.position, self.consumed = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = offset if whence == io.SEEK_SET else self.size + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        n = max(0, min(len(buffer), self.size - self.position))
        buffer[:n] = b"a" * n
        self.position += n
        self.consumed += n
        return n


def post_body(client, path, body, *, chunked=False, content_type=FORM, headers=None):  # type: ignore[no-untyped-def]
    """POST ``body`` with its length declared, or chunked (no length: the server marks the
    stream as terminated, as gunicorn does)."""
    extra = {"Transfer-Encoding": "chunked"} if chunked else {}
    return client.post(
        path,
        input_stream=body,
        content_type=content_type,
        headers={**extra, **(headers or {})},
        environ_overrides={"wsgi.input_terminated": True} if chunked else {},
    )


def multipart_body(files: int = 0, fields: int = 0, file_bytes: bytes = b"%PDF-1.4\n") -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\nv\r\n'.encode()
        for i in range(fields)
    ]
    for i in range(files):
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="d{i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + file_bytes
            + b"\r\n"
        )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def upload_temp_files(app) -> list[str]:  # type: ignore[no-untyped-def]
    folder = app.config["ESERVICE"].upload_tmp_dir
    return sorted(os.listdir(folder)) if folder.exists() else []


@pytest.fixture
def counted_uploads(monkeypatch):  # type: ignore[no-untyped-def]
    """How many upload temp files the requests made."""
    made: list[object] = []

    class Counted(uploads.HashingUpload):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(uploads, "HashingUpload", Counted)
    return made


# --- routes that take no upload -------------------------------------------------------------


def test_a_60_mb_login_is_refused_before_a_byte_is_read(client):
    body = Body(BIG)
    response = post_body(client, "/login", body)
    assert response.status_code == 413
    assert body.consumed == 0
    page = response.get_data(as_text=True)
    assert "at most 64 KB" in page and "no files" in page


def test_a_chunked_60_mb_login_is_cut_off_at_the_limit(client):
    body = Body(BIG)
    response = post_body(client, "/login", body, chunked=True)
    assert response.status_code == 413
    assert body.consumed <= SMALL_BODY_BYTES + 64 * 1024  # the limit and one read past it


def test_a_body_over_the_limit_is_refused_on_every_route_without_upload(client):
    for path in ("/login", "/register", "/logout", "/no-such-page", "/filings/new"):
        body = Body(SMALL_BODY_BYTES + 1)
        response = post_body(client, path, body)
        assert response.status_code in {404, 405, 413}, path
        assert body.consumed == 0, path


def test_a_small_form_still_logs_in(client, make_attorney):
    make_attorney()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": "lawyer@firm.example", "password": "x" * 2000},
    )
    assert response.status_code == 200  # a wrong password, read and answered


def test_files_sent_to_a_route_without_upload_are_refused_before_one_is_written(
    client, app, counted_uploads
):
    client.get("/login")
    before = open_files()
    body = multipart_body(files=999, file_bytes=b"")
    assert len(body) > SMALL_BODY_BYTES
    response = client.post("/login", data=body, content_type=MULTIPART)
    assert response.status_code == 413  # by its length, unread
    small = multipart_body(files=3)
    response = client.post("/login", data=small, content_type=MULTIPART)
    assert response.status_code == 413
    assert "no files" in response.get_data(as_text=True)
    assert counted_uploads == []
    assert open_files() <= before
    assert upload_temp_files(app) == []


def test_a_form_of_many_small_parts_is_refused(client):
    body = multipart_body(fields=300)
    assert len(body) < SMALL_BODY_BYTES
    response = client.post("/login", data=body, content_type=MULTIPART)
    assert response.status_code == 413


# --- the upload routes ----------------------------------------------------------------------


def test_an_anonymous_upload_is_refused_as_a_small_form(client, counted_uploads):
    body = Body(BIG)
    response = post_body(client, "/filings/new", body, content_type=MULTIPART)
    assert response.status_code == 413 and body.consumed == 0
    assert "logged-in attorney" in response.get_data(as_text=True)
    response = client.post("/filings/check", data=multipart_body(files=2), content_type=MULTIPART)
    assert response.status_code == 413
    assert counted_uploads == []


def test_an_upload_over_the_set_limit_is_refused_unread(attorney_client):
    body = Body(BIG)  # the tests' sets may be 5 MB
    response = post_body(attorney_client, "/filings/new", body, content_type=MULTIPART)
    assert response.status_code == 413 and body.consumed == 0
    assert "at most 5 MB in all and hold at most 4 files" in response.get_data(as_text=True)


def test_999_files_are_refused_before_the_extra_ones_are_written(
    attorney_client, app, counted_uploads
):
    attorney_client.get("/filings/new")
    before = open_files()
    body = multipart_body(files=999, file_bytes=pdf_bytes(1))
    response = attorney_client.post("/filings/new", data=body, content_type=MULTIPART)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "may hold at most 4 files; this request has more than 9" in page
    assert len(counted_uploads) == 4 + EXTRA_FILES
    assert open_files() <= before
    assert upload_temp_files(app) == []
    assert stored_files(app) == []


def test_999_fields_in_an_upload_are_refused(attorney_client, counted_uploads):
    body = multipart_body(fields=999)
    response = attorney_client.post("/filings/new", data=body, content_type=MULTIPART)
    assert response.status_code == 413
    assert counted_uploads == []


def test_a_few_files_too_many_get_the_intakes_answer(attorney_client):
    from tests.helpers import serve_form

    files = [(pdf_bytes(1, title=f"doc {i}"), f"d{i}.pdf") for i in range(5)]
    response = serve_form(attorney_client, files)
    assert response.status_code == 422
    assert "at most 4 files" in response.get_data(as_text=True)


def test_the_api_refuses_999_files_with_json(client, app, api_token, counted_uploads):
    files = [(b"%PDF-1.4\n", f"d{i}.pdf") for i in range(999)]
    response = api_post(client, api_token, files)
    assert response.status_code == 413
    assert response.get_json()["errors"][0]["code"] == "request_too_large"
    assert len(counted_uploads) == 4 + EXTRA_FILES
    assert stored_files(app) == []


def test_the_api_reads_nothing_without_a_token(client):
    for path in ("/api/v1/filings", "/api/v1/checks"):
        body = Body(BIG)
        response = post_body(client, path, body, content_type=MULTIPART)
        assert response.status_code == 401 and body.consumed == 0


def test_the_api_refuses_a_body_over_the_set_limit_unread(client, api_token):
    body = Body(BIG)
    response = post_body(
        client,
        "/api/v1/filings",
        body,
        content_type=MULTIPART,
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert response.status_code == 413 and body.consumed == 0
    assert response.get_json()["errors"][0]["code"] == "request_too_large"
