#!/usr/bin/env python3
"""Check an OCC eService signed receipt without the service: only the public keys are needed.

    python3 verify_receipt.py --keys jwks.json RECEIPT.jws [DOCUMENT.pdf ...]
    python3 verify_receipt.py --keys https://eservice.example.gov/.well-known/jwks.json ...

It checks the receipt's Ed25519 signature (JWS, RFC 7515, alg EdDSA) against the key its
header names, prints what the receipt states, and for each DOCUMENT whether its SHA-256 is one
the receipt names. Exit status: 0 valid (and every document named), 1 not valid or a document
not named, 2 the command was used wrongly. Needs Python 3.9+ and the `cryptography` package.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import urllib.request
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

RECEIPT_TYPE = "occ-eservice-receipt/1"
REQUIRED = ("receipt_number", "office", "received_at", "status", "documents")


class NotValid(Exception):
    pass


def b64url(part: str) -> bytes:
    if not part or any(c not in _B64URL for c in part):
        raise NotValid("the receipt is not a JWS (bad base64url)")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


_B64URL = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def verify(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The receipt's claims, if a key of ``jwks`` signed it; raises NotValid otherwise."""
    token = "".join(token.split())
    parts = token.split(".")
    if len(parts) != 3:
        raise NotValid("the receipt is not a JWS in compact form (three parts)")
    try:
        header = json.loads(b64url(parts[0]))
    except ValueError:
        raise NotValid("the receipt's header is not JSON") from None
    if not isinstance(header, dict) or header.get("alg") != "EdDSA":
        raise NotValid("the receipt is not signed with EdDSA")
    if set(header.get("crit", [])):
        raise NotValid("the receipt needs header extensions this checker does not know")
    keys = [k for k in jwks.get("keys", []) if k.get("kid") == header.get("kid")]
    if not header.get("kid") or not keys:
        raise NotValid(f"no public key {header.get('kid')!r} among the keys given")
    key = keys[0]
    if key.get("kty") != "OKP" or key.get("crv") != "Ed25519":
        raise NotValid("the key named is not an Ed25519 key")
    public = Ed25519PublicKey.from_public_bytes(b64url(key["x"]))
    try:
        public.verify(b64url(parts[2]), f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature:
        raise NotValid("the signature does not match: the receipt was altered") from None
    claims = json.loads(b64url(parts[1]))
    if not isinstance(claims, dict) or claims.get("typ") != RECEIPT_TYPE:
        raise NotValid("the signed text is not an OCC eService receipt")
    missing = [name for name in REQUIRED if name not in claims]
    if missing:
        raise NotValid(f"the receipt lacks {', '.join(missing)}")
    return claims


def load_keys(where: str) -> dict[str, Any]:
    if where.startswith("http://") and not where.startswith(
        ("http://127.0.0.1", "http://localhost", "http://[::1]")
    ):
        raise ValueError("fetch the keys over https:// (over http anyone between could swap them)")
    if where.startswith(("https://", "http://")):
        with urllib.request.urlopen(where, timeout=20) as answer:  # noqa: S310
            return json.load(answer)
    with open(where, encoding="utf-8") as f:
        return json.load(f)


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check an OCC eService signed receipt.")
    parser.add_argument("--keys", required=True, help="the public keys: a JWKS file or URL")
    parser.add_argument("receipt", help="the signed receipt (a .jws file)")
    parser.add_argument("documents", nargs="*", help="documents to check against it")
    args = parser.parse_args(argv)
    try:
        jwks = load_keys(args.keys)
        with open(args.receipt, encoding="utf-8", errors="replace") as f:
            claims = verify(f.read(), jwks)
    except NotValid as exc:
        print(f"NOT VALID: {exc}")
        return 1
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    office = claims.get("office") or {}
    print(f"VALID: receipt {claims['receipt_number']} ({claims.get('iss')})")
    print(f"Office: {office.get('name')} ({office.get('code')})")
    print(f"Received: {claims.get('received_at_local')} ({claims['received_at']})")
    print(f"State: {claims['status']} (as of {claims.get('status_at')})")
    for i, d in enumerate(claims["documents"], start=1):
        print(f"  {i}. {d['filename']}: {d['pages']} pages, {d['bytes']} bytes, {d['sha256']}")
    named = {d["sha256"]: d["filename"] for d in claims["documents"]}
    ok = True
    for path in args.documents:
        try:
            digest = sha256_of(path)
        except OSError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if digest in named:
            print(f"MATCH: {path} is {named[digest]} ({digest})")
        else:
            print(f"NO MATCH: {path} ({digest}) is not named by this receipt")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
