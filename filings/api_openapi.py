"""``GET /api/v1/openapi.json``: the API's OpenAPI 3.1 description, without a token (it says
nothing private). The paths are in filings/openapi_paths.py, the bodies in
filings/openapi_schemas.py; a test holds it to the app's routes and real answers."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from filings.api import bp, public
from filings.openapi_paths import PATHS
from filings.openapi_responses import RESPONSES
from filings.openapi_schemas import SCHEMAS

DESCRIPTION = """For case-management software: serve document sets on OCC offices, follow
their state, check files first, fetch signed receipts and the Notice of Service, and download
what OCC served on you. Send `Authorization: Bearer <token>` (API tokens page, or
`flask tokens create`) on every call but the two marked otherwise. Every error under /api/,
unknown addresses included, is JSON: `{"errors": [{"code", "message", "file", "field"}]}`.
Every answer is `Cache-Control: no-store`. Public keys of signed receipts:
`/.well-known/jwks.json`."""


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document, as data."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "OCC eService API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (esv_...).",
                }
            },
            "schemas": SCHEMAS,
            "responses": RESPONSES,
        },
    }


@bp.get("/openapi.json")
@public
def openapi() -> Any:
    return jsonify(document())
