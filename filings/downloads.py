"""Sending a stored document to someone allowed to have it: always as an attachment. Staff may
have either copy of a served document: the stamped one they read ("Served on OCC ..." on each
page), or the original bytes the receipt proves; attorneys only ever get their original."""

from __future__ import annotations

from enum import StrEnum

from flask import Response, abort, send_file

from app import audit, db
from app.users import User
from filings import services
from filings.models import Document


class Copy(StrEnum):
    ORIGINAL = "original"  # the bytes served, whose SHA-256 the receipt holds
    STAMPED = "stamped"  # the copy with the served stamp on every page (staff)


def download_name(filename: str) -> str:
    """The name a download is saved under: always ending in .pdf, whatever the attorney's file
    was called (``Exhibit A.html`` must not open in a browser as a web page). The uploaded name
    stays what the pages show."""
    return filename if filename.lower().endswith(".pdf") else f"{filename}.pdf"


def staff_copy(doc: Document, asked: str | None) -> Copy:
    """The copy a staff download means: the stamped one unless the original is asked for (or
    there is no stamped one yet). Anything else asked for is a 400."""
    if asked is None or asked == "":
        return Copy.STAMPED if doc.stamped_storage_key else Copy.ORIGINAL
    try:
        copy = Copy(asked)
    except ValueError:
        abort(400, description="copy must be 'stamped' or 'original'")
    if copy is Copy.STAMPED and not doc.stamped_storage_key:
        abort(404)
    return copy


def send_document(user: User, doc: Document, copy: Copy | None = None) -> Response:
    """The document as an attachment: its original, or (for staff, naming the copy, which the
    audit event records) the copy asked for."""
    stamped = copy is Copy.STAMPED and doc.stamped_storage_key is not None
    key = doc.stamped_storage_key if stamped else doc.storage_key
    assert key is not None
    stream = services.get_storage().open(key)
    if copy is None:
        services.record_download(user, doc)
    else:
        audit.record(
            "document.download",
            obj_type="document",
            obj_id=doc.id,
            actor=user,
            filing=doc.filing_id,
            copy=str(copy),
        )
        db.session.commit()
    response = send_file(
        stream,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name(doc.filename),
        max_age=0,
        conditional=False,
    )
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    if copy is not None:
        response.headers["X-Served-Copy"] = str(copy)
    if not stamped:  # the stamped copy's bytes are not the ones the receipt proves
        response.headers["X-Content-SHA256"] = doc.sha256
    return response
