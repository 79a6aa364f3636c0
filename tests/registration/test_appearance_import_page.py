"""Administrators import E-28 records from the admin page: all or nothing, each bad row named
by line, counts shown, audited; nobody else may."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app import db
from app.audit import AuditEvent
from registration.models import Appearance
from tests.helpers import login, multipart, post_form

PAGE = "/admin/appearances/import"
GOOD = (
    "a_number,attorney_name,bar_state,bar_number,eoir_id,filed_on\n"
    "A012345678,Lee Lawyer,NY,12345,,2026-01-10\n"
    "87654321,\"=cmd|' /C calc'!A0\",,,LW123456,2026-01-11\n"
)


@pytest.fixture
def admin_client(app, make_staff):
    make_staff("admin@occ.example", admin=True)
    c = app.test_client()
    login(c, "admin@occ.example")
    return c


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Appearance)) or 0


def _paste(client, text):
    return post_form(client, PAGE, {"rows": text})


def test_pasted_rows_are_imported_counted_and_audited(app, admin_client):
    index = admin_client.get("/admin/").get_data(as_text=True)
    assert PAGE in index
    response = _paste(admin_client, "\ufeff" + GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "2 added, 0 already on file, 0 refused." in page
    assert _count(app) == 2
    again = _paste(admin_client, GOOD).get_data(as_text=True)
    assert "0 added, 2 already on file" in again
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "appearance.import")
        ).all()
        assert [e.detail["added"] for e in events] == [2, 0]
        assert events[0].actor == "admin@occ.example"
    # A spreadsheet formula in a name is stored and shown as text.
    listed = admin_client.get("/staff/appearances?q=LW123456").get_data(as_text=True)
    assert "=cmd|&#39; /C calc&#39;!A0" in listed
    assert "Imported from rows pasted on the import page" in listed


def test_one_bad_row_imports_nothing_and_each_is_named_by_line(app, admin_client):
    text = GOOD + "A123,Bad Number,NY,1,,2026-01-01\nA011111111,No Ident,,,,2026-01-01\n"
    response = _paste(admin_client, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported: 2 rows are not right" in page
    assert "line 4: “A123” is not an A-Number" in page
    assert "line 5: needs an EOIR ID or a bar state and number" in page
    assert "2 would be added" in page
    assert "Lee Lawyer" in page  # the rows stay in the box, to be corrected
    assert _count(app) == 0
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "appearance.import")
        ).one()
        assert event.outcome == "refused"


def test_wrong_header_empty_and_binary_input_are_named(app, admin_client):
    header = _paste(admin_client, "anumber,name\nA012345678,X\n")
    assert header.status_code == 422
    assert "line 1: header must be a_number,attorney_name" in header.get_data(as_text=True)
    empty = _paste(admin_client, "   ")
    assert empty.status_code == 422
    assert "Choose a CSV file, or paste its rows." in empty.get_data(as_text=True)
    assert _count(app) == 0


def test_pasted_rows_over_the_form_limit_are_refused(app, admin_client):
    """Pasted rows have the file's limit (5 MB): more is refused whole, nothing imported."""
    big = GOOD + "A012345678,Lee Lawyer,NY,12345,,2026-01-10\n" * 130_000
    response = _paste(admin_client, big)
    assert response.status_code in (413, 422)
    assert "5 MB" in response.get_data(as_text=True)
    assert _count(app) == 0


def _upload(client, content: bytes, name: str = "e28-january.csv"):
    from tests.helpers import csrf_token

    token = csrf_token(client, PAGE)
    return client.post(
        PAGE, **multipart({"csrf_token": token, "file": (io.BytesIO(content), name)})
    )


def test_a_file_is_imported_and_its_name_kept(app, admin_client):
    assert 'id="import-file-form"' in admin_client.get(PAGE).get_data(as_text=True)
    response = _upload(admin_client, b"\xef\xbb\xbf" + GOOD.encode())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Imported from e28-january.csv" in response.get_data(as_text=True)
    listed = admin_client.get("/staff/appearances").get_data(as_text=True)
    assert "Imported from e28-january.csv" in listed


def test_a_huge_binary_or_non_utf8_file_is_refused_with_its_reason(app, admin_client):
    from registration.appearance_import import MAX_UPLOAD_BYTES

    huge = _upload(admin_client, GOOD.encode() + b"x" * MAX_UPLOAD_BYTES)
    assert huge.status_code == 422 and "at most 5 MB" in huge.get_data(as_text=True)
    pdf = _upload(admin_client, b"%PDF-1.7\n\x00\x01\x02binary", "e28.pdf")
    assert "This is not a CSV file" in pdf.get_data(as_text=True)
    latin = _upload(admin_client, GOOD.replace("Lee", "Lé").encode("latin-1"))
    assert latin.status_code == 422 and "not UTF-8 text" in latin.get_data(as_text=True)
    assert _count(app) == 0


def test_only_administrators_may_import(app, client, staff_client, attorney_client):
    before = _count(app)  # the attorney's own E-28 record
    for other in (staff_client, attorney_client):
        assert other.get(PAGE).status_code in (403, 404)
        assert other.post(PAGE, data={"rows": GOOD}).status_code in (400, 403, 404)
    assert client.get(PAGE).status_code in (302, 404)
    assert _count(app) == before


def test_only_an_administrator_may_send_a_file_there(app, staff_client, attorney_client):
    """Staff and attorneys are refused from the request's size, before a byte of a file body
    is read; the administrator's own upload is shown above."""
    body = GOOD.encode() + b"x" * (100 * 1024)  # over the small-form limit
    for other in (staff_client, attorney_client):
        response = other.post(
            PAGE, **multipart({"csrf_token": "x", "file": (io.BytesIO(body), "e28.csv")})
        )
        assert response.status_code == 413
    assert _count(app) == 1  # the attorney's own E-28 record, nothing imported
