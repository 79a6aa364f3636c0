"""The answers of API v1 in OpenAPI 3.1: the shared error answers (``components/responses``,
each an ErrorList) and helpers that write an answer with a JSON body or a file."""

from __future__ import annotations

from typing import Any

from filings.openapi_schemas import ref


def json_answer(description: str, schema: str, **headers: str) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": ref(schema)}},
    }
    if headers:
        answer["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    return answer


def file_answer(description: str, media_type: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {media_type: {"schema": schema}}}


def errors(*codes: int) -> dict[str, Any]:
    return {str(code): {"$ref": f"#/components/responses/{code}"} for code in codes}


# The error answers, shared: components/responses.
RESPONSES = {
    "400": json_answer(
        "A parameter or body field that cannot be read; `field` names it.", "ErrorList"
    ),
    "401": json_answer(
        "No token, or a wrong, revoked or expired one (code token_expired).",
        "ErrorList",
        **{"WWW-Authenticate": 'Bearer realm="eservice"'},
    ),
    "403": json_answer("The account may not do this (not verified, suspended).", "ErrorList"),
    "404": json_answer("Nothing at this address, or not yours to see.", "ErrorList"),
    "409": json_answer(
        "The Idempotency-Key is being used by a request still running.", "ErrorList"
    ),
    "413": json_answer("The request is larger than the limit for one document set.", "ErrorList"),
    "415": json_answer(
        "The body is not multipart/form-data (or, for /receipts/verify, not JSON); the message "
        "names the fields the call takes.",
        "ErrorList",
    ),
    "422": json_answer(
        "The request was read and refused: every problem, per field and file.", "ErrorList"
    ),
    "429": json_answer(
        "Too many calls (wrong tokens from this address, a quota, receipt checks).",
        "ErrorList",
        **{"Retry-After": "Seconds to wait."},
    ),
    "503": json_answer(
        "Storage or the checks are unavailable: nothing was kept; try again.", "ErrorList"
    ),
}
AUTHED = (401, 429)
