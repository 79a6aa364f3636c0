"""Errors under /api/ are JSON: unknown addresses, wrong methods (with Allow), bodies of the
wrong type for the multipart calls (415), and the family and correction fields refused."""

from __future__ import annotations

import io

from app import db
from app.users import User
from filings.models import Filing
from filings.precheck_models import FileCheck
from filings.tokens import create_token
from tests.helpers import api_post, multipart, row_count
from tests.pdfs import pdf_bytes, pdf_with_javascript


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_bodies_other_than_multipart_get_415_naming_the_fields(app, client, api_token):
    bodies = {
        "JSON": {"json": {"office": "ATL", "a_number": "A012345678", "files": ["a.pdf"]}},
        "a form without files": {"data": {"office": "ATL"}},
        "text": {"data": b"office=ATL", "content_type": "text/plain"},
        "nothing": {},
    }
    for path, names in (("/api/v1/filings", ("a_number", "files")), ("/api/v1/checks", ("files",))):
        for kind, body in bodies.items():
            response = client.post(path, headers=_auth(api_token), **body)
            assert response.status_code == 415, (path, kind)
            [err] = response.get_json()["errors"]
            assert err["code"] == "unsupported_media_type"
            assert "multipart/form-data" in err["message"]
            assert all(name in err["message"] for name in names), err["message"]
    assert (
        "not application/json"
        in client.post("/api/v1/filings", headers=_auth(api_token), json={}).get_json()["errors"][
            0
        ]["message"]
    )
    assert row_count(app, Filing) == 0 and row_count(app, FileCheck) == 0


def test_the_token_is_asked_for_before_the_body_type(client):
    response = client.post("/api/v1/filings", json={"office": "ATL"})
    assert response.status_code == 401 and response.is_json


def test_unknown_api_addresses_are_json_404_for_every_method(client, api_token):
    for path in ("/api/v1/nope", "/api/v1/filings/x/nope", "/api/v3/filings", "/api/"):
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            response = client.open(path, method=method, headers=_auth(api_token))
            assert response.status_code == 404, (method, path)
            assert response.mimetype == "application/json"
            assert response.get_json()["errors"][0]["code"] == "not_found"


def test_a_wrong_method_is_json_405_with_allow(client, api_token):
    for method, path, allowed in (
        ("DELETE", "/api/v1/filings", {"GET", "POST"}),
        ("PUT", "/api/v1/me", {"GET"}),
        ("POST", "/api/v1/openapi.json", {"GET"}),
        ("PATCH", "/api/v1/filings/some-id", {"GET"}),
        ("GET", "/api/v1/receipts/verify", {"POST"}),
    ):
        response = client.open(path, method=method, headers=_auth(api_token))
        assert response.status_code == 405, (method, path)
        allow = {m.strip() for m in response.headers["Allow"].split(",")}
        assert allowed <= allow and not ({"PUT", "DELETE", "PATCH"} - allowed) & allow
        [err] = response.get_json()["errors"]
        assert err["code"] == "method_not_allowed"
        assert method in err["message"] and sorted(allowed)[0] in err["message"]
    page = client.delete("/login")  # outside /api/ Werkzeug's own answer stands
    assert page.status_code == 405 and not page.is_json


def test_an_http_error_inside_an_api_call_is_json(app, client, api_token):
    response = api_post(client, api_token, [(pdf_bytes(), "a.pdf")], title="Motion\x00")
    assert response.status_code == 400 and response.is_json
    assert row_count(app, Filing) == 0
    assert "NUL" in response.get_json()["errors"][0]["message"]


def test_riders_are_passed_on_and_refused_without_an_e28(app, client, make_attorney):
    user = make_attorney(a_numbers=("012345678", "087654321"))
    with app.app_context():
        token = create_token(db.session.get(User, user.id), "tests")
    refused = api_post(
        client, token, [(pdf_bytes(), "a.pdf")], rider_a_numbers=["A087654321", "A099999999"]
    )
    assert refused.status_code == 422
    fields = {(e["code"], e["field"]) for e in refused.get_json()["errors"]}
    assert fields == {("no_e28_on_record", "rider_a_numbers")}
    served = api_post(client, token, [(pdf_bytes(), "a.pdf")], rider_a_numbers=["A087654321"])
    assert served.status_code == 201, served.get_json()
    [item] = client.get("/api/v1/filings", headers=_auth(token)).get_json()["filings"]
    assert item["rider_a_numbers"] == ["087654321"] and item["corrects"] is None


def test_corrects_is_passed_on_and_refused_for_an_unknown_set(app, client, api_token):
    unknown = api_post(client, api_token, [(pdf_bytes(), "a.pdf")], corrects="no-such-set")
    assert unknown.status_code == 422
    assert {e["field"] for e in unknown.get_json()["errors"]} == {"corrects"}
    first = api_post(client, api_token, [(pdf_with_javascript(), "bad.pdf")]).get_json()
    assert first["status"] == "refused"  # by the checks: not served, so it may be corrected
    fixed = api_post(client, api_token, [(pdf_bytes(), "good.pdf")], corrects=first["id"])
    assert fixed.status_code == 201, fixed.get_json()
    feed = client.get("/api/v1/filings", headers=_auth(api_token)).get_json()["filings"]
    by_id = {f["id"]: f for f in feed}
    assert by_id[fixed.get_json()["id"]]["corrects"] == first["receipt_number"]


def test_a_multipart_body_without_files_is_still_read(client, api_token):
    # multipart with no files gets the intake's answer (422), not 415
    form = multipart({"office": "ATL", "files": [(io.BytesIO(b""), "")]})
    response = client.post("/api/v1/checks", **form, headers=_auth(api_token))
    assert response.status_code == 422
