"""The public /verify page: were these bytes served under this receipt? No login.

Where JavaScript runs, app/static/verify.js hashes the chosen file in the browser and sends only
its SHA-256. Without it the file is uploaded, and hashed while it streams through the form
parser into a sink that keeps nothing (no temporary file either). The view parses that body
itself: the app's request class takes files only on the serve routes, so the page is exempt
from the automatic CSRF check (which would read the form first) and checks the token here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import IO, Any, cast

from flask import Blueprint, current_app, render_template, request
from flask_limiter import RequestLimit
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import MultiPartParser
from wtforms import StringField, TextAreaField
from wtforms.validators import ValidationError

from app import csrf, throttle
from filings import receipt_verify
from filings.api_verify import verify_limit

bp = Blueprint("verify", __name__, template_folder="templates")

# Room for the form's fields besides the file: a pasted JWS is at most 64 KB. Werkzeug's
# decoder also holds each piece read under this limit, so pieces are read a quarter of it.
FIELDS_BYTES = 256 * 1024
READ_SIZE = 64 * 1024
FORM_PARTS = 8


class VerifyForm(FlaskForm):
    """What was typed; the token is checked by the view (see the module's docstring)."""

    class Meta:
        csrf = False

    receipt = TextAreaField("Receipt number or signed receipt")
    sha256 = StringField("Or the document's SHA-256, instead of the file")


@dataclass(frozen=True)
class Answer:
    matched: bool
    sentence: str
    listed: bool | None = None  # a signed receipt's own list holds the file (JWS only)


@dataclass(frozen=True)
class Body:
    fields: MultiDict[str, str]
    digests: list[tuple[str, receipt_verify.Digest]]  # (file name, what streamed through)


def _read_body(cap: int) -> Body:
    """The form as sent; a file part is hashed as it streams and never kept."""
    if request.mimetype != "multipart/form-data":
        return Body(MultiDict(request.form), [])
    boundary = request.mimetype_params.get("boundary", "").encode("ascii", "replace")
    request.max_content_length = cap + FIELDS_BYTES  # one document, then a small form

    def sink(
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        return cast(IO[bytes], receipt_verify.Digest(cap))

    parser = MultiPartParser(
        stream_factory=sink,
        max_form_memory_size=FIELDS_BYTES,
        max_form_parts=FORM_PARTS,
        buffer_size=READ_SIZE,
    )
    try:
        fields, files = parser.parse(request.stream, boundary, request.content_length)
    except ValueError:  # a broken body (werkzeug's own parser answers 400 too)
        return Body(MultiDict(), [])
    digests = []
    for _, upload in files.items(multi=True):  # every file part went into a sink above
        digest = cast(receipt_verify.Digest, upload.stream)
        if upload.filename or digest.size:  # (a file input left empty sends an empty part)
            digests.append((upload.filename or "the file", digest))
    return Body(fields, digests)


def _page(form: VerifyForm, status: int = 200, **context: Any) -> Any:
    settings = current_app.config["ESERVICE"]
    context.setdefault("problems", [])
    return (
        render_template(
            "filings/verify.html", form=form, max_mb=settings.max_document_mb, **context
        ),
        status,
    )


def throttled_page(limit: RequestLimit) -> Any:
    """The page for a client over the limit (429), saying how long to wait."""
    wait = throttle.seconds(limit.reset_at - time.time())
    page, status = _page(VerifyForm(formdata=None), 429, wait=wait)
    return current_app.response_class(page, status, {"Retry-After": str(wait)})


def _problem(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message, "code": "invalid_field"}


@bp.route("/verify", methods=["GET", "POST"])
@verify_limit
def verify() -> Any:
    cap = current_app.config["ESERVICE"].max_document_bytes
    if request.method == "GET":
        typed = receipt_verify.receipt_number(request.args.get("receipt"))
        return _page(VerifyForm(formdata=None, receipt=typed or ""))
    try:
        body = _read_body(cap)
    except RequestEntityTooLarge:
        return _page(VerifyForm(formdata=None), 413, problems=[_too_large()])
    try:
        validate_csrf(body.fields.get("csrf_token"))
    except ValidationError as exc:
        raise CSRFError(str(exc)) from None
    form = VerifyForm(formdata=body.fields)
    problems, number, token, sha256 = _check(form, body, cap)
    if problems:
        return _page(form, 422, problems=problems)
    assert sha256 is not None
    listed = None
    if token is not None:
        try:
            claims = receipt_verify.signed_claims(token)
        except receipt_verify.JwsRefused as refused:
            return _page(form, 422, problems=[_problem("receipt", str(refused))])
        number = str(claims["receipt_number"]).upper()
        listed = receipt_verify.lists_document(claims, sha256)
    assert number is not None
    found = receipt_verify.served(number, sha256)
    answer = (
        Answer(True, found.sentence, listed)
        if found
        else Answer(False, receipt_verify.not_served_sentence(number), listed)
    )
    return _page(form, answer=answer)


def _too_large() -> dict[str, str]:
    mb = current_app.config["ESERVICE"].max_document_mb
    return _problem(
        "file",
        f"The file is larger than {mb} MB. No document served here is larger, so it was not "
        "served under any receipt.",
    )


def _check(
    form: VerifyForm, body: Body, cap: int
) -> tuple[list[dict[str, str]], str | None, str | None, str | None]:
    """Problems with what was sent, else the receipt number or JWS and the SHA-256."""
    problems = []
    raw = (form.receipt.data or "").strip()
    number = receipt_verify.receipt_number(raw)
    token = raw if number is None and raw.count(".") == 2 else None
    if not raw:
        problems.append(
            _problem("receipt", "Enter the receipt number, or paste the signed receipt.")
        )
    elif number is None and token is None:
        problems.append(
            _problem(
                "receipt",
                "Enter a receipt number like ES-ATL-20261123-7KQ4-M2XD, or paste the whole "
                "signed receipt (three parts joined by dots).",
            )
        )
    hashes = []
    if len(body.digests) > 1:
        problems.append(_problem("file", "Choose one file at a time."))
    for name, digest in body.digests[:1]:
        if digest.over_cap:
            problems.append(_too_large())
        elif digest.size == 0:
            problems.append(_problem("file", f"{name} is empty (0 bytes)."))
        else:
            hashes.append(digest.sha256)
    hashed_here = (body.fields.get("file_sha256") or "").strip()  # by verify.js
    if hashed_here:
        if receipt_verify.sha256_hex(hashed_here) is None:
            problems.append(_problem("file", "The file could not be read; choose it again."))
        else:
            hashes.append(receipt_verify.sha256_hex(hashed_here) or "")
    typed = (form.sha256.data or "").strip()
    if typed:
        if receipt_verify.sha256_hex(typed) is None:
            problems.append(
                _problem("sha256", "A SHA-256 is 64 letters a to f and digits, as on the receipt.")
            )
        else:
            hashes.append(receipt_verify.sha256_hex(typed) or "")
    if len(set(hashes)) > 1:
        problems.append(
            _problem("sha256", "The SHA-256 typed is not the chosen file's: give one or the other.")
        )
    if not hashes and not any(p["field"] in {"file", "sha256"} for p in problems):
        problems.append(_problem("file", "Choose the document to check, or type its SHA-256."))
    return problems, number, token, (hashes[0] if hashes and not problems else None)


csrf.exempt(verify)  # checked in the view, after the body is read (see the docstring)
