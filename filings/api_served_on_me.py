"""Documents OCC served on the attorney, in the API: the sets, and each document's bytes (the
first download records that the attorney opened the set)."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify

from filings import occ_service_views, occ_services
from filings.api import bp, error
from filings.occ_service_models import OccService, OccServiceRecipient
from filings.receipt_claims import iso_utc


def as_json(service: OccService, recipient: OccServiceRecipient) -> dict[str, Any]:
    """One set served on the attorney, as the API gives it."""
    office = service.office
    served_at = service.served_at or service.received_at
    return {
        "id": service.id,
        "receipt_number": service.receipt_number,
        "office": {"code": office.code, "name": office.name, "timezone": office.timezone},
        "a_number": service.a_number,
        "title": service.title,
        "document_type": service.document_type,
        "served_at": iso_utc(served_at),
        "served_at_local": served_at.astimezone(office.zone).isoformat(),
        "opened_at": iso_utc(recipient.opened_at),
        "documents": [
            {
                "id": d.id,
                "filename": d.filename,
                "pages": d.pages,
                "bytes": d.size_bytes,
                "sha256": d.sha256,
            }
            for d in service.documents
        ],
    }


def _not_found() -> Any:
    return error("not_found", "No such document set served on you.", 404)


@bp.get("/served-on-me")
def served_on_me_list() -> Any:
    rows = occ_services.served_on(g.api_user)
    return jsonify({"served_on_me": [as_json(s, r) for s, r in rows]})


@bp.get("/served-on-me/<service_id>")
def served_on_me_get(service_id: str) -> Any:
    found = occ_services.service_for_attorney(g.api_user, service_id)
    return jsonify(as_json(*found)) if found else _not_found()


@bp.get("/served-on-me/<service_id>/documents/<document_id>")
def served_on_me_document(service_id: str, document_id: str) -> Any:
    found = occ_services.service_for_attorney(g.api_user, service_id)
    if found is None:
        return _not_found()
    service, recipient = found
    doc = occ_services.document_in(service, document_id)
    if doc is None:
        return error("not_found", "No such document in this set.", 404)
    return occ_service_views.send_occ_document(g.api_user, doc, recipient)
