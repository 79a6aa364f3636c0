"""Staff search the E-28 records: by A-Number in any form, EOIR ID, bar number or name; keyset
pages of 50; staff only."""

from __future__ import annotations

from datetime import date

from app import db
from registration.appearance_search import PAGE_SIZE
from registration.appearances import build_appearance
from tests.helpers import post_form


def _records(app, count: int = 3) -> None:
    with app.app_context():
        rows = [
            ("A012345678", "Dana Q. Demo", "GA", "GA-448812", None),
            ("A087654321", "Lee Lawyer", None, None, "LW123456"),
            ("A099999999", '=HYPERLINK("http://evil.example")', None, None, "EV123456"),
        ]
        for a_number, name, state, bar, eoir in rows[:count]:
            db.session.add(
                build_appearance(a_number, name, state, bar, eoir, date(2026, 1, 5), "import")
            )
        db.session.commit()


def test_search_by_every_identifier_in_any_form(app, staff_client):
    _records(app)
    cases = {
        "a012-345-678": "Dana Q. Demo",
        "12345678": "Dana Q. Demo",
        "lw-123 456": "Lee Lawyer",
        "0448812": "Dana Q. Demo",
        "demo dana": "Dana Q. Demo",
        "LAWYER": "Lee Lawyer",
    }
    for query, name in cases.items():
        page = staff_client.get("/staff/appearances", query_string={"q": query})
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and name in text, query
        others = {"Dana Q. Demo", "Lee Lawyer"} - {name}
        assert not any(o in text for o in others), query
    nothing = staff_client.get("/staff/appearances?q=Nobody").get_data(as_text=True)
    assert 'id="no-records"' in nothing


def test_a_formula_in_a_name_is_shown_as_text(app, staff_client):
    _records(app)
    page = staff_client.get("/staff/appearances").get_data(as_text=True)
    assert "=HYPERLINK(&#34;http://evil.example&#34;)" in page
    assert '<a href="http://evil.example"' not in page
    assert 'class="usa-table usa-table--stacked' in page and 'data-label="A-Number"' in page


def test_pages_of_fifty_newest_first_continue_where_the_last_ended(app, staff_client):
    with app.app_context():
        for i in range(PAGE_SIZE + 5):
            db.session.add(
                build_appearance(
                    f"A1{i:08d}",
                    f"Attorney Number{i}",
                    None,
                    None,
                    f"PG{i:06d}",
                    date(2026, 1, 5),
                    "import",
                )
            )
        db.session.commit()
    first = staff_client.get("/staff/appearances").get_data(as_text=True)
    assert first.count('data-label="A-Number"') == PAGE_SIZE
    assert "PG000054" in first and "PG000004" not in first
    import re

    link = re.search(r'id="next-page" href="([^"]+)"', first)
    assert link
    second = staff_client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert second.count('data-label="A-Number"') == 5
    assert "PG000004" in second and "PG000054" not in second and 'id="next-page"' not in second


def test_a_search_that_means_nothing_or_is_too_long_is_named(app, staff_client):
    bad = staff_client.get("/staff/appearances?q=%21%21%21")
    assert bad.status_code == 400
    assert "Search by A-Number, EOIR ID, bar number" in bad.get_data(as_text=True)
    long = staff_client.get("/staff/appearances", query_string={"q": "x" * 150})
    assert long.status_code == 400 and "at most 100 characters" in long.get_data(as_text=True)
    assert staff_client.get("/staff/appearances?before=99999999999999999999").status_code == 200


def test_records_added_by_hand_name_the_staff_member(app, staff_client):
    post_form(
        staff_client,
        "/staff/appearances/new",
        {
            "a_number": "A055555555",
            "attorney_name": "Hand Added",
            "bar_state": "",
            "bar_number": "",
            "eoir_id": "HA123456",
            "filed_on": "2026-01-02",
        },
    )
    page = staff_client.get("/staff/appearances?q=HA123456").get_data(as_text=True)
    assert "Added by Staff ATL" in page


def test_attorneys_and_visitors_cannot_see_the_records(app, client, attorney_client):
    _records(app)
    assert attorney_client.get("/staff/appearances").status_code == 404
    assert client.get("/staff/appearances").status_code in (302, 404)
