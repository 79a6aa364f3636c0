"""The reconciliation feed, ``GET /api/v1/filings``: every filing once per sweep in (updated_at,
id) order, page by page, resumable, and nothing skipped when a row commits late."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from sqlalchemy import select, update

from app import db
from filings.models import Filing, FilingRider, FilingStatus
from tests.filings.inbox_data import add_filings

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _get(client, token, **params):
    query = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in params.items())
    return client.get(f"/api/v1/filings?{query}", headers=_auth(token))


def _sweep(client, token, **params):
    """Every page from ``params`` on: (ids in the order listed, the pages, the last cursor)."""
    ids, pages = [], []
    while True:
        response = _get(client, token, **params)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        pages.append(body)
        ids += [f["id"] for f in body["filings"]]
        params = {
            "cursor": body["next_cursor"],
            **({"limit": params["limit"]} if "limit" in params else {}),
        }
        if not body["has_more"]:
            return ids, pages, body["next_cursor"]


def _in_feed_order(app, ids):
    with app.app_context():
        rows = db.session.execute(
            select(Filing.id).where(Filing.id.in_(ids)).order_by(Filing.updated_at, Filing.id)
        )
        return [r[0] for r in rows]


def test_pages_list_every_filing_once_in_change_order_with_ties(
    app, client, api_token, make_attorney
):
    # 23 filings changed in groups of four at the same microsecond: ties broken by id.
    ids = add_filings(app, 23, updated_at=lambda i: T0 + timedelta(seconds=i // 4))
    make_attorney("other@law.example", eoir_id="OT123456", a_numbers=("099999999",))
    add_filings(app, 3, attorney="other@law.example", a_number="099999999")
    listed, pages, _ = _sweep(client, api_token, limit=5)
    assert listed == _in_feed_order(app, ids)  # each once, none of the other attorney's
    assert [len(p["filings"]) for p in pages] == [5, 5, 5, 5, 3]
    assert [p["has_more"] for p in pages] == [True] * 4 + [False]
    first = pages[0]["filings"][0]
    assert first["updated_at"] == "2026-03-02T15:00:00Z" and first["office"] == "ATL"
    # Everything above is settled (long ago): resuming lists nothing again.
    again, _, _ = _sweep(client, api_token, cursor=pages[-1]["next_cursor"])
    assert again == []


def test_updated_since_is_inclusive_and_takes_any_offset(app, client, api_token):
    ids = add_filings(app, 6, updated_at=lambda i: T0 + timedelta(minutes=i))
    for since in ("2026-03-02T15:03:00Z", "2026-03-02T10:03:00-05:00", "2026-03-02t15:03:00z"):
        listed, _, _ = _sweep(client, api_token, updated_since=since)
        assert listed == ids[3:], since
    listed, _, _ = _sweep(client, api_token, updated_since="2026-03-02T15:03:00.000001Z")
    assert listed == ids[4:]


def test_without_parameters_the_first_page_lists_everything_under_filings(app, client, api_token):
    ids = add_filings(app, 3, updated_at=lambda i: T0 + timedelta(minutes=i))
    body = client.get("/api/v1/filings", headers=_auth(api_token)).get_json()
    assert [f["id"] for f in body["filings"]] == ids and body["has_more"] is False
    assert set(body["filings"][0]) == {
        "id", "receipt_number", "status", "received_at", "updated_at", "decided_at",
        "decision_reason", "office", "a_number", "rider_a_numbers", "title", "corrects",
    }  # fmt: skip


def test_items_carry_riders_decision_and_the_corrected_set(app, client, api_token):
    refused, corrected = add_filings(app, 2, updated_at=lambda i: T0 + timedelta(minutes=i))
    decided = T0 + timedelta(hours=1)
    with app.app_context():
        first = db.session.get(Filing, refused)
        first.status, first.passed_checks = FilingStatus.REFUSED, False
        second = db.session.get(Filing, corrected)
        second.corrects_id = refused
        second.status, second.decided_at = FilingStatus.REJECTED, decided
        second.decision_reason = "Wrong office."
        second.riders = [FilingRider(a_number="087654321", position=1)]
        receipt = first.receipt_number
        db.session.commit()
    body = client.get("/api/v1/filings", headers=_auth(api_token)).get_json()
    by_id = {f["id"]: f for f in body["filings"]}
    assert by_id[refused]["status"] == "refused" and by_id[refused]["corrects"] is None
    item = by_id[corrected]
    assert item["corrects"] == receipt and item["rider_a_numbers"] == ["087654321"]
    assert item["status"] == "rejected" and item["decision_reason"] == "Wrong office."
    assert item["decided_at"] == "2026-03-02T16:00:00Z"
    # The changes just made moved updated_at: both are now the newest in the feed.
    assert [f["id"] for f in body["filings"]] == _in_feed_order(app, [refused, corrected])
    assert datetime.fromisoformat(item["updated_at"]) > T0 + timedelta(days=1)


def test_a_change_made_between_pages_shows_up_later(app, client, api_token):
    ids = add_filings(app, 10, updated_at=lambda i: T0 + timedelta(minutes=i))
    page = _get(client, api_token, limit=4).get_json()
    assert [f["id"] for f in page["filings"]] == ids[:4]
    with app.app_context():  # staff accept the second one meanwhile
        db.conditional_update(
            update(Filing)
            .where(Filing.id == ids[1], Filing.status == FilingStatus.SERVED)
            .values(status=FilingStatus.ACCEPTED, decided_at=db.utcnow())
        )
        db.session.commit()
    rest, _, cursor = _sweep(client, api_token, cursor=page["next_cursor"], limit=4)
    assert rest == ids[4:] + [ids[1]]  # moved to the end of the order, in the same sweep
    # Changed seconds ago (not settled yet): the next sweep lists it again, in its state now.
    later, pages, _ = _sweep(client, api_token, cursor=cursor)
    assert later == [ids[1]] and pages[0]["filings"][0]["status"] == "accepted"


def test_a_row_committed_late_with_an_earlier_stamp_is_not_skipped(app, client, api_token):
    """A transaction stamps updated_at when it writes, and commits later (it waited for
    storage, or for a lock): a client that read the whole feed meanwhile must get it next."""
    ids = add_filings(app, 5, updated_at=lambda i: T0 + timedelta(minutes=i))
    engine = app.extensions["eservice.engine"]
    if engine.dialect.name == "postgresql":
        # A real open transaction, older than the feed's 5 s for clocks: the oldest writing
        # transaction holds the resume point back. (It leaves the state alone: a state change
        # would hold the inbox counts' rows that the filing added meanwhile needs.)
        with engine.connect() as conn:
            transaction = conn.begin()
            conn.execute(
                update(Filing)
                .where(Filing.id == ids[2])
                .values(decision_reason="Late.", updated_at=db.utcnow())
            )
            time.sleep(6)
            newer = add_filings(app, 1)  # committed meanwhile, stamped after the open one
            listed, _, cursor = _sweep(client, api_token, limit=2)
            assert listed == ids + newer  # ids[2] as last committed
            transaction.commit()
    else:
        # SQLite takes one writer at a time and the feed's own call writes (the token's last
        # use), so the stamp is taken before the client reads and written after.
        stamp = db.utcnow()
        listed, _, cursor = _sweep(client, api_token, limit=2)
        assert listed == ids
        with app.app_context():
            db.session.execute(
                update(Filing)
                .where(Filing.id == ids[2])
                .values(decision_reason="Late.", updated_at=stamp)
            )
            db.session.commit()
    resumed, pages, _ = _sweep(client, api_token, cursor=cursor)
    assert ids[2] in resumed
    listed_again = next(f for p in pages for f in p["filings"] if f["id"] == ids[2])
    assert listed_again["decision_reason"] == "Late."


def test_limit_must_be_1_to_200(app, client, api_token):
    add_filings(app, 3, updated_at=lambda i: T0 + timedelta(minutes=i))
    assert len(_get(client, api_token, limit=1).get_json()["filings"]) == 1
    assert len(_get(client, api_token, limit=200).get_json()["filings"]) == 3
    for bad in ("0", "201", "-1", "1.5", "ten", "99999", " 5"):
        response = _get(client, api_token, limit=bad)
        assert response.status_code == 400, bad
        [err] = response.get_json()["errors"]
        assert err["code"] == "invalid_parameter" and err["field"] == "limit"
        assert "1 to 200" in err["message"]


def test_a_bad_updated_since_is_400_naming_it(app, client, api_token):
    for bad, says in (
        ("yesterday", "ISO 8601"),
        ("", "ISO 8601"),
        ("2026-13-01T00:00:00Z", "ISO 8601"),
        ("2026-03-02T15:00:00", "no time zone"),
        ("2026-03-02", "no time zone"),
        ("0001-01-01T00:00:00+05:00", "out of range"),
    ):
        response = _get(client, api_token, updated_since=bad)
        assert response.status_code == 400, bad
        [err] = response.get_json()["errors"]
        assert err["field"] == "updated_since" and says in err["message"], (bad, err)
    # A + not encoded arrives as a space: said so, not taken as another time.
    response = client.get(
        "/api/v1/filings?updated_since=2026-03-02T15:00:00+05:00", headers=_auth(api_token)
    )
    assert response.status_code == 400 and "%2B" in response.get_json()["errors"][0]["message"]


def test_a_forged_or_garbled_cursor_is_400_naming_it(app, client, api_token, make_attorney):
    add_filings(app, 4, updated_at=lambda i: T0 + timedelta(minutes=i))
    cursor = _get(client, api_token, limit=2).get_json()["next_cursor"]
    other = make_attorney("other@law.example", eoir_id="OT123456", a_numbers=("099999999",))
    with app.app_context():
        from app.users import User
        from filings.api_sync import _serializer
        from filings.tokens import create_token

        other_token = create_token(db.session.get(User, other.id), "other")
        lawyer_id = db.session.scalar(select(Filing.attorney_id).limit(1))
        future = _serializer().dumps({"v": 2, "a": lawyer_id, "s": None, "u": None, "i": None})
        wrong_time = _serializer().dumps(
            {"v": 1, "a": lawyer_id, "s": None, "u": "soon", "i": "x", "w": None}
        )
    flipped = cursor[:-3] + ("A" if cursor[-3] != "A" else "B") + cursor[-2:]
    cases = {
        "garbage": "not-a-cursor",
        "edited": flipped,
        "cut short": cursor[: len(cursor) // 2],
        "too long": cursor + "A" * 1000,
        "empty": "",
        "later version": future,
        "bad field": wrong_time,
    }
    for name, bad in cases.items():
        response = _get(client, api_token, cursor=bad)
        assert response.status_code == 400, name
        [err] = response.get_json()["errors"]
        assert err["field"] == "cursor" and "updated_since" in err["message"], (name, err)
    assert (
        "another version"
        in _get(client, api_token, cursor=future).get_json()["errors"][0]["message"]
    )
    stolen = _get(client, other_token, cursor=cursor)
    assert (
        stolen.status_code == 400 and "another account" in stolen.get_json()["errors"][0]["message"]
    )


def test_the_feed_needs_a_token(client):
    response = client.get("/api/v1/filings?updated_since=2026-01-01T00:00:00Z")
    assert (
        response.status_code == 401 and response.get_json()["errors"][0]["code"] == "unauthorized"
    )
