"""The OpenAPI description at /api/v1/openapi.json: valid OpenAPI 3.1, served without a token,
and describing exactly the app's API routes (no more, no fewer)."""

from __future__ import annotations

import re

import schemathesis

from filings.api import PUBLIC_ENDPOINTS

PREFIX = "/api/v1"
# The calls the description must hold whatever else is added (issue: proof and service).
EXPECTED = {
    ("POST", "/filings"),
    ("GET", "/filings"),
    ("GET", "/filings/{filing_id}"),
    ("GET", "/filings/{filing_id}/receipt.jws"),
    ("GET", "/filings/{filing_id}/receipt.pdf"),
    ("POST", "/checks"),
    ("GET", "/checks/{check_id}"),
    ("GET", "/me"),
    ("GET", "/offices"),
    ("GET", "/document-types"),
    ("POST", "/receipts/verify"),
    ("GET", "/served-on-me"),
    ("GET", "/served-on-me/{service_id}/documents/{document_id}"),
    ("GET", "/openapi.json"),
}
METHODS = {"get", "post", "put", "patch", "delete"}


def _document(client):
    response = client.get(f"{PREFIX}/openapi.json")  # no token
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def _routes(app):
    """(method, path as OpenAPI writes it) -> endpoint, for every API rule of the app."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(f"{PREFIX}/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(PREFIX) :])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes[(method, path)] = rule.endpoint
    return routes


def _described(document):
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_the_description_is_valid_openapi_3_1_without_a_token(client):
    document = _document(client)
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": PREFIX}]
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token (esv_...).",
    }
    schemathesis.openapi.from_dict(document).validate()  # raises on an invalid document


def test_every_api_route_is_described_and_every_described_path_exists(app, client):
    routes, described = _routes(app), _described(_document(client))
    missing = sorted(set(routes) - set(described))
    assert not missing, f"API routes the OpenAPI description lacks: {missing}"
    no_route = sorted(set(described) - set(routes))
    assert not no_route, f"described in OpenAPI, but the app has no such route: {no_route}"
    assert set(described) >= EXPECTED, sorted(EXPECTED - set(described))


def test_the_calls_without_a_token_are_exactly_the_public_ones(app, client):
    routes, described = _routes(app), _described(_document(client))
    for key, operation in described.items():
        public = operation.get("security") == []
        assert public == (routes[key] in PUBLIC_ENDPOINTS), key
        if not public:
            assert {"401", "429"} <= set(operation["responses"]), key


def test_every_reference_resolves_and_every_error_is_the_error_list(client):
    document = _document(client)
    text = str(document)
    for kind, name in re.findall(r"#/components/(schemas|responses)/([\w.-]+)", text):
        assert name in document["components"][kind], f"{kind}/{name}"
    for key, operation in _described(document).items():
        assert operation["operationId"] and operation["summary"], key
        for status, answer in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert answer["$ref"] == f"#/components/responses/{status}", (key, status)
    for status, answer in document["components"]["responses"].items():
        schema = answer["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorList"}, status


def test_described_calls_refuse_a_missing_or_wrong_token(app, client):
    for (method, path), operation in _described(_document(client)).items():
        url = PREFIX + re.sub(r"\{[^}]+\}", "x", path)
        for headers in ({}, {"Authorization": "Bearer esv_wrong"}):
            response = client.open(url, method=method, headers=headers)
            if operation.get("security") == []:
                assert response.status_code != 401, (method, path)
            else:
                assert response.status_code == 401, (method, path, headers)
                assert response.headers["WWW-Authenticate"].startswith("Bearer")
