"""Sending a stored document to someone allowed to have it: always as an attachment."""

from __future__ import annotations

from flask import Response, send_file

from app.users import User
from filings import services
from filings.models import Document


def download_name(filename: str) -> str:
    """The name a download is saved under: always ending in .pdf, whatever the attorney's file
    was called (``Exhibit A.html`` must not open in a browser as a web page). The uploaded name
    stays what the pages show."""
    return filename if filename.lower().endswith(".pdf") else f"{filename}.pdf"


def send_document(user: User, doc: Document) -> Response:
    stream = services.get_storage().open(doc.storage_key)
    services.record_download(user, doc)
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
    response.headers["X-Content-SHA256"] = doc.sha256
    return response
