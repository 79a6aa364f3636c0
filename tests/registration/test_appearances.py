"""E-28 appearance records: CSV import from the command line, and by hand."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app import db
from registration.models import Appearance
from tests.helpers import post_form

GOOD = """a_number,attorney_name,bar_state,bar_number,eoir_id,filed_on
A012345678,Lee Lawyer,NY,12345,,2026-01-10
87654321,Lee Lawyer,,,LW123456,2026-01-11
"""


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Appearance))


def _import(app, tmp_path, text, name="e28.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["appearances", "import", str(path)])


def test_import_keeps_good_rows_and_reimport_adds_nothing(app, tmp_path):
    result = _import(app, tmp_path, GOOD)
    assert result.exit_code == 0, result.output
    assert "2 added, 0 already on file, 0 rows skipped" in result.output
    with app.app_context():
        rows = db.session.scalars(select(Appearance).order_by(Appearance.a_number)).all()
        assert [(r.a_number, r.eoir_id, r.bar_state, r.bar_number) for r in rows] == [
            ("012345678", None, "NY", "12345"),
            ("087654321", "LW123456", None, None),
        ]
    again = _import(app, tmp_path, GOOD)
    assert "0 added, 2 already on file" in again.output
    assert _count(app) == 2


def test_bad_rows_are_reported_by_line_and_skipped(app, tmp_path):
    future = (date.today() + timedelta(days=3)).isoformat()
    text = (
        GOOD
        + "\n".join(
            [
                "A123,Bad Number,NY,1,,2026-01-01",  # line 4
                "A011111111,No Ident,,,,2026-01-01",  # line 5
                "A022222222,Half Bar,NY,,,2026-01-01",  # line 6
                "A033333333,Bad Date,,,LW123456,01/02/2026",  # line 7
                f"A044444444,Future,,,LW123456,{future}",  # line 8
                "A055555555,Too,Few",  # line 9
                "A066666666,,,,LW123456,2026-01-01",  # line 10
                "A077777777,Bad State,ZZ,1,,2026-01-01",  # line 11
                "A012345678,Lee Lawyer,NY,12345,,2026-01-10",  # line 12: same as line 2
            ]
        )
        + "\n"
    )
    result = _import(app, tmp_path, text)
    assert result.exit_code == 0
    out = result.output
    assert "line 4: “A123” is not an A-Number" in out
    assert "line 5: needs an EOIR ID or a bar state and number" in out
    assert "line 6: bar_state and bar_number go together" in out
    assert "line 7: filed_on “01/02/2026” is not a date" in out
    assert "line 8: filed_on" in out and "in the future" in out
    assert "line 9: expected 6 columns" in out
    assert "line 10: attorney_name is empty" in out
    assert "line 11: “ZZ” is not a U.S. state" in out
    assert "2 added, 1 already on file, 8 rows skipped" in out
    assert _count(app) == 2


def test_wrong_header_or_encoding_imports_nothing(app, tmp_path):
    result = _import(app, tmp_path, "anumber,name\nA012345678,X\n")
    assert result.exit_code == 1 and "line 1: header must be" in result.output
    path = tmp_path / "latin1.csv"
    path.write_bytes(GOOD.replace("Lee", "Lé").encode("latin-1"))
    result = app.test_cli_runner().invoke(args=["appearances", "import", str(path)])
    assert result.exit_code == 1 and "is not UTF-8" in result.output
    assert _count(app) == 0


def test_staff_add_a_record_by_hand_and_bad_input_is_named(app, staff_client):
    record = {
        "a_number": "A-012-345-678",
        "attorney_name": "Lee Lawyer",
        "bar_state": "",
        "bar_number": "",
        "eoir_id": "LW123456",
        "filed_on": "2026-01-10",
    }
    ok = post_form(staff_client, "/staff/appearances/new", record)
    assert ok.status_code == 302
    duplicate = post_form(staff_client, "/staff/appearances/new", record)
    assert duplicate.status_code == 422
    assert "already on file" in duplicate.get_data(as_text=True)
    bad = post_form(staff_client, "/staff/appearances/new", {**record, "a_number": "12"})
    assert "“12” is not an A-Number" in bad.get_data(as_text=True)
    no_ident = post_form(staff_client, "/staff/appearances/new", {**record, "eoir_id": ""})
    assert "needs an EOIR ID" in no_ident.get_data(as_text=True)
    assert _count(app) == 1


def test_attorneys_cannot_add_records(app, attorney_client):
    before = _count(app)
    assert attorney_client.get("/staff/appearances/new").status_code == 404
    assert _count(app) == before
