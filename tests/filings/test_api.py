"""JSON API v1: the same rules as the form, for case-management software."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from app.users import User
from filings.models import Filing
from filings.tokens import create_token
from registration.models import AttorneyProfile, RegistrationState
from tests.helpers import api_post, csrf_token, post_form, row_count, stored_files
from tests.pdfs import pdf_bytes


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_create_answers_201_with_the_acknowledgement(app, client, api_token):
    content = pdf_bytes(pages=4)
    response = api_post(
        client,
        api_token,
        [(content, "brief.pdf")],
        office="atl",
        a_number="A-012-345-678",
        next_hearing_on=(date.today() + timedelta(days=30)).isoformat(),
        detained="true",
    )
    assert response.status_code == 201
    ack = response.get_json()
    assert set(ack) >= {"id", "receipt_number", "status", "received_at", "documents"}
    assert response.headers["Location"] == f"/api/v1/filings/{ack['id']}"
    assert ack["received_at"].endswith("Z") and ack["office"]["code"] == "ATL"
    assert ack["a_number"] == "012345678" and ack["detained"] is True
    assert ack["documents"] == [
        {
            "filename": "brief.pdf",
            "pages": 4,
            "bytes": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "document_type": "motion",  # the set's, for a document without its own
            "warnings": [],
        }
    ]
    assert ack["status"] == "served"  # the embedded default runs the check inline

    got = client.get(f"/api/v1/filings/{ack['id']}", headers=_auth(api_token)).get_json()
    assert got["receipt_number"] == ack["receipt_number"] and got["problems"] == []
    listed = client.get("/api/v1/filings", headers=_auth(api_token)).get_json()["filings"]
    assert [f["id"] for f in listed] == [ack["id"]]


def test_idempotency_key_returns_the_first_acknowledgement(app, client, api_token):
    headers = {"Idempotency-Key": "case-42-brief-v1"}
    first = api_post(client, api_token, [(pdf_bytes(), "a.pdf")], headers=headers)
    second = api_post(client, api_token, [(pdf_bytes(), "a-again.pdf")], headers=headers)
    assert first.status_code == 201 and second.status_code == 200
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.get_json()["id"] == second.get_json()["id"]
    assert row_count(app, Filing) == 1 and len(stored_files(app)) == 1
    third = api_post(client, api_token, [(pdf_bytes(), "b.pdf")], headers={"Idempotency-Key": "x2"})
    assert third.status_code == 201 and row_count(app, Filing) == 2
    too_long = api_post(
        client, api_token, [(pdf_bytes(), "c.pdf")], headers={"Idempotency-Key": "k" * 200}
    )
    assert too_long.status_code == 422
    assert too_long.get_json()["errors"][0]["field"] == "idempotency_key"


def test_missing_bad_and_revoked_tokens_get_401(app, client, api_token, make_attorney):
    for headers in (
        {},
        {"Authorization": "Bearer esv_wrong"},
        {"Authorization": api_token},
        {"Authorization": f"Basic {api_token}"},
    ):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["errors"][0]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    with app.app_context():
        from filings.tokens import ApiToken, revoke_token

        row = db.session.scalar(select(ApiToken))
        revoke_token(row.user, row.id)
    assert client.get("/api/v1/me", headers=_auth(api_token)).status_code == 401
    with app.app_context():
        failures = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "api.auth", AuditEvent.outcome == "failure"
            )
        ).all()
        assert len(failures) == 5


def test_unverified_attorney_token_cannot_file(app, client, api_token):
    with app.app_context():
        profile = db.session.scalar(select(AttorneyProfile))
        profile.state = RegistrationState.SUSPENDED
        db.session.commit()
    response = api_post(client, api_token, [(pdf_bytes(), "a.pdf")])
    assert response.status_code == 403
    assert response.get_json()["errors"][0]["code"] == "not_verified"
    assert row_count(app, Filing) == 0


def test_another_attorneys_filing_is_404(app, client, api_token, make_attorney):
    filing_id = api_post(client, api_token, [(pdf_bytes(), "a.pdf")]).get_json()["id"]
    other = make_attorney("other@law.example", eoir_id="OT123456", a_numbers=("099999999",))
    with app.app_context():
        other_token = create_token(db.session.get(User, other.id), "other")
    response = client.get(f"/api/v1/filings/{filing_id}", headers=_auth(other_token))
    assert response.status_code == 404 and response.get_json()["errors"][0]["code"] == "not_found"
    assert client.get("/api/v1/filings", headers=_auth(other_token)).get_json()["filings"] == []


def test_me_offices_and_document_types(app, client, api_token):
    me = client.get("/api/v1/me", headers=_auth(api_token)).get_json()
    assert me["email"] == "lawyer@firm.example" and me["verification"] == "verified"
    assert me["a_numbers_with_e28"] == ["012345678"]
    offices = client.get("/api/v1/offices", headers=_auth(api_token)).get_json()["offices"]
    assert (
        len(offices) >= 25
        and {"code": "ATL", "name": "OCC Atlanta", "timezone": "America/New_York"} in offices
    )
    types = client.get("/api/v1/document-types", headers=_auth(api_token)).get_json()
    codes = [t["code"] for t in types["document_types"]]
    assert codes == [
        "motion",
        "brief",
        "evidence",
        "e28",
        "application",
        "notice_of_appeal",
        "prosecutorial_discretion",
        "joint_motion",
        "other",
    ]


def test_api_needs_no_csrf_but_forms_do(client, api_token):
    # Token-authenticated API calls carry no cookie, so CSRF does not apply to them.
    assert api_post(client, api_token, [(pdf_bytes(), "a.pdf")]).status_code == 201


def test_tokens_are_created_and_revoked_in_the_ui(app, attorney_client):
    page = post_form(attorney_client, "/account/tokens", {"name": "CaseTracker"})
    token = re.search(r'<code id="new-token">([^<]+)</code>', page.get_data(as_text=True)).group(1)
    assert attorney_client.get("/api/v1/me", headers=_auth(token)).status_code == 200
    listing = attorney_client.get("/account/tokens").get_data(as_text=True)
    assert token not in listing  # shown once only
    token_id = re.search(r"/account/tokens/(\d+)/revoke", listing).group(1)
    attorney_client.post(
        f"/account/tokens/{token_id}/revoke",
        data={"csrf_token": csrf_token(attorney_client, "/account/tokens")},
    )
    assert attorney_client.get("/api/v1/me", headers=_auth(token)).status_code == 401
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"api_token.create", "api_token.revoke"} <= actions


def test_tokens_create_command(app, client, make_attorney):
    make_attorney()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tokens", "create", "lawyer@firm.example"])
    token = result.stdout.strip()  # the token alone on standard output, for scripts
    assert result.exit_code == 0 and token.startswith("esv_")
    assert "expires in 365 days" in result.stderr
    assert client.get("/api/v1/me", headers=_auth(token)).status_code == 200
    refused = runner.invoke(args=["tokens", "create", "nobody@law.example"])
    assert refused.exit_code == 1 and "is not a verified attorney" in refused.output


# --- token lifetime ---------------------------------------------------------------------------


def _token_rows(app):
    from app.tokens import ApiToken

    with app.app_context():
        return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id)))


def test_tokens_command_takes_a_lifetime_within_bounds(app, make_attorney):
    make_attorney()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tokens", "create", "lawyer@firm.example", "--days", "30"])
    assert result.exit_code == 0 and "expires in 30 days" in result.stderr
    [row] = _token_rows(app)
    assert timedelta(days=30) - (row.expires_at - row.created_at) < timedelta(seconds=1)
    for days in ("0", "731", "-5", "soon"):
        refused = runner.invoke(args=["tokens", "create", "lawyer@firm.example", "--days", days])
        assert refused.exit_code == 2 and "--days" in refused.output, refused.output
    assert len(_token_rows(app)) == 1  # nothing stored for a refused lifetime


def test_an_expired_token_is_refused_with_401_saying_it_expired(app, client, api_token):
    assert client.get("/api/v1/me", headers=_auth(api_token)).status_code == 200
    with app.app_context():
        from app.tokens import ApiToken

        row = db.session.scalar(select(ApiToken))
        row.expires_at = db.utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get("/api/v1/me", headers=_auth(api_token))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    [err] = response.get_json()["errors"]
    assert err["code"] == "token_expired" and "expired on" in err["message"]
    filed = api_post(client, api_token, [(pdf_bytes(), "a.pdf")])
    assert filed.status_code == 401 and row_count(app, Filing) == 0
    with app.app_context():
        reasons = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "api.auth")
        ).all()
    assert reasons == [{"reason": "token_expired"}, {"reason": "token_expired"}]


def test_the_tokens_page_sets_a_lifetime_and_shows_expiry_and_last_use(app, attorney_client):
    page = attorney_client.get("/account/tokens").get_data(as_text=True)
    assert 'name="days"' in page and 'value="365"' in page  # ESERVICE_API_TOKEN_DAYS
    made = post_form(attorney_client, "/account/tokens", {"name": "CaseTracker", "days": "7"})
    token = re.search(r'<code id="new-token">([^<]+)</code>', made.get_data(as_text=True)).group(1)
    [row] = _token_rows(app)
    assert timedelta(days=7) - (row.expires_at - row.created_at) < timedelta(seconds=1)
    listing = attorney_client.get("/account/tokens").get_data(as_text=True)
    assert row.expires_at.strftime("%Y-%m-%d %H:%M") in listing
    assert re.search(r'class="last-used">never<', listing)
    assert attorney_client.get("/api/v1/me", headers=_auth(token)).status_code == 200
    [row] = _token_rows(app)
    listing = attorney_client.get("/account/tokens").get_data(as_text=True)
    assert f'class="last-used">{row.last_used_at:%Y-%m-%d %H:%M}<' in listing
    default = post_form(attorney_client, "/account/tokens", {"name": "Other", "days": ""})
    assert default.status_code == 200
    newest = _token_rows(app)[-1]
    assert timedelta(days=365) - (newest.expires_at - newest.created_at) < timedelta(seconds=1)


def test_the_tokens_page_refuses_a_lifetime_out_of_bounds(app, attorney_client):
    for days in ("0", "731", "many"):
        page = post_form(attorney_client, "/account/tokens", {"name": "Bad", "days": days})
        text = page.get_data(as_text=True)
        assert 'id="new-token"' not in text
        assert "Choose between 1 and 730 days." in text or "Not a valid integer" in text
    assert _token_rows(app) == []


def test_an_expired_token_shows_as_expired_on_the_page(app, attorney_client):
    post_form(attorney_client, "/account/tokens", {"name": "Old", "days": "1"})
    with app.app_context():
        from app.tokens import ApiToken

        row = db.session.scalar(select(ApiToken))
        row.expires_at = db.utcnow() - timedelta(minutes=1)
        db.session.commit()
    listing = attorney_client.get("/account/tokens").get_data(as_text=True)
    assert "(expired)" in listing and "/revoke" not in listing


# --- wrong tokens slow an address down ---------------------------------------------------------


def test_wrong_tokens_from_one_address_are_throttled_then_even_a_right_one(app, api_token):
    import time

    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for n in range(20):
        assert attacker.get("/api/v1/me", headers=_auth(f"esv_guess{n}")).status_code == 401
    refused = attacker.get("/api/v1/me", headers=_auth(api_token))
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    [err] = refused.get_json()["errors"]
    assert err["code"] == "too_many_failures" and "try again in" in err["message"]
    # another address is not slowed down by this one
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.4"
    assert elsewhere.get("/api/v1/me", headers=_auth(api_token)).status_code == 200
    # calls without a token are not guesses and are not counted
    quiet = app.test_client()
    quiet.environ_base["REMOTE_ADDR"] = "198.51.100.5"
    for _ in range(25):
        assert quiet.get("/api/v1/me").status_code == 401
    assert quiet.get("/api/v1/me", headers=_auth(api_token)).status_code == 200
    with app.app_context():
        throttled = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "api.throttled")
        ).all()
    assert len(throttled) == 1 and throttled[0].ip == "203.0.113.9"
    time.sleep(1.05)  # the first wait after the free failures is one second
    assert attacker.get("/api/v1/me", headers=_auth(api_token)).status_code == 200
