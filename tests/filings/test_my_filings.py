"""My filings: 50 a page, newest first, every filing once going forward and back, a filter by
state with counts, status tags in words, and a clear error for a state or page that is not
ours."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import db
from app.offices import office_by_code
from app.users import User
from filings.models import Filing, FilingStatus


def _add_filings(app, count: int, email: str = "lawyer@firm.example") -> None:
    """``count`` filings a minute apart (every fifth refused), with two at the same instant so
    the page boundary falls between equal times."""
    start = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    with app.app_context():
        attorney = db.session.scalar(select(User).where(User.email == email))
        office = office_by_code("ATL")
        for i in range(count):
            at = start + timedelta(minutes=i if i != 70 else 69)
            db.session.add(
                Filing(
                    receipt_number=f"ES-ATL-20260301-T{i:03d}-{email[:4].upper()}",
                    attorney_id=attorney.id,
                    office_id=office.id,
                    a_number="012345678",
                    document_type="motion",
                    title=f"Set number {i:03d}",
                    status=FilingStatus.REFUSED if i % 5 == 0 else FilingStatus.SERVED,
                    passed_checks=i % 5 != 0,
                    received_at=at,
                    problems=[],
                )
            )
        db.session.commit()


def _titles(html: str) -> list[str]:
    return re.findall(r"Set number (\d{3})", html)


def _link(html: str, link_id: str) -> str | None:
    found = re.search(rf'id="{link_id}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_pages_of_fifty_cover_every_filing_once_both_ways(app, attorney_client):
    _add_filings(app, 120)
    seen: list[str] = []
    pages = []
    url: str | None = "/filings"
    while url:
        html = attorney_client.get(url).get_data(as_text=True)
        pages.append(html)
        seen += _titles(html)
        url = _link(html, "older")
    assert [len(_titles(p)) for p in pages] == [50, 50, 20]
    assert len(seen) == len(set(seen)) == 120  # each once
    untied = [n for n in seen if n not in ("069", "070")]  # 069 and 070: the same instant
    assert untied == sorted(untied, reverse=True)  # newest first
    assert _link(pages[0], "newer") is None and _link(pages[-1], "older") is None
    # back from the last page: the same second page
    back = attorney_client.get(_link(pages[-1], "newer")).get_data(as_text=True)
    assert _titles(back) == _titles(pages[1])
    # local time (Atlanta in March: EST) and tags in words
    assert "10:00 AM EST" in pages[-1]
    assert 'data-label="State"><span class="usa-tag' in pages[0]


def test_filter_by_state_with_counts(app, attorney_client):
    _add_filings(app, 60)
    html = attorney_client.get("/filings?state=refused").get_data(as_text=True)
    assert len(_titles(html)) == 12 and all(int(n) % 5 == 0 for n in _titles(html))
    assert "All filings (60)" in html and re.search(r"Not served: refused \(12\)", html)
    assert '<option value="refused" selected>' in html
    served = attorney_client.get("/filings?state=served").get_data(as_text=True)
    assert len(_titles(served)) == 48 and _link(served, "older") is None


def test_bad_state_or_page_marker_is_a_clear_error(app, attorney_client):
    _add_filings(app, 3)
    bad_state = attorney_client.get("/filings?state=lost")
    assert bad_state.status_code == 400
    assert "Choose a state from the list." in bad_state.get_data(as_text=True)
    bad_page = attorney_client.get("/filings?after=yesterday")
    assert bad_page.status_code == 400
    assert "That page of your filings does not exist" in bad_page.get_data(as_text=True)
    assert len(_titles(bad_page.get_data(as_text=True))) == 3  # the first page, all the same


def test_only_the_attorneys_own_filings_are_listed(app, attorney_client, make_attorney):
    make_attorney("other@law.example", eoir_id="OT123456", a_numbers=("099999999",))
    _add_filings(app, 4, email="other@law.example")
    html = attorney_client.get("/filings").get_data(as_text=True)
    assert _titles(html) == [] and "You have not served anything yet." in html
