"""POST /api/v1/receipts/verify: anyone, without a token, learns whether a SHA-256 was served
under a receipt (the office and the time), or a no that is the same for every other case."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date

import pytest

from filings import receipt_signing
from tests.filings.test_verify_steps import (
    TITLE,
    serve_set,
    set_state,
    signed_receipt,
    with_verify_page,
)
from tests.helpers import csrf_token
from tests.pdfs import pdf_bytes, pdf_with_javascript

URL = "/api/v1/receipts/verify"


@pytest.fixture
def app(app):
    return with_verify_page(app)  # the page shares the API's throttle


@pytest.fixture
def served(app, attorney_client):
    return serve_set(app, attorney_client, pdf_bytes(pages=2))


def _check(client, **body):
    return client.post(URL, json=body)


def test_the_served_document_matches_with_office_and_times_only(client, served):
    response = _check(client, receipt_number=served.receipt_number, sha256=served.sha256)
    assert response.status_code == 200
    assert response.get_json() == {
        "match": True,
        "receipt_number": served.receipt_number,
        "direction": "to_occ",
        "office": {"code": "ATL", "name": "OCC Atlanta"},
        "served_at": "2026-11-23T15:04:05Z",
        "served_at_local": "2026-11-23T10:04:05-05:00",
    }
    text = response.get_data(as_text=True)
    for private in ("012345678", "012-345-678", "Lee Lawyer", TITLE, "Motion.pdf", "LW123456"):
        assert private not in text
    assert response.headers["Cache-Control"] == "no-store"


def test_a_wrong_file_and_an_unknown_receipt_get_the_same_no(client, served):
    wrong = _check(client, receipt_number=served.receipt_number, sha256="ab" * 32)
    unknown = _check(client, receipt_number="ES-ATL-20261123-AAAA-BBBB", sha256=served.sha256)
    other_office = _check(
        client, receipt_number=served.receipt_number.replace("ATL", "NYC"), sha256=served.sha256
    )
    for response in (wrong, unknown, other_office):
        assert response.status_code == 200
        assert response.get_data() == b'{"match":false}\n'


def test_case_and_spaces_of_the_receipt_and_hash_do_not_matter(client, served):
    response = _check(
        client, receipt_number=f"  {served.receipt_number.lower()} ", sha256=served.sha256.upper()
    )
    assert response.get_json()["match"] is True


def test_a_refused_set_is_not_served(app, client, attorney_client):
    refused = serve_set(app, attorney_client, pdf_with_javascript(), "Script.pdf")
    response = _check(client, receipt_number=refused.receipt_number, sha256=refused.sha256)
    assert response.get_json() == {"match": False}


@pytest.mark.parametrize(
    ("status", "passed", "match"),
    [
        ("held", False, False),
        ("received", False, False),
        ("refused", False, False),
        ("accepted", True, True),
        ("rejected", True, True),
    ],
)
def test_only_sets_that_passed_the_checks_match(app, client, served, status, passed, match):
    set_state(app, served.id, status, passed)
    response = _check(client, receipt_number=served.receipt_number, sha256=served.sha256)
    assert response.get_json()["match"] is match


def _errors(response):
    assert response.status_code == 400, response.get_data(as_text=True)
    return {e["field"]: e["message"] for e in response.get_json()["errors"]}


def test_bad_and_missing_fields_are_named(client, served):
    assert set(_errors(_check(client, receipt_number=served.receipt_number))) == {"sha256"}
    assert set(_errors(_check(client, sha256=served.sha256))) == {"receipt_number"}
    assert set(_errors(_check(client))) == {"sha256", "receipt_number"}
    bad_hash = _errors(_check(client, receipt_number=served.receipt_number, sha256="xyz"))
    assert "64 hexadecimal digits" in bad_hash["sha256"]
    short = _check(client, receipt_number=served.receipt_number, sha256=served.sha256[:63])
    assert set(_errors(short)) == {"sha256"}
    not_text = _check(client, receipt_number=served.receipt_number, sha256=123)
    assert set(_errors(not_text)) == {"sha256"}
    bad_number = _errors(_check(client, receipt_number="ES-ATL-2026", sha256=served.sha256))
    assert "ES-ATL-20261123-7KQ4-M2XD" in bad_number["receipt_number"]
    both = _check(client, receipt_number=served.receipt_number, jws="a.b.c", sha256=served.sha256)
    assert set(_errors(both)) == {"jws"}
    assert set(_errors(_check(client, jws="  ", sha256=served.sha256))) == {"jws"}


def test_bodies_that_are_not_a_json_object_are_refused(client, served):
    form = client.post(URL, data={"receipt_number": served.receipt_number, "sha256": served.sha256})
    assert form.status_code == 415
    assert form.get_json()["errors"][0]["code"] == "unsupported_media_type"
    broken = client.post(URL, data="{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.get_json()["errors"][0]["code"] == "invalid_json"
    array = client.post(URL, json=[served.receipt_number, served.sha256])
    assert array.status_code == 400 and array.get_json()["errors"][0]["code"] == "invalid_json"
    huge = client.post(URL, data=b"{" + b" " * 70_000 + b"}", content_type="application/json")
    assert huge.status_code == 413


def test_a_token_is_not_needed_and_a_wrong_one_changes_nothing(client, served):
    body = {"receipt_number": served.receipt_number, "sha256": served.sha256}
    response = client.post(URL, json=body, headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 200 and response.get_json()["match"] is True


# --- signed receipts (JWS) ------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_a_valid_signed_receipt_is_checked_like_its_number(app, client, served):
    token = signed_receipt(app, served.id)
    response = _check(client, jws=token, sha256=served.sha256)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["match"] is True and answer["receipt_number"] == served.receipt_number
    assert answer["listed_in_signed_receipt"] is True
    other = _check(client, jws=f"\n{token[:40]}\n{token[40:]}\n", sha256="cd" * 32)  # wrapped
    assert other.get_json() == {"match": False, "listed_in_signed_receipt": False}


def test_a_valid_signed_receipt_of_a_set_refused_since_does_not_match(app, client, served):
    token = signed_receipt(app, served.id)
    set_state(app, served.id, "refused", False)
    answer = _check(client, jws=token, sha256=served.sha256).get_json()
    assert answer == {"match": False, "listed_in_signed_receipt": True}


def _refusal(response):
    errors = _errors(response)
    assert set(errors) == {"jws"}
    return errors["jws"]


def test_altered_and_foreign_receipts_are_refused_saying_why(app, client, served):
    token = signed_receipt(app, served.id)
    header, payload, signature = token.split(".")
    claims = json.loads(_unb64(payload))
    claims["documents"][0]["sha256"] = "ef" * 32
    altered = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    message = _refusal(_check(client, jws=altered, sha256="ef" * 32))
    assert message == "This is not a valid receipt signed by OCC eService (altered)."

    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    tampered = f"{header}.{payload}.{flipped}"
    assert "(altered)" in _refusal(_check(client, jws=tampered, sha256=served.sha256))

    foreign = receipt_signing.sign(claims, receipt_signing.new_key(date(2026, 1, 1)))
    assert "(unknown key)" in _refusal(_check(client, jws=foreign, sha256=served.sha256))

    assert "(not a receipt)" in _refusal(_check(client, jws="a.b.c", sha256=served.sha256))
    digest = hashlib.sha256(b"x").hexdigest()
    assert "(not a receipt)" in _refusal(_check(client, jws="no dots", sha256=digest))


# --- throttle -------------------------------------------------------------------------------


def test_checks_are_throttled_per_address_with_the_page_sharing_the_count(app, client, served):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    body = {"receipt_number": served.receipt_number, "sha256": served.sha256}
    token = csrf_token(client, "/verify")  # a GET: not counted
    assert client.post(URL, json=body).status_code == 200
    assert client.post(URL, json={"sha256": "bad"}).status_code == 400  # counted too
    page = client.post("/verify", data={"csrf_token": token, "receipt": served.receipt_number})
    assert page.status_code == 422  # the third, from the page
    over = client.post(URL, json=body)
    assert over.status_code == 429
    assert 0 < int(over.headers["Retry-After"]) <= 60
    error = over.get_json()["errors"][0]
    assert error["code"] == "too_many_requests" and "Too many receipt checks" in error["message"]
    page = client.post("/verify", data={"csrf_token": token, "receipt": served.receipt_number})
    assert page.status_code == 429 and 0 < int(page.headers["Retry-After"]) <= 60
    assert "Too many checks from this address" in page.get_data(as_text=True)
    # another address has its own count
    other = client.post(URL, json=body, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200 and other.get_json()["match"] is True
