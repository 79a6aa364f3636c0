"""Every call of API v1 as OpenAPI 3.1 ``paths`` (relative to the server ``/api/v1``), with the
answers each can give; the bodies are in filings/openapi_schemas.py."""

from __future__ import annotations

from typing import Any

from filings.api_sync import DEFAULT_LIMIT, MAX_LIMIT
from filings.openapi_responses import AUTHED, errors, file_answer, json_answer
from filings.openapi_schemas import ref

Operation = dict[str, Any]

PUBLIC: list[dict[str, list[str]]] = []  # an operation's ``security`` when no token is needed


def _path_id(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


FILING_ID = _path_id("filing_id", "A filing's id (from its acknowledgement or the feed).")

FEED_PARAMETERS = [
    {
        "name": "updated_since",
        "in": "query",
        "description": "List filings changed at or after this time: ISO 8601 with an offset "
        "(Z or ±hh:mm; encode + as %2B); a time without one is refused with 400.",
        "schema": {"type": "string", "format": "date-time"},
    },
    {
        "name": "cursor",
        "in": "query",
        "description": "The next_cursor of an earlier answer, as it was. A cursor changed, cut "
        "short or given to another account is refused with 400.",
        "schema": {"type": "string", "maxLength": 1000},
    },
    {
        "name": "limit",
        "in": "query",
        "description": f"Filings per page (default {DEFAULT_LIMIT}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    },
]

FEED_DESCRIPTION = """Every filing of the token's attorney, in the order their rows last changed
(updated_at, then id), `limit` at a time. For a daily reconciliation: call with `updated_since`
(or nothing, for everything), follow `next_cursor` while `has_more` is true, keep the last
`next_cursor` and start from it next time. Every filing created or changed after the point you
started from is then listed again, in its state at the time of listing; a filing may be listed
twice (upsert by `id`), never skipped: each answer lists what is committed, but a cursor never
resumes past a time before which a still-open transaction could commit a change (on PostgreSQL
the oldest open writing transaction, less 5 s; on SQLite 60 s before now)."""


def _op(operation_id: str, summary: str, responses: dict[str, Any], **more: Any) -> Operation:
    return {"operationId": operation_id, "summary": summary, "responses": responses, **more}


def _multipart(schema: str, fields: str) -> dict[str, Any]:
    return {
        "required": True,
        "description": f"multipart/form-data: {fields}. Any other body gets 415.",
        "content": {
            "multipart/form-data": {
                "schema": ref(schema),
                "encoding": {"files": {"contentType": "application/pdf"}},
            }
        },
    }


PATHS: dict[str, dict[str, Operation]] = {
    "/filings": {
        "post": _op(
            "createFiling",
            "Serve a document set on an OCC office",
            {
                "201": json_answer(
                    "Received: the acknowledgement.", "Acknowledgement", Location="The filing."
                ),
                "200": json_answer(
                    "A repeated Idempotency-Key: the first acknowledgement.",
                    "Acknowledgement",
                    **{"Idempotent-Replayed": "true"},
                ),
                **errors(400, 403, 409, 413, 415, 422, 503, *AUTHED),
            },
            parameters=[
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "description": "Retries with the same key return the first acknowledgement.",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 100},
                }
            ],
            requestBody=_multipart("NewFiling", "the set's fields and one or more PDF `files`"),
        ),
        "get": _op(
            "listFilings",
            "The reconciliation feed of your filings",
            {"200": json_answer("A page of the feed.", "FilingFeed"), **errors(400, *AUTHED)},
            description=FEED_DESCRIPTION,
            parameters=FEED_PARAMETERS,
        ),
    },
    "/filings/{filing_id}": {
        "get": _op(
            "getFiling",
            "A filing's acknowledgement, in its state now",
            {"200": json_answer("The filing.", "Acknowledgement"), **errors(400, 404, *AUTHED)},
            parameters=[FILING_ID],
        )
    },
    "/filings/{filing_id}/receipt.jws": {
        "get": _op(
            "getSignedReceipt",
            "The filing's signed receipt (JWS, EdDSA)",
            {
                "200": file_answer("The signed receipt.", "application/jose", ref("CompactJws")),
                **errors(400, 404, *AUTHED),
            },
            parameters=[FILING_ID],
        )
    },
    "/filings/{filing_id}/receipt.tsr": {
        "get": _op(
            "getReceiptTimestamp",
            "The RFC 3161 time-stamp over the signed receipt's JWS bytes",
            {
                "200": file_answer(
                    "The time-stamp response (with ESERVICE_TSA_URL set).",
                    "application/timestamp-reply",
                    {"type": "string", "contentMediaType": "application/timestamp-reply"},
                ),
                **errors(400, 404, *AUTHED),
            },
            description="404 while the receipt is not time-stamped yet, or never is here.",
            parameters=[FILING_ID],
        )
    },
    "/filings/{filing_id}/receipt.pdf": {
        "get": _op(
            "getNoticeOfService",
            "The Notice of Service PDF",
            {
                "200": file_answer(
                    "The notice.",
                    "application/pdf",
                    {"type": "string", "contentMediaType": "application/pdf"},
                ),
                **errors(400, 404, *AUTHED),
            },
            parameters=[FILING_ID],
        )
    },
    "/checks": {
        "post": _op(
            "createCheck",
            "Check files before serving them",
            {
                "202": json_answer(
                    "Taken: the report is at Location once done.", "Check", Location="The check."
                ),
                **errors(400, 403, 413, 415, 422, 503, *AUTHED),
            },
            requestBody=_multipart("NewCheck", "one or more PDF `files`"),
        )
    },
    "/checks/{check_id}": {
        "get": _op(
            "getCheck",
            "A check's report (status pending until done)",
            {"200": json_answer("The check.", "Check"), **errors(400, 404, *AUTHED)},
            parameters=[_path_id("check_id", "From the Location of POST /checks.")],
        )
    },
    "/me": {
        "get": _op(
            "getMe",
            "The token's attorney",
            {"200": json_answer("The attorney.", "Me"), **errors(*AUTHED)},
        )
    },
    "/offices": {
        "get": _op(
            "listOffices",
            "The OCC offices and their codes",
            {"200": json_answer("The offices.", "OfficeList"), **errors(*AUTHED)},
        )
    },
    "/document-types": {
        "get": _op(
            "listDocumentTypes",
            "The document types and their codes",
            {"200": json_answer("The types.", "DocumentTypeList"), **errors(*AUTHED)},
        )
    },
    "/receipts/verify": {
        "post": _op(
            "verifyReceipt",
            "Were these bytes served under this receipt? (no token)",
            {
                "200": json_answer("The answer.", "VerifyResult"),
                **errors(400, 413, 415, 429),
            },
            security=PUBLIC,
            requestBody={
                "required": True,
                "content": {"application/json": {"schema": ref("VerifyRequest")}},
            },
        )
    },
    "/served-on-me": {
        "get": _op(
            "listServedOnMe",
            "Document sets OCC served on you",
            {"200": json_answer("The sets.", "ServedOnMeList"), **errors(*AUTHED)},
        )
    },
    "/served-on-me/{service_id}": {
        "get": _op(
            "getServedOnMe",
            "One set OCC served on you",
            {"200": json_answer("The set.", "ServedOnMe"), **errors(400, 404, *AUTHED)},
            parameters=[_path_id("service_id", "From GET /served-on-me.")],
        )
    },
    "/served-on-me/{service_id}/documents/{document_id}": {
        "get": _op(
            "getServedDocument",
            "Download a document OCC served on you (your first download is recorded)",
            {
                "200": file_answer(
                    "The document.",
                    "application/pdf",
                    {"type": "string", "contentMediaType": "application/pdf"},
                ),
                **errors(400, 404, *AUTHED),
            },
            parameters=[
                _path_id("service_id", "From GET /served-on-me."),
                _path_id("document_id", "A document's id in that set."),
            ],
        )
    },
    "/openapi.json": {
        "get": _op(
            "getOpenApi",
            "This description (no token)",
            {"200": json_answer("OpenAPI 3.1.", "OpenApiDocument")},
            security=PUBLIC,
        )
    },
}
