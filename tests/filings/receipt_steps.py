"""Steps shared by the signed-receipt tests: a served set through the API, its JWS, the JWKS."""

from __future__ import annotations

import base64
import json
from typing import Any

from flask.testing import FlaskClient

from tests.helpers import api_post
from tests.pdfs import pdf_bytes


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def served_set(client: FlaskClient, token: str, *contents: bytes) -> dict[str, Any]:
    """Serve a set through the API (checks run inline) and return its acknowledgement."""
    files = [(c, f"doc-{i}.pdf") for i, c in enumerate(contents or (pdf_bytes(pages=2),), 1)]
    response = api_post(client, token, files, title="Motion to continue")
    assert response.status_code == 201, response.get_data(as_text=True)
    ack = response.get_json()
    assert ack["status"] == "served"
    return ack


def receipt_jws(client: FlaskClient, token: str, filing_id: str) -> str:
    response = client.get(f"/api/v1/filings/{filing_id}/receipt.jws", headers=auth(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/jose"
    return response.get_data(as_text=True)


def parts(jws: str) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """(header, payload, signature) of a compact JWS, unchecked."""
    head, body, sig = jws.split(".")
    return _json(head), _json(body), _b64(sig)


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _json(part: str) -> dict[str, Any]:
    return json.loads(_b64(part))


def encode(obj: dict[str, Any]) -> str:
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def with_payload(jws: str, payload: dict[str, Any]) -> str:
    """The JWS with its payload replaced and the old signature kept: a forgery."""
    head, _, sig = jws.split(".")
    return f"{head}.{encode(payload)}.{sig}"
