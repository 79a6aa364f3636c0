"""The office inbox for many filings: keyset pages, sorts, views, counts, searches; only the
office's own sets, ever."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from app import db
from app.users import User
from filings import inbox
from filings.models import Filing, FilingStatus
from tests.filings.inbox_data import START, add_filings, hearing

_ROW = re.compile(r'href="/staff/filings/([0-9a-f-]{36})\?list=')


def _ids(page: str) -> list[str]:
    return _ROW.findall(page)


def _link(page: str, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)" class="[^"]*" rel="{rel}"', page)
    return match.group(1).replace("&amp;", "&") if match else None


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _urgent(app, ids: list[str]) -> list[str]:
    """The default order, worked out in Python: detained, nearest hearing (none last), oldest."""
    with app.app_context():
        rows = [db.session.get(Filing, i) for i in ids]
        far = datetime.max.date()
        rows.sort(key=lambda f: (not f.detained, f.next_hearing_on or far, f.received_at, f.id))
        return [f.id for f in rows]


def _mixed(app, count: int = 120) -> list[str]:
    return add_filings(
        app,
        count,
        detained=lambda i: i % 7 == 0,
        next_hearing_on=lambda i: hearing(i % 11) if i % 3 else None,
    )


def test_pages_forward_and_back_cover_every_set_once_in_order(app, staff_client, make_attorney):
    make_attorney()
    ids = _mixed(app)
    url, pages = "/staff/inbox?view=all", []
    while url:
        page = _get(staff_client, url)
        pages.append(_ids(page))
        url = _link(page, "next")
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [i for p in pages for i in p] == _urgent(app, ids)
    # A set served while someone reads does not shift the next page.
    [new] = add_filings(app, 1, detained=True, next_hearing_on=hearing(-30))
    back, url = [], _link(page, "prev")
    while url:
        page = _get(staff_client, url)
        back.insert(0, _ids(page))
        url = _link(page, "prev")
    assert back[-2:] == pages[:2]
    assert back[0] == [new, *pages[0][:49]]  # back at the start: the first page, whole


def test_each_sort_orders_the_first_page(app, staff_client, make_attorney):
    make_attorney()
    ids = _mixed(app, 60)
    newest = _ids(_get(staff_client, "/staff/inbox?view=all&sort=newest"))
    assert newest == list(reversed(ids))[:50]
    assert _ids(_get(staff_client, "/staff/inbox?view=all&sort=oldest")) == ids[:50]
    with app.app_context():
        rows = [db.session.get(Filing, i) for i in ids]
        far = datetime.max.date()
        rows.sort(key=lambda f: (f.next_hearing_on or far, f.received_at))
    assert (
        _ids(_get(staff_client, "/staff/inbox?view=all&sort=hearing")) == [f.id for f in rows][:50]
    )
    assert _ids(_get(staff_client, "/staff/inbox?view=all&sort=nonsense")) == _urgent(app, ids)[:50]


def _set(app, filing_id: str, **values) -> None:
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        for key, value in values.items():
            setattr(filing, key, value)
        db.session.commit()


def test_views_and_counts(app, staff_client, make_attorney, make_staff):
    make_attorney()
    ids = add_filings(app, 6)
    other = make_staff("colleague@occ.example")
    me = None
    with app.app_context():
        me = db.session.scalar(select(User.id).where(User.email == "staff.atl@occ.example"))
    _set(app, ids[0], status=FilingStatus.ACCEPTED, decided_by_id=me)
    _set(app, ids[1], status=FilingStatus.REJECTED, decided_by_id=me)
    _set(app, ids[2], claimed_by_id=me, claimed_at=START)
    _set(app, ids[3], claimed_by_id=other.id, claimed_at=START)
    _set(app, ids[4], status=FilingStatus.HELD, passed_checks=False)
    page = _get(staff_client, "/staff/inbox")
    assert _ids(page) == [ids[5]]  # new: served and nobody has it
    assert "New (served, not claimed) (1)" in page and "Claimed by me (1)" in page
    counts = dict(re.findall(r'data-state="(\w+)">.*?class="eservice-count">([\d,]+)<', page))
    assert counts == {"served": "3", "held": "1", "accepted": "1", "rejected": "1"}
    assert _ids(_get(staff_client, "/staff/inbox?view=mine")) == [ids[2]]
    assert set(_ids(_get(staff_client, "/staff/inbox?view=all"))) == set(ids)
    assert _ids(_get(staff_client, "/staff/inbox?state=held")) == [ids[4]]
    listed = _get(staff_client, "/staff/inbox?view=all&sort=oldest")
    assert "Staff ATL" in listed  # who claimed the colleague's set


def test_searches(app, staff_client, make_attorney):
    make_attorney()
    make_attorney("p.okafor@counsel.example", eoir_id="OK123456", full_name="Pat Okafor")
    ids = add_filings(
        app,
        4,
        title=lambda i: [
            "Motion to continue",
            "Brief in support",
            "Motion to reopen",
            "Witness list",
        ][i],
    )
    theirs = add_filings(
        app, 1, attorney="p.okafor@counsel.example", a_number="087654321", title="Exhibits"
    )
    with app.app_context():
        receipt = db.session.get(Filing, ids[1]).receipt_number

    def found(query: str) -> set[str]:
        return set(_ids(_get(staff_client, f"/staff/inbox?{query}")))

    assert found(f"receipt={receipt.lower()}") == {ids[1]}
    assert found("a_number=A-087-654-321") == set(theirs)
    assert found("a_number=87654321") == set(theirs)
    assert found("attorney=okaf") == set(theirs)  # surname
    assert found("attorney=P.OKA") == set(theirs)  # e-mail
    assert found("attorney=%25") == set()  # a wildcard is a character like any other
    assert found("title=motion") == {ids[0], ids[2]}
    assert found("title=MOTION+reopen") == {ids[2]}
    assert found("title=reopen&attorney=okafor") == set()


def test_received_dates_are_the_office_local_days(app, staff_client, make_attorney):
    make_attorney()
    # 03:30 UTC on 3 March is 22:30 on 2 March in Atlanta.
    late = add_filings(app, 1, received_at=datetime(2026, 3, 3, 3, 30, tzinfo=UTC))
    early = add_filings(app, 1, received_at=datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    day = "view=all&received_from=2026-03-02&received_to=2026-03-02"
    assert set(_ids(_get(staff_client, f"/staff/inbox?{day}"))) == set(late)
    both = "view=all&received_from=2026-03-02&received_to=2026-03-03"
    assert set(_ids(_get(staff_client, f"/staff/inbox?{both}"))) == set(late + early)
    assert "2 Mar 2026, 10:30 PM EST" in _get(staff_client, f"/staff/inbox?{day}")


def test_bad_search_values_are_named_and_list_nothing(app, staff_client, make_attorney):
    make_attorney()
    add_filings(app, 2)
    page = _get(staff_client, "/staff/inbox?a_number=12&received_from=3%2F2%2F2026")
    assert _ids(page) == []
    assert "is not an A-Number" in page and "is not a date" in page
    assert re.search(
        r'id="a_number"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*'
        r"a_number-error",
        page,
    )
    assert 'href="#a_number"' in page and 'href="#received_from"' in page
    backwards = _get(staff_client, "/staff/inbox?received_from=2026-03-05&received_to=2026-03-01")
    assert "The last day must be on or after the first day." in backwards


def test_another_office_sets_are_never_listed(app, staff_client, make_attorney):
    make_attorney()
    mine = add_filings(app, 2)
    theirs = add_filings(app, 3, office="NYC")
    with app.app_context():
        receipt = db.session.get(Filing, theirs[0]).receipt_number
    assert set(_ids(_get(staff_client, "/staff/inbox?view=all"))) == set(mine)
    assert _ids(_get(staff_client, f"/staff/inbox?receipt={receipt}")) == []
    # Another office's filing as a cursor reads as the first page.
    after = _get(staff_client, f"/staff/inbox?view=all&after={theirs[0]}")
    assert set(_ids(after)) == set(mine)
    refused = add_filings(app, 1, status=FilingStatus.REFUSED, passed_checks=False)
    assert refused[0] not in _ids(_get(staff_client, "/staff/inbox?view=all"))


def test_neighbours_walk_the_list_the_filing_was_opened_from(app, staff_client, make_attorney):
    make_attorney()
    ids = _mixed(app, 12)
    order = _urgent(app, ids)
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff.atl@occ.example"))
        assert inbox.neighbours(staff, order[0], {"view": "all"}) == (None, order[1])
        assert inbox.neighbours(staff, order[5], {"view": "all"}) == (order[4], order[6])
        assert inbox.neighbours(staff, order[-1], {"view": "all"}) == (order[-2], None)
        oldest = {"view": "all", "sort": "oldest"}
        assert inbox.neighbours(staff, ids[3], oldest) == (ids[2], ids[4])
        assert inbox.neighbours(staff, ids[3], {"a_number": "12"}) == (None, None)
    page = _get(staff_client, "/staff/inbox?view=all&sort=oldest")
    assert f"/staff/filings/{ids[0]}?list=view%3Dall%26sort%3Doldest" in page


def test_state_counts_follow_every_change_of_a_set(app, make_attorney, make_staff):
    """The counts the database keeps equal a fresh count after inserts, moves between states,
    in and out of the inbox, to another office, and deletes."""
    from sqlalchemy import delete, func, text, update

    from filings.models import IN_INBOX, InboxStateCount

    make_attorney()
    staff = make_staff()
    ids = add_filings(app, 8)
    add_filings(app, 3, office="NYC", status=FilingStatus.REFUSED, passed_checks=False)
    with app.app_context():
        moves = [
            (ids[0], {"status": FilingStatus.ACCEPTED, "decided_by_id": staff.id}),
            (ids[1], {"status": FilingStatus.REJECTED, "decided_by_id": staff.id}),
            (ids[1], {"status": FilingStatus.SERVED, "decided_by_id": None}),  # an undo
            (ids[2], {"status": FilingStatus.HELD, "passed_checks": False}),
            (ids[2], {"status": FilingStatus.REFUSED, "decided_by_id": staff.id}),
            (ids[3], {"status": FilingStatus.RECEIVED, "passed_checks": False}),  # leaves
            (ids[4], {"office_id": 2}),
        ]
        for filing_id, values in moves:
            db.session.execute(update(Filing).where(Filing.id == filing_id).values(**values))
        db.session.execute(
            update(Filing).where(Filing.id.in_(ids[5:7])).values(status=FilingStatus.ACCEPTED)
        )
        db.session.execute(delete(Filing).where(Filing.id == ids[7]))
        db.session.commit()
        fresh = {
            (office, str(state)): n
            for office, state, n in db.session.execute(
                select(Filing.office_id, Filing.status, func.count())
                .where(IN_INBOX)
                .group_by(Filing.office_id, Filing.status)
            )
        }
        kept = {
            (row.office_id, row.status): row.n
            for row in db.session.scalars(select(InboxStateCount).where(InboxStateCount.n > 0))
        }
        assert kept == fresh
        assert fresh[(1, "accepted")] == 3 and fresh[(1, "refused")] == 1
        assert db.session.scalar(text("SELECT count(*) FROM inbox_state_counts WHERE n < 0")) == 0


def test_the_filing_page_partial_links_previous_and_next_in_its_list(app, make_attorney):
    from flask import render_template_string
    from flask_login import login_user

    make_attorney()
    staff_user = None
    with app.app_context():
        from tests.helpers import create_staff

        staff_user = create_staff("staff.atl@occ.example", "ATL")
    ids = add_filings(app, 3)
    query = "/staff/filings/x?list=view%3Dall%26sort%3Doldest"
    with app.test_request_context(query):
        login_user(db.session.get(User, staff_user.id))
        filing = db.session.get(Filing, ids[1])
        html = render_template_string('{% include "filings/_inbox_nav.html" %}', filing=filing)
    assert f"/staff/filings/{ids[0]}?list=view%3Dall%26sort%3Doldest" in html
    assert f"/staff/filings/{ids[2]}?list=view%3Dall%26sort%3Doldest" in html
    assert "/staff/inbox?view=all&amp;sort=oldest" in html
    with app.test_request_context("/staff/filings/x"):  # not opened from a list: nothing
        login_user(db.session.get(User, staff_user.id))
        filing = db.session.get(Filing, ids[1])
        assert (
            render_template_string('{% include "filings/_inbox_nav.html" %}', filing=filing).strip()
            == ""
        )


def test_the_staff_filing_page_walks_its_list_and_offers_the_claim(
    app, staff_client, make_attorney
):
    make_attorney()
    ids = add_filings(app, 3)
    page = _get(staff_client, f"/staff/filings/{ids[1]}?list=view%3Dall%26sort%3Doldest")
    assert f"/staff/filings/{ids[0]}?list=view%3Dall%26sort%3Doldest" in page
    assert f"/staff/filings/{ids[2]}?list=view%3Dall%26sort%3Doldest" in page
    assert f'action="/staff/filings/{ids[1]}/claim"' in page


def test_a_broad_attorney_search_finds_the_same_sets(app, staff_client, make_attorney, monkeypatch):
    make_attorney()
    make_attorney("p.okafor@counsel.example", eoir_id="OK123456", full_name="Pat Okafor")
    theirs = add_filings(app, 2, attorney="p.okafor@counsel.example")
    add_filings(app, 2)
    monkeypatch.setattr(inbox, "MAX_ATTORNEY_IDS", 0)  # every match "too many": the subquery
    assert set(_ids(_get(staff_client, "/staff/inbox?attorney=okafor"))) == set(theirs)
