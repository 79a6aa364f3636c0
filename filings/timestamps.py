"""RFC 3161 time-stamps: ask a time-stamping authority to sign the SHA-256 of a receipt and the
time, and check its answer before keeping it."""

from __future__ import annotations

import hashlib
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

TIMEOUT_SECONDS = 20
MAX_RESPONSE_BYTES = 64 * 1024


class TimestampFailed(RuntimeError):
    """The authority did not answer with a valid time-stamp; the message says why."""


def stamp(data: bytes, url: str, cert_file: str = "") -> tuple[bytes, datetime]:
    """The authority's time-stamp response (DER, RFC 3161 TimeStampResp) over ``data`` and the
    time it states. With ``cert_file`` (the
    authority's certificate, or its root, PEM), the token's signature is checked against it."""
    request = (
        TimestampRequestBuilder()
        .data(data)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    http = urllib.request.Request(  # noqa: S310 (the URL is a setting, checked as http(s))
        url,
        data=request.as_bytes(),
        headers={"Content-Type": "application/timestamp-query"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(http, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            body = answer.read(MAX_RESPONSE_BYTES + 1)
    except OSError as exc:
        raise TimestampFailed(f"the time-stamping authority did not answer: {exc}") from exc
    if len(body) > MAX_RESPONSE_BYTES:
        raise TimestampFailed("the time-stamping authority's answer is too large")
    try:
        response = decode_timestamp_response(body)
    except ValueError as exc:
        raise TimestampFailed(f"the answer is not an RFC 3161 response: {exc}") from exc
    if response.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TimestampFailed(f"the time-stamping authority refused: status {response.status}")
    verifier = VerifierBuilder.from_request(request)
    if cert_file:
        cert = x509.load_pem_x509_certificate(Path(cert_file).read_bytes())
        verifier = verifier.add_root_certificate(cert)
        try:
            verifier.build().verify_message(response, data)
        except VerificationError as exc:
            raise TimestampFailed(f"the time-stamp does not verify: {exc}") from exc
    info = response.tst_info
    if info.message_imprint.message != _sha256(data) or info.nonce != request.nonce:
        raise TimestampFailed("the time-stamp is not for this receipt")
    at = info.gen_time
    return response.as_bytes(), at if at.tzinfo else at.replace(tzinfo=UTC)


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()
