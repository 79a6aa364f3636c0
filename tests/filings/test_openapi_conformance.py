"""The OpenAPI description checked against the real answers: schemathesis sends generated and
known-good requests to the app served on 127.0.0.1 (the demo data, a verified attorney's token)
and checks every answer's status, content type, headers and body against the description."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import db
from app.users import user_by_email
from filings.api_openapi import document
from filings.tokens import create_token
from tests.e2e.server import serving
from tests.pdfs import pdf_bytes

DEMO_ATTORNEY = "attorney@demo.eservice.localhost"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Generated requests per call and mode: bounded, the suite is long; the same every run.
EXAMPLES = 6


@pytest.fixture
def live_api(app):
    """(base URL of API v1 on a real server, the demo attorney's token, known ids)."""
    seeded = app.test_cli_runner().invoke(args=["seed-demo", "--with-filings"])
    assert seeded.exit_code == 0, seeded.output
    with app.app_context():
        token = create_token(user_by_email(DEMO_ATTORNEY), "conformance")
        db.session.commit()
    with serving(app) as port:
        base = f"http://127.0.0.1:{port}/api/v1"
        yield base, token, _known(base, token)


def _known(base: str, token: str) -> dict[str, Any]:
    """Ids of things the attorney has: filings in several states, a check, served sets."""
    auth = {"Authorization": f"Bearer {token}"}
    filings = requests.get(f"{base}/filings?limit=200", headers=auth, timeout=30).json()
    by_status: dict[str, dict[str, Any]] = {}
    for item in filings["filings"]:
        by_status.setdefault(item["status"], item)
    content = pdf_bytes(2)
    check = requests.post(
        f"{base}/checks",
        files=[("files", ("brief.pdf", content, "application/pdf"))],
        headers=auth,
        timeout=60,
    )
    assert check.status_code == 202, check.text
    served = requests.get(f"{base}/served-on-me", headers=auth, timeout=30).json()
    return {
        "filings": list(by_status.values()),
        "check": check.json()["id"],
        "served_on_me": served["served_on_me"],
    }


def _call(case, base, token, failures, label):
    try:
        case.call_and_validate(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
        )
    except Exception as exc:  # every failing call is reported, not only the first
        failures.append(f"{label}: {type(exc).__name__}: {exc}"[:3000])


def _fuzz(operation, base, token, failures, mode, **pinned):
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, **pinned))
    def run(case):
        _call(case, base, token, failures, f"{operation.label} ({mode.value})")

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid: a call without parameters or body
        assert mode == GenerationMode.NEGATIVE, operation.label


def test_the_answers_conform_to_the_description(live_api):
    base, token, known = live_api
    schema = schemathesis.openapi.from_dict(document())
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, base, token, failures, mode)
    # Known-good requests, so that the bodies of successful answers are checked too.
    for item in known["filings"]:
        for path in ("", "/receipt.jws", "/receipt.pdf", "/receipt.tsr"):
            operation = schema[f"/filings/{{filing_id}}{path}"]["GET"]
            case = operation.Case(path_parameters={"filing_id": item["id"]})
            _call(case, base, token, failures, f"{operation.label} {item['status']}")
    operation = schema["/checks/{check_id}"]["GET"]
    _call(
        operation.Case(path_parameters={"check_id": known["check"]}), base, token, failures, "check"
    )
    _fuzz(
        schema["/filings/{filing_id}"]["GET"],
        base,
        token,
        failures,
        GenerationMode.POSITIVE,
        path_parameters={"filing_id": known["filings"][0]["id"]},
    )
    for served in known["served_on_me"]:
        ids = {"service_id": served["id"]}
        _call(
            schema["/served-on-me/{service_id}"]["GET"].Case(path_parameters=ids),
            base,
            token,
            failures,
            "served",
        )
        for doc in served["documents"]:
            operation = schema["/served-on-me/{service_id}/documents/{document_id}"]["GET"]
            case = operation.Case(path_parameters={**ids, "document_id": doc["id"]})
            _call(case, base, token, failures, "served document")
    verify = schema["/receipts/verify"]["POST"]
    receipt = known["filings"][0]["receipt_number"]
    for body in (
        {"receipt_number": receipt, "sha256": hashlib.sha256(b"not served").hexdigest()},
        {"receipt_number": "ES-ATL-20261123-7KQ4-M2XD", "sha256": "0" * 64},
    ):
        _call(
            verify.Case(body=body, media_type="application/json"), base, token, failures, "verify"
        )
    assert not failures, "\n\n".join(failures)
    assert known["filings"] and {f["status"] for f in known["filings"]} >= {"served", "refused"}
