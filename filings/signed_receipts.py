"""Issuing signed receipts and checking them against our public keys.

A signed receipt is issued for each state a set reaches (the first time anyone asks for it, or
when the state changes: the notice, the API, the Notice of Service PDF), and kept: the same
state gives back the same JWS. With ESERVICE_TSA_URL set, a job has it time-stamped.
"""

from __future__ import annotations

import calendar
import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

import workers
from app import db
from filings import receipt_keys, receipt_signing
from filings.models import Filing
from filings.receipt_claims import RECEIPT_TYPE, claims_of
from filings.signed_receipt_models import SignedReceipt

log = logging.getLogger(__name__)

# Added by signing: the issuer, the time of signing and the format.
_ENVELOPE = ("iss", "iat", "typ")


def _statement(claims: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in claims.items() if k not in _ENVELOPE}


def issue(
    receipt_number: str, claims: dict[str, Any], *, filing_id: str | None = None
) -> SignedReceipt:
    """Sign ``claims`` with the current key and add the row (flushed, not committed)."""
    now = db.utcnow()
    payload = {
        **_statement(claims),
        "iss": current_app.config["ESERVICE"].base_url,
        "iat": calendar.timegm(now.utctimetuple()),
        "typ": RECEIPT_TYPE,
    }
    key = receipt_keys.signing_key()
    row = SignedReceipt(
        receipt_number=receipt_number,
        filing_id=filing_id,
        kid=key.kid,
        claims=payload,
        jws=receipt_signing.sign(payload, key),
        issued_at=now,
    )
    db.session.add(row)
    db.session.flush()
    if current_app.config["ESERVICE"].tsa_url:
        # The queue of calls to outside services (mail, the authority).
        workers.enqueue("filings.signed_receipts.timestamp", row.id, queue=workers.MAIL)
    return row


def latest(receipt_number: str) -> SignedReceipt | None:
    return db.session.scalar(
        select(SignedReceipt)
        .where(SignedReceipt.receipt_number == receipt_number)
        .order_by(SignedReceipt.issued_at.desc(), SignedReceipt.id.desc())
        .limit(1)
    )


def current(filing: Filing) -> SignedReceipt:
    """The signed receipt of the filing's state now: the last one issued, or a new one when
    anything it states has changed since."""
    statement = claims_of(filing)
    last = latest(filing.receipt_number)
    if last is not None and _statement(last.claims) == statement:
        return last
    return issue(filing.receipt_number, statement, filing_id=filing.id)


def sign_outcome(filing: Filing) -> SignedReceipt | None:
    """The signed receipt of an outcome just reached, in its transaction. Without a signing key
    (a production site where none was made yet) the outcome still stands: the error is logged
    and the receipt is signed when first asked for once a key exists."""
    try:
        return current(filing)
    except receipt_keys.KeysMissing as exc:
        log.error("receipt %s not signed: %s", filing.receipt_number, exc)
        return None


def sign_claims(receipt_number: str, claims: dict[str, Any]) -> SignedReceipt | None:
    """``issue`` for an outcome that must stand even without a signing key (see sign_outcome)."""
    try:
        return issue(receipt_number, claims)
    except receipt_keys.KeysMissing as exc:
        log.error("receipt %s not signed: %s", receipt_number, exc)
        return None


def verify(token: str) -> dict[str, Any]:
    """The claims of a receipt signed by one of our keys, current or retired."""
    return receipt_signing.verify(token, receipt_keys.jwks())


def timestamp(receipt_id: int) -> None:
    """Job: have a signed receipt time-stamped by the RFC 3161 authority (once; safe to run
    twice). An authority that fails raises, so the job is tried again."""
    from filings import timestamps

    row = db.session.get(SignedReceipt, receipt_id)
    settings = current_app.config["ESERVICE"]
    if row is None or row.timestamp_token is not None or not settings.tsa_url:
        return
    token, stamped_at = timestamps.stamp(row.jws.encode(), settings.tsa_url, settings.tsa_cert_file)
    db.conditional_update(
        update(SignedReceipt)
        .where(SignedReceipt.id == receipt_id, SignedReceipt.timestamp_token.is_(None))
        .values(timestamp_token=token, timestamped_at=stamped_at)
    )
    db.session.commit()


def sweep_untimestamped(older_than_seconds: int = 120) -> int:
    """Periodic: ask again for the time-stamps an authority did not give (it was down)."""
    if not current_app.config["ESERVICE"].tsa_url:
        return 0
    cutoff = db.utcnow() - timedelta(seconds=older_than_seconds)
    ids = list(
        db.session.scalars(
            select(SignedReceipt.id)
            .where(SignedReceipt.timestamp_token.is_(None), SignedReceipt.issued_at < cutoff)
            # Newest first: receipts an authority can never stamp do not hold back new ones.
            .order_by(SignedReceipt.id.desc())
            .limit(200)
        )
    )
    for receipt_id in ids:
        workers.enqueue("filings.signed_receipts.timestamp", receipt_id, queue=workers.MAIL)
    workers.commit()
    return len(ids)
