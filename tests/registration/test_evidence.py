"""The review page shows every E-28 record that matches or nearly matches, and how; verifying
with no matching record needs a stated reason."""

from __future__ import annotations

import re

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from registration.models import Appearance, RegistrationState
from tests.helpers import post_form
from tests.registration.flows import decide, register, staff, state_of, user_id

CSV = """a_number,attorney_name,bar_state,bar_number,eoir_id,filed_on
A012345678,Maria Abogada,,,MA765432,2025-01-10
A011111111,Maria Abogada,NY,NY-012-345,,2025-02-10
A022222222,"ABOGADA, María",,,ZZ999999,2025-03-10
A087654321,Other Lawyer,,,OT111111,2025-04-10
A033333333,Carla Other,CA,12345,,2025-05-10
A044444444,Unrelated Person,TX,999999,UR000001,2025-06-10
"""


def _import(app, tmp_path, content=CSV):
    path = tmp_path / "e28.csv"
    path.write_text(content)
    result = app.test_cli_runner().invoke(args=["appearances", "import", str(path)])
    assert result.exit_code == 0, result.output


def _rows(page: str) -> dict[str, str]:
    """Each row of the evidence table, by its A-Number, as text."""
    table = page.split('id="evidence"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        cells = re.sub(r"<[^>]+>", " ", row)
        number = re.search(r"A\d{3}-\d{3}-\d{3}", cells)
        assert number
        rows[number.group(0)] = " ".join(cells.split())
    return rows


def test_every_matching_or_nearly_matching_record_is_shown_with_how(
    app, tmp_path, outbox, make_staff
):
    _import(app, tmp_path)
    register(
        app,
        outbox,
        eoir_id="MA765432",
        bar_state="NY",
        bar_number="12345",
        a_numbers="A012345678\nA087654321",
    )
    desk = staff(app, make_staff)
    page = desk.get(f"/staff/registrations/{user_id(app, 'maria@law.example')}")
    rows = _rows(page.get_data(as_text=True))
    assert set(rows) == {
        "A012-345-678",
        "A011-111-111",
        "A022-222-222",
        "A087-654-321",
        "A033-333-333",
    }
    assert "Matches: same EOIR ID; same name; on a claimed A-Number" in rows["A012-345-678"]
    assert (
        "Nearly: same bar admission; same name; on an A-Number the attorney did not list"
        in (rows["A011-111-111"])
    )
    assert "same name, other identifiers (EOIR ID ZZ999999)" in rows["A022-222-222"]
    assert (
        "on a claimed A-Number, record of another attorney (EOIR ID OT111111)"
        in (rows["A087-654-321"])
    )
    assert "same bar number, but admitted in CA" in rows["A033-333-333"]
    # the record that matches comes first
    assert next(iter(rows)) == "A012-345-678"


def test_verifying_on_near_matches_only_needs_a_reason(app, tmp_path, outbox, make_staff):
    _import(app, tmp_path)
    register(app, outbox, eoir_id="MA000001", a_numbers="A087654321")
    desk = staff(app, make_staff)
    uid = user_id(app, "maria@law.example")
    page = desk.get(f"/staff/registrations/{uid}").get_data(as_text=True)
    assert "Matches:" not in page and "Nearly:" in page
    refused = decide(desk, uid)
    assert refused.status_code == 422
    assert "No E-28 record names this attorney on a claimed A-Number" in refused.get_data(
        as_text=True
    )
    assert state_of(app, "maria@law.example") == RegistrationState.PENDING_REVIEW
    assert decide(desk, uid, reason="Called the attorney; E-28 filed last week").status_code == 302
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "registration.verified", AuditEvent.outcome == "success"
            )
        )
        assert event.detail["reason"] == "Called the attorney; E-28 filed last week"


def test_a_registration_with_no_record_at_all_says_so(app, outbox, make_staff):
    register(app, outbox, eoir_id="MA000001", a_numbers="A099999999")
    desk = staff(app, make_staff)
    page = desk.get(f"/staff/registrations/{user_id(app, 'maria@law.example')}")
    assert 'id="no-evidence"' in page.get_data(as_text=True)


def test_bar_numbers_are_normalised_on_import_and_manual_add(app, tmp_path, make_staff):
    _import(app, tmp_path)
    desk = staff(app, make_staff)
    post_form(
        desk,
        "/staff/appearances/new",
        {
            "a_number": "A055555555",
            "attorney_name": "Gina Georgia",
            "bar_state": "GA",
            "bar_number": "GA-0448812",
            "eoir_id": "",
            "filed_on": "2025-07-01",
        },
    )
    with app.app_context():
        bars = dict(db.session.execute(select(Appearance.a_number, Appearance.bar_number)).all())
    assert bars["011111111"] == "12345" and bars["055555555"] == "448812"
    # the same record written another way is the same record
    again = post_form(
        desk,
        "/staff/appearances/new",
        {
            "a_number": "A055555555",
            "attorney_name": "Gina Georgia",
            "bar_state": "GA",
            "bar_number": "448812",
            "eoir_id": "",
            "filed_on": "2025-07-01",
        },
    )
    assert "already on file" in again.get_data(as_text=True)
    bad = post_form(
        desk,
        "/staff/appearances/new",
        {
            "a_number": "A055555556",
            "attorney_name": "Gina Georgia",
            "bar_state": "GA",
            "bar_number": "NY-448812",
            "eoir_id": "",
            "filed_on": "2025-07-01",
        },
    )
    assert "begins with NY, but the admission is in GA" in bad.get_data(as_text=True)
