"""The administration pages: audit log (filters, pages, CSV export), staff accounts and offices.
Administrators only; every change a POST with CSRF; every read of the log audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from app import audit, db, mfa
from app.audit import AuditEvent
from app.offices import Office
from app.users import Role, User
from tests.helpers import PASSWORD, csrf_token, login, post_form

ADMIN = "admin@occ.example"
STAFF = "staff.atl@occ.example"


@pytest.fixture
def admin_client(app, make_staff):  # type: ignore[no-untyped-def]
    make_staff(ADMIN, office="NYC", admin=True)
    client = app.test_client()
    login(client, ADMIN)
    assert client.get("/admin/").status_code == 200
    return client


def audited(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list(db.session.scalars(query))


def user(app: Flask, email: str) -> User:
    with app.app_context():
        found = db.session.scalar(select(User).where(User.email == email))
        assert found is not None
        return found


def add_events(app: Flask, *events: dict) -> None:  # type: ignore[type-arg]
    with app.app_context():
        for e in events:
            e = dict(e)
            at = e.pop("at", None)
            row = audit.record(e.pop("action"), **e)
            if at:
                row.at = at
        db.session.commit()


ADMIN_PAGES = [
    ("get", "/admin/"),
    ("get", "/admin/audit"),
    ("get", "/admin/audit/export.csv"),
    ("get", "/admin/staff"),
    ("post", "/admin/staff"),
    ("post", "/admin/staff/1/deactivate"),
    ("post", "/admin/staff/1/reactivate"),
    ("post", "/admin/staff/1/reset-mfa"),
    ("get", "/admin/offices"),
    ("get", "/admin/offices/ATL"),
    ("post", "/admin/offices/ATL"),
]


@pytest.mark.parametrize(("method", "path"), ADMIN_PAGES)
def test_admin_pages_are_404_to_staff_and_attorneys_and_ask_anonymous_to_log_in(
    app, staff_client, attorney_client, method, path
):
    anonymous = app.test_client()
    for who, page in (
        (staff_client, "/account/"),
        (attorney_client, "/account/"),
        (anonymous, "/login"),
    ):
        data = {"csrf_token": csrf_token(who, page)} if method == "post" else None
        response = getattr(who, method)(path, data=data)
        if who is anonymous:
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            assert response.status_code == 404
    denied = audited(app, "authz.denied")
    assert [e.actor for e in denied] == [STAFF, "lawyer@firm.example"]
    assert {e.detail["path"] for e in denied} == {path}


def test_changes_without_the_csrf_token_are_refused(app, admin_client):
    for path in ("/admin/staff", "/admin/staff/1/deactivate", "/admin/offices/ATL"):
        assert admin_client.post(path, data={"reason": "x", "name": "y"}).status_code == 400
    with app.app_context():
        assert db.session.get(Office, 1).name.startswith("OCC ")


# --- audit log ------------------------------------------------------------------------------


def test_the_audit_log_filters_and_audits_each_view(app, admin_client):
    add_events(
        app,
        {"action": "filing.received", "obj_type": "filing", "obj_id": "f-1", "actor_label": "a@x"},
        {"action": "filing.refused", "outcome": "refused", "actor_label": "a@x"},
        {"action": "auth.login", "outcome": "failure", "actor_label": "b@x"},
        {
            "action": "auth.logout",
            "actor_label": "b@x",
            "at": datetime(2020, 1, 2, 23, 59, 59, tzinfo=UTC),
        },
    )

    def actions(**args: str) -> list[str]:
        page = admin_client.get("/admin/audit", query_string=args)
        assert page.status_code == 200
        rows = re.findall(r'<tr data-id="\d+">(.*?)</tr>', page.get_data(as_text=True), re.S)
        return [re.findall(r"<td>(.*?)</td>", row, re.S)[3] for row in rows]

    assert actions(actor="a@x") == ["filing.refused", "filing.received"]  # newest first
    assert actions(action="filing.*") == ["filing.refused", "filing.received"]
    assert actions(action="filing.") == []  # exact unless it ends in *
    assert actions(object_type="filing", object_id="f-1") == ["filing.received"]
    assert actions(outcome="failure") == ["auth.login"]
    assert actions(since="2020-01-02", until="2020-01-02") == ["auth.logout"]
    assert actions(until="2020-01-01") == []
    views = audited(app, "audit.view")
    assert len(views) == 7 and views[0].actor == ADMIN
    assert views[0].detail == {"filter": {"actor": "a@x"}, "before": None}
    assert views[-1].detail["filter"] == {"until": "2020-01-01"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"since": "2024-13-01"}, "since: &#39;2024-13-01&#39; is not a date"),
        ({"until": "yesterday"}, "until: &#39;yesterday&#39; is not a date"),
        ({"since": "2024-02-02", "until": "2024-02-01"}, "The end date is before the start date"),
        ({"actor": "x" * 255}, "actor may be at most 254 characters"),
        ({"before": "-5"}, "That page link is not valid"),
    ],
)
def test_a_bad_filter_is_named_and_nothing_is_listed(app, admin_client, args, message):
    page = admin_client.get("/admin/audit", query_string=args)
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert message in text and 'id="audit-events"' not in text
    if "before" not in args:
        assert admin_client.get("/admin/audit/export.csv", query_string=args).status_code == 400
    assert audited(app, "audit.view") == [] and audited(app, "audit.export") == []


def test_the_audit_log_pages_by_keyset_without_gaps_or_repeats(app, admin_client):
    add_events(app, *({"action": "test.page", "n": n} for n in range(120)))
    seen: list[int] = []
    path, pages = "/admin/audit?action=test.page", 0
    while path:
        text = admin_client.get(path).get_data(as_text=True)
        ids = [int(i) for i in re.findall(r'<tr data-id="(\d+)">', text)]
        assert len(ids) <= 50 and ids == sorted(ids, reverse=True)
        seen += ids
        pages += 1
        older = re.search(r'href="([^"]+)" id="older"', text)
        path = older.group(1).replace("&amp;", "&") if older else ""
        if path:
            assert "action=test.page" in path  # the filter stays on every page
    assert pages == 3 and len(seen) == 120 and len(set(seen)) == 120
    assert [v.detail["before"] for v in audited(app, "audit.view")][1:] == [seen[49], seen[99]]


def test_the_csv_export_has_the_filtered_rows_with_formulas_defused(app, admin_client):
    # What anyone can type into the login form ends up in the log, and then in a spreadsheet.
    visitor = app.test_client()
    for email in ('=hyperlink("http://evil.example")', "+1+1", "-2", "@sum(a1)", "ok@x.example"):
        post_form(visitor, "/login", {"email": email, "password": "wrong"})
    add_events(app, {"action": "test.other"})
    response = admin_client.get("/admin/audit/export.csv?action=auth.login&outcome=failure")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["actor"] for r in rows] == [
        '\'=hyperlink("http://evil.example")',
        "'+1+1",
        "'-2",
        "'@sum(a1)",
        "ok@x.example",
    ]
    assert {r["action"] for r in rows} == {"auth.login"}
    assert all(len(r["hash"]) == 64 and r["at"].endswith("+00:00") for r in rows)
    [export] = audited(app, "audit.export")
    assert export.actor == ADMIN
    assert export.detail == {"filter": {"action": "auth.login", "outcome": "failure"}, "rows": 5}


# --- staff accounts -------------------------------------------------------------------------


def create_form(**fields: str) -> dict[str, str]:
    return {"email": "new.clerk@occ.example", "full_name": "New Clerk", "office": "SFR", **fields}


def test_an_admin_creates_a_staff_account_and_sees_its_password_once(app, admin_client):
    response = post_form(admin_client, "/admin/staff", create_form(email="New.Clerk@OCC.example"))
    assert response.status_code == 201
    password = re.search(r'id="first-password">([^<]+)<', response.get_data(as_text=True))
    assert password and len(password.group(1)) >= 20
    created = user(app, "new.clerk@occ.example")
    assert created.role == Role.STAFF and created.must_change_password
    with app.app_context():
        assert db.session.get(User, created.id).check_password(password.group(1))
        assert db.session.get(User, created.id).office.code == "SFR"
    assert password.group(1) not in admin_client.get("/admin/staff").get_data(as_text=True)
    [event] = [e for e in audited(app, "user.create") if e.actor == ADMIN]
    assert event.object_id == str(created.id)
    assert event.detail == {"email": "new.clerk@occ.example", "role": "staff", "office": "SFR"}
    assert password.group(1) not in str(event.detail)
    # The person logs in with it (and is then asked for a new password and a second factor).
    first = post_form(
        app.test_client(), "/login", {"email": created.email, "password": password.group(1)}
    )
    assert first.status_code == 302 and first.headers["Location"] != "/login"


def test_an_admin_account_can_be_created(app, admin_client):
    response = post_form(admin_client, "/admin/staff", create_form(admin="y", office="ATL"))
    assert response.status_code == 201 and "an administrator" in response.get_data(as_text=True)
    assert user(app, "new.clerk@occ.example").role == Role.ADMIN


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": ADMIN}, "admin@occ.example already has an account"),
        ({"email": "not-an-address"}, "That is not an e-mail address"),
        ({"office": "ZZZ"}, "There is no field office with code &#39;ZZZ&#39;"),
        ({"full_name": "   "}, "Give the person&#39;s full name"),
        ({"full_name": "x" * 201}, "at most 200 characters"),
    ],
)
def test_a_bad_staff_account_is_named_and_nothing_is_stored(app, admin_client, fields, message):
    response = post_form(admin_client, "/admin/staff", create_form(**fields))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new.clerk@occ.example")) is None
        assert db.session.scalar(select(User).where(User.email == "not-an-address")) is None
    assert [e for e in audited(app, "user.create") if e.actor == ADMIN] == []


def test_an_admin_deactivates_and_reactivates_staff_and_their_session_ends(
    app, admin_client, staff_client
):
    staff = user(app, STAFF)
    assert staff_client.get("/staff/inbox").status_code == 200
    missing = post_form(
        admin_client, "/admin/staff", {"reason": " "}, f"/admin/staff/{staff.id}/deactivate"
    )
    assert missing.status_code == 302 and user(app, STAFF).active
    assert "Give the reason" in admin_client.get("/admin/staff").get_data(as_text=True)
    response = post_form(
        admin_client,
        "/admin/staff",
        {"reason": "Left the office"},
        f"/admin/staff/{staff.id}/deactivate",
    )
    assert response.status_code == 302
    assert "is deactivated" in admin_client.get("/admin/staff").get_data(as_text=True)
    assert not user(app, STAFF).active
    assert staff_client.get("/staff/inbox").status_code == 302  # the open session ended
    [event] = audited(app, "user.deactivate")
    assert event.actor == ADMIN and event.detail == {"reason": "Left the office"}

    post_form(admin_client, "/admin/staff", {}, f"/admin/staff/{staff.id}/reactivate")
    assert user(app, STAFF).active
    assert [e.actor for e in audited(app, "user.reactivate")] == [ADMIN]
    again = app.test_client()
    login(again, STAFF, PASSWORD)
    assert again.get("/staff/inbox").status_code == 200


def test_an_admin_cannot_deactivate_themselves_nor_reach_attorney_accounts(
    app, admin_client, make_attorney
):
    me = user(app, ADMIN)
    post_form(admin_client, "/admin/staff", {"reason": "bored"}, f"/admin/staff/{me.id}/deactivate")
    assert "cannot deactivate your own account" in admin_client.get("/admin/staff").get_data(
        as_text=True
    )
    assert user(app, ADMIN).active
    lawyer = make_attorney()
    for action in ("deactivate", "reactivate", "reset-mfa"):
        path = f"/admin/staff/{lawyer.id}/{action}"
        assert post_form(admin_client, "/admin/staff", {"reason": "x"}, path).status_code == 404
    assert (
        post_form(admin_client, "/admin/staff", {}, "/admin/staff/999/reactivate").status_code
        == 404
    )
    assert user(app, "lawyer@firm.example").active


def test_an_admin_resets_a_staff_members_second_factor(app, admin_client, staff_client):
    staff = user(app, STAFF)
    with app.app_context():
        assert mfa.has_second_factor(db.session.get(User, staff.id))
    response = post_form(admin_client, "/admin/staff", {}, f"/admin/staff/{staff.id}/reset-mfa")
    assert response.status_code == 302
    with app.app_context():
        assert not mfa.has_second_factor(db.session.get(User, staff.id))
    assert staff_client.get("/staff/inbox").status_code == 302  # sessions ended
    assert [e.actor for e in audited(app, "mfa.reset")] == [ADMIN]


def test_the_staff_list_shows_every_staff_account_and_no_attorney(app, admin_client, make_attorney):
    make_attorney()
    page = admin_client.get("/admin/staff").get_data(as_text=True)
    assert ADMIN in page and "lawyer@firm.example" not in page
    assert csrf_token(admin_client, "/admin/staff")


# --- offices --------------------------------------------------------------------------------


def test_offices_list_staff_counts(app, admin_client, make_staff):
    make_staff("one@occ.example", office="ATL")
    make_staff("two@occ.example", office="ATL")
    page = admin_client.get("/admin/offices").get_data(as_text=True)

    def counts(code: str) -> tuple[str, str]:
        row = re.search(rf'<tr data-office="{code}">(.*?)</tr>', page, re.S)
        assert row
        active = re.search(r'class="active-staff">(\d+)<', row.group(1))
        inactive = re.search(r'class="inactive-staff">(\d+)<', row.group(1))
        assert active and inactive
        return active.group(1), inactive.group(1)

    assert (
        counts("ATL") == ("2", "0") and counts("NYC") == ("1", "0") and counts("SEA") == ("0", "0")
    )
    assert page.count("<tr data-office=") == 28


def test_an_admin_renames_an_office_and_changes_its_time_zone(app, admin_client):
    response = post_form(
        admin_client,
        "/admin/offices/ATL",
        {"name": "  OCC  Atlanta  (Stewart) ", "timezone": "America/Chicago"},
    )
    assert response.status_code == 302
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == "ATL"))
        assert (office.name, office.timezone) == ("OCC Atlanta (Stewart)", "America/Chicago")
    [event] = audited(app, "office.update")
    assert event.actor == ADMIN and event.object_id == "ATL"
    assert event.detail == {
        "before": {"name": "OCC Atlanta", "timezone": "America/New_York"},
        "after": {"name": "OCC Atlanta (Stewart)", "timezone": "America/Chicago"},
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "&#39;Mars/Olympus_Mons&#39; is not an IANA time zone"),
        ({"timezone": "../../etc/passwd"}, "is not an IANA time zone"),
        ({"name": "   "}, "Give the office a name"),
        ({"name": "x" * 121}, "at most 120 characters"),
    ],
)
def test_a_bad_office_change_is_named_and_nothing_changes(app, admin_client, fields, message):
    data = {"name": "OCC Atlanta", "timezone": "America/New_York", **fields}
    response = post_form(admin_client, "/admin/offices/ATL", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == "ATL"))
        assert (office.name, office.timezone) == ("OCC Atlanta", "America/New_York")
    assert audited(app, "office.update") == []


def test_an_unknown_office_is_404(admin_client):
    assert admin_client.get("/admin/offices/ZZZ").status_code == 404


def test_the_admin_pages_keep_the_chain_intact(app, admin_client):
    admin_client.get("/admin/audit")
    admin_client.get("/admin/audit/export.csv").get_data()
    post_form(
        admin_client,
        "/admin/offices/SEA",
        {"name": "OCC Seattle", "timezone": "America/Los_Angeles"},
    )
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
