"""Shared steps of the OCC-serves-attorneys tests (no tests here): the attorneys of record, the
staff member's two steps (look up, then serve) through HTTP, and reading back the set."""

from __future__ import annotations

import io
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from app import db
from filings.occ_service_models import OccService
from registration.models import RegistrationState
from tests.helpers import create_attorney, csrf_token, login, multipart

A_NUMBER = "012345678"
TYPED = "A012-345-678"
OTHER_A_NUMBER = "087654321"

_HIDDEN = re.compile(r'name="(attorneys|submission_id)" type="hidden" value="([^"]*)"')


def attorneys(app: Flask) -> dict[str, Any]:
    """Two verified attorneys of record for A_NUMBER (one by EOIR ID, one by bar admission),
    an unverified one named by an E-28 for it, and a verified one of another A-Number."""
    with app.app_context():
        return {
            "eoir": create_attorney("lee@firm.example", eoir_id="LW123456"),
            "bar": create_attorney(
                "bo@bar.example",
                eoir_id=None,
                bar_state="NY",
                bar_number="7654321",
                full_name="Bo Barrister",
            ),
            "unverified": create_attorney(
                "new@firm.example",
                eoir_id="NW111111",
                state=RegistrationState.PENDING_REVIEW,
                full_name="Nell Newcomer",
            ),
            "other": create_attorney(
                "other@firm.example",
                eoir_id="OT222222",
                a_numbers=(OTHER_A_NUMBER,),
                full_name="Oona Other",
            ),
        }


def logged_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = login(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def look_up(client: FlaskClient, a_number: str = TYPED) -> TestResponse:
    """Step one: the A-Number; the answer lists whom the set would be served on."""
    token = csrf_token(client, "/staff/serve")
    return client.post(
        "/staff/serve", data={"csrf_token": token, "a_number": a_number, "action": "lookup"}
    )


def serve(
    client: FlaskClient,
    files: list[tuple[bytes, str]],
    a_number: str = TYPED,
    **fields: Any,
) -> TestResponse:
    """Both steps, as a browser does: look up, then send the second form with the documents."""
    page = look_up(client, a_number)
    text = page.get_data(as_text=True)
    hidden = dict(_HIDDEN.findall(text))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
    assert token, text[:500]
    data: dict[str, Any] = {
        "csrf_token": token.group(1),
        "a_number": a_number,
        "attorneys": hidden.get("attorneys", ""),
        "submission_id": hidden.get("submission_id", ""),
        "document_type": "motion",
        "title": "DHS motion to pretermit",
        "action": "serve",
        **fields,
        "files": [(io.BytesIO(content), name) for content, name in files],
    }
    return client.post("/staff/serve", **multipart(data))


def only_service(app: Flask) -> OccService:
    with app.app_context():
        services = list(db.session.scalars(select(OccService)))
        assert len(services) == 1, services
        service = services[0]
        _ = service.documents, service.recipients, service.office
        return service
