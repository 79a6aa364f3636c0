"""Signed receipts: a JWS (EdDSA, Ed25519, kid) per state of a served set, the public keys as a
JWKS, key rotation that keeps old receipts checkable, and the private key kept in files only."""

from __future__ import annotations

import hashlib
import json
import stat

from sqlalchemy import select

from app import db
from filings import receipt_keys, receipt_signing
from filings.models import Filing
from filings.signed_receipt_models import SignedReceipt
from tests.filings.receipt_steps import auth, parts, receipt_jws, served_set
from tests.helpers import api_post
from tests.pdfs import pdf_bytes, pdf_with_javascript


def test_a_served_set_has_a_jws_receipt_the_public_keys_check(app, client, api_token):
    content = pdf_bytes(pages=3)
    ack = served_set(client, api_token, content)
    jws = receipt_jws(client, api_token, ack["id"])
    header, payload, signature = parts(jws)
    assert header["alg"] == "EdDSA" and header["kid"] and len(signature) == 64
    assert payload["typ"] == "occ-eservice-receipt/1"
    assert payload["receipt_number"] == ack["receipt_number"]
    assert payload["office"]["code"] == "ATL" and payload["status"] == "served"
    assert payload["received_at"] == ack["received_at"]
    assert payload["a_numbers"] == ["012345678"]
    assert payload["documents"] == [
        {
            "filename": "doc-1.pdf",
            "pages": 3,
            "bytes": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "document_type": "motion",
        }
    ]

    keys = client.get("/.well-known/jwks.json")  # no login, no token
    assert keys.status_code == 200 and keys.mimetype == "application/jwk-set+json"
    jwks = keys.get_json()
    assert [k["kid"] for k in jwks["keys"]] == [header["kid"]]
    assert all("d" not in k and k["crv"] == "Ed25519" for k in jwks["keys"])
    assert receipt_signing.verify(jws, jwks)["receipt_number"] == ack["receipt_number"]


def test_the_same_state_gives_the_same_receipt_and_a_new_state_a_new_one(
    app, client, api_token, make_staff
):
    ack = served_set(client, api_token)
    first = receipt_jws(client, api_token, ack["id"])
    assert receipt_jws(client, api_token, ack["id"]) == first
    with app.app_context():
        db.session.execute(
            Filing.__table__.update()
            .where(Filing.id == ack["id"])
            .values(status="accepted", decided_at=db.utcnow())
        )
        db.session.commit()
    second = receipt_jws(client, api_token, ack["id"])
    assert second != first and parts(second)[1]["status"] == "accepted"
    with app.app_context():
        rows = db.session.scalars(select(SignedReceipt).order_by(SignedReceipt.id)).all()
        assert [r.claims["status"] for r in rows] == ["served", "accepted"]
        assert all(r.filing_id == ack["id"] for r in rows)


def test_a_receipt_is_only_for_its_attorney(app, client, api_token, make_attorney):
    ack = served_set(client, api_token)
    other = make_attorney("other@firm.example", eoir_id="ZZ999999")
    with app.app_context():
        from filings.tokens import create_token

        other_token = create_token(db.session.get(type(other), other.id), "tests")
    response = client.get(f"/api/v1/filings/{ack['id']}/receipt.jws", headers=auth(other_token))
    assert response.status_code == 404 and response.get_json()["errors"][0]["code"] == "not_found"
    assert client.get(f"/api/v1/filings/{ack['id']}/receipt.jws").status_code == 401
    assert client.get("/filings/nope/receipt.jws").status_code in (302, 401)


def test_the_private_key_is_a_0600_file_and_never_in_the_database(app, client, api_token):
    ack = served_set(client, api_token)
    receipt_jws(client, api_token, ack["id"])
    with app.app_context():
        base = receipt_keys.keys_dir()
        kid = (base / "current").read_text().strip()
        private = base / "private" / f"{kid}.jwk"
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
        assert stat.S_IMODE((base / "private").stat().st_mode) == 0o700
        secret = json.loads(private.read_text())["d"]
        row = db.session.scalars(select(SignedReceipt)).one()
        assert secret not in json.dumps(row.claims) and secret not in row.jws
        dump = "\n".join(str(r) for r in db.session.execute(select(SignedReceipt.__table__)))
        assert secret not in dump


def test_rotation_retires_the_old_key_and_old_receipts_still_check(app, client, api_token):
    first = served_set(client, api_token)
    old_jws = receipt_jws(client, api_token, first["id"])
    old_kid = parts(old_jws)[0]["kid"]

    out = app.test_cli_runner().invoke(args=["receipts", "rotate-key"])
    assert out.exit_code == 0, out.output
    assert f"Key {old_kid} is retired" in out.output

    second = served_set(client, api_token, pdf_bytes(pages=5))
    new_jws = receipt_jws(client, api_token, second["id"])
    new_kid = parts(new_jws)[0]["kid"]
    assert new_kid != old_kid
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert [k["kid"] for k in jwks["keys"]] == [new_kid, old_kid]  # current first
    for token in (old_jws, new_jws):
        receipt_signing.verify(token, jwks)
    with app.app_context():
        base = receipt_keys.keys_dir()
        assert not (base / "private" / f"{old_kid}.jwk").exists()  # it can sign no more
        assert (base / "public" / f"{old_kid}.jwk").exists()
    listed = app.test_cli_runner().invoke(args=["receipts", "keys"]).output
    assert f"{new_kid}  current  private key here" in listed
    assert f"{old_kid}  retired  public key only" in listed
    with app.app_context():
        from app.audit import AuditEvent

        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "receipts.key_rotated")
        ).all()
        assert len(events) == 1


def test_production_without_a_key_refuses_to_sign_and_says_how_to_make_one(app):
    from dataclasses import replace

    import pytest

    with app.app_context():
        settings = app.config["ESERVICE"]
        app.config["ESERVICE"] = replace(settings, env="production")
        try:
            with pytest.raises(receipt_keys.KeysMissing, match="receipts rotate-key"):
                receipt_keys.signing_key()
        finally:
            app.config["ESERVICE"] = settings


def test_the_outcome_of_the_checks_is_signed_when_it_is_reached(app, client, api_token):
    """Not only when asked: the receipt of the outcome exists (and, with an authority, is
    time-stamped) as the checks decide, refused sets included."""
    ack = served_set(client, api_token)
    refused = api_post(client, api_token, [(pdf_with_javascript(), "js.pdf")]).get_json()
    assert refused["status"] == "refused"
    with app.app_context():
        rows = {
            r.receipt_number: r.claims["status"] for r in db.session.scalars(select(SignedReceipt))
        }
    assert rows == {ack["receipt_number"]: "served", refused["receipt_number"]: "refused"}


def test_without_a_signing_key_an_outcome_still_stands(app, client, api_token, tmp_path):
    """A production site where no key was made yet still serves; the receipt is signed when
    first asked for once a key exists."""
    from dataclasses import replace

    settings = app.config["ESERVICE"]
    app.config["ESERVICE"] = replace(settings, env="production")
    try:
        ack = served_set(client, api_token)  # served, though nothing could be signed
        with app.app_context():
            assert db.session.scalars(select(SignedReceipt)).all() == []
    finally:
        app.config["ESERVICE"] = settings
    assert parts(receipt_jws(client, api_token, ack["id"]))[1]["status"] == "served"
