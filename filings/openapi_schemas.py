"""The bodies of API v1 as JSON Schema (OpenAPI 3.1 ``components/schemas``): what each call takes
and answers, read by the OpenAPI description (filings/api_openapi.py) and checked against the
real answers by tests/filings/test_openapi_conformance.py."""

from __future__ import annotations

from typing import Any

from filings.models import FilingStatus
from filings.rules import DocumentType

Schema = dict[str, Any]

UTC_TIME = {"type": "string", "format": "date-time", "description": "UTC, ending in Z."}
LOCAL_TIME = {"type": "string", "format": "date-time", "description": "The office's local time."}
SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256, hexadecimal."}
A_NUMBER = {"type": "string", "pattern": "^[0-9]{9}$", "description": "Nine digits."}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(
    required: dict[str, Schema], optional: dict[str, Schema] | None = None, **extra: Any
) -> Schema:
    """An object with these properties; more may be added later, so clients ignore the rest."""
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
        **extra,
    }


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


STRING = {"type": "string"}
INTEGER = {"type": "integer", "minimum": 0}
BOOLEAN = {"type": "boolean"}
STATUS = {"type": "string", "enum": [str(s) for s in FilingStatus]}
DOCUMENT_TYPE = {"type": "string", "enum": [str(t) for t in DocumentType]}

SCHEMAS: dict[str, Schema] = {
    "Error": obj(
        {
            "code": {**STRING, "description": "Stable, for programs: e.g. invalid_field."},
            "message": {**STRING, "description": "For people: what is wrong and what to do."},
            "file": {**nullable(STRING), "description": "The file it is about, if any."},
            "field": {**nullable(STRING), "description": "The field or parameter, if any."},
        },
        description="One problem. Every error answer under /api/ is an ErrorList.",
    ),
    "ErrorList": obj({"errors": {**array(ref("Error")), "minItems": 1}}),
    "Warning": obj({"code": STRING, "message": STRING}, {"file": nullable(STRING)}),
    "Office": obj({"code": STRING, "name": STRING, "timezone": STRING}),
    "OfficeList": obj({"offices": array(ref("Office"))}),
    "DocumentTypeList": obj(
        {"document_types": array(obj({"code": DOCUMENT_TYPE, "label": STRING}))}
    ),
    "Me": obj(
        {
            "email": STRING,
            "full_name": STRING,
            "verification": nullable(STRING),
            "decision_reason": nullable(STRING),
            "a_numbers_with_e28": array(A_NUMBER),
        }
    ),
    "NewFiling": obj(
        {
            "office": {**STRING, "description": "An office code from GET /offices."},
            "a_number": {**STRING, "description": "The lead A-Number, in any usual form."},
            "document_type": DOCUMENT_TYPE,
            "title": {**STRING, "maxLength": 300},
            "files": {
                **array({"type": "string", "contentMediaType": "application/pdf"}),
                "minItems": 1,
            },
        },
        {
            "next_hearing_on": {"type": "string", "format": "date"},
            "detained": {"type": "string", "enum": ["true", "false"]},
            "includes_e28": {"type": "string", "enum": ["true", "false"]},
            "document_types": {
                **array({"anyOf": [DOCUMENT_TYPE, {"const": ""}]}),
                "description": "Each file's own type, in the order of the files.",
            },
            "rider_a_numbers": {
                **array(STRING),
                "description": "A family: each rider's A-Number (an E-28 on record or in the set).",
            },
            "corrects": {**STRING, "description": "The id of the refused set this one corrects."},
        },
    ),
    "AcknowledgedDocument": obj(
        {
            "filename": STRING,
            "pages": INTEGER,
            "bytes": INTEGER,
            "sha256": SHA256,
            "document_type": STRING,
            "warnings": array(ref("Warning")),
        }
    ),
    "Acknowledgement": obj(
        {
            "id": STRING,
            "receipt_number": STRING,
            "status": STATUS,
            "received_at": UTC_TIME,
            "received_at_local": LOCAL_TIME,
            "office": ref("Office"),
            "a_number": A_NUMBER,
            "document_type": STRING,
            "includes_e28": BOOLEAN,
            "title": STRING,
            "next_hearing_on": nullable({"type": "string", "format": "date"}),
            "detained": BOOLEAN,
            "documents": array(ref("AcknowledgedDocument")),
            "problems": array(ref("Error")),
            "decision_reason": nullable(STRING),
        },
        description="The receipt as data: the filing's state now.",
    ),
    "FilingChange": obj(
        {
            "id": STRING,
            "receipt_number": STRING,
            "status": STATUS,
            "received_at": UTC_TIME,
            "updated_at": {**UTC_TIME, "description": "When the filing last changed (UTC)."},
            "decided_at": nullable(UTC_TIME),
            "decision_reason": nullable(STRING),
            "office": {**STRING, "description": "The office's code."},
            "a_number": A_NUMBER,
            "rider_a_numbers": array(A_NUMBER),
            "title": STRING,
            "corrects": {**nullable(STRING), "description": "Receipt number of the corrected set."},
        }
    ),
    "FilingFeed": obj(
        {
            "filings": array(ref("FilingChange")),
            "has_more": {**BOOLEAN, "description": "Call again with next_cursor at once."},
            "next_cursor": {
                **STRING,
                "description": "Where to go on from: the next page, or (has_more false) the "
                "next reconciliation. Opaque and signed; keep it as it is.",
            },
        }
    ),
    "NewCheck": obj(
        {
            "files": {
                **array({"type": "string", "contentMediaType": "application/pdf"}),
                "minItems": 1,
            }
        }
    ),
    "CheckedDocument": obj(
        {
            "filename": STRING,
            "pages": INTEGER,
            "bytes": INTEGER,
            "sha256": SHA256,
            "problems": array(ref("Error")),
            "warnings": array(ref("Warning")),
        }
    ),
    "Check": obj(
        {
            "id": STRING,
            "status": {"type": "string", "enum": ["pending", "done"]},
            "created_at": UTC_TIME,
            "finished_at": nullable(UTC_TIME),
            "ok": {**nullable(BOOLEAN), "description": "null while pending."},
            "problems": array(ref("Error")),
            "documents": array(ref("CheckedDocument")),
        }
    ),
    "VerifyRequest": {
        "oneOf": [
            obj({"receipt_number": STRING, "sha256": SHA256}, additionalProperties=False),
            obj({"jws": STRING, "sha256": SHA256}, additionalProperties=False),
        ],
        "description": "A receipt (its number, or the signed receipt) and a document's SHA-256.",
    },
    "VerifyResult": obj(
        {"match": BOOLEAN},
        {
            "receipt_number": STRING,
            "direction": {
                "type": "string",
                "enum": ["to_occ", "to_attorneys"],
                "description": "to_occ: an attorney served OCC; to_attorneys: OCC served them.",
            },
            "office": obj({"code": STRING, "name": STRING}),
            "served_at": UTC_TIME,
            "served_at_local": LOCAL_TIME,
            "listed_in_signed_receipt": {
                **BOOLEAN,
                "description": "With jws: whether the signed receipt lists this SHA-256.",
            },
        },
        description="match false and nothing else, or where and when these bytes were served.",
    ),
    "ServedDocument": obj(
        {"id": STRING, "filename": STRING, "pages": INTEGER, "bytes": INTEGER, "sha256": SHA256}
    ),
    "ServedOnMe": obj(
        {
            "id": STRING,
            "receipt_number": STRING,
            "office": ref("Office"),
            "a_number": A_NUMBER,
            "title": STRING,
            "document_type": STRING,
            "served_at": UTC_TIME,
            "served_at_local": LOCAL_TIME,
            "opened_at": {**nullable(UTC_TIME), "description": "Your first download, if any."},
            "documents": array(ref("ServedDocument")),
        },
        description="A document set OCC served on you.",
    ),
    "ServedOnMeList": obj({"served_on_me": array(ref("ServedOnMe"))}),
    "CompactJws": {
        "type": "string",
        "pattern": r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$",
        "description": "RFC 7515 compact serialization; header {alg: EdDSA, kid}; keys at "
        "/.well-known/jwks.json.",
    },
    "OpenApiDocument": {"type": "object", "required": ["openapi", "paths"]},
}
