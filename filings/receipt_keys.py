"""The receipt signing keys, in files (never in the database): ESERVICE_RECEIPT_KEYS_DIR holds

    current                 the kid of the key that signs now
    private/<kid>.jwk       its private key (mode 0600, in a 0700 folder); only the current one
    public/<kid>.jwk        the public key of every key that ever signed: current and retired

Rotating makes a new key, makes it current, and deletes the old private key: the old one can no
longer sign, and its public key stays published so that every receipt it signed still checks.
Outside production the first key is made when the first receipt is signed; in production it is
made by ``flask --app wsgi receipts rotate-key`` before the app serves.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from joserfc.jwk import OKPKey

from filings.receipt_signing import new_key, public_jwk


class KeysMissing(RuntimeError):
    """No signing key: the message says how to make one."""


@dataclass(frozen=True)
class KeyInfo:
    kid: str
    current: bool
    can_sign: bool  # its private key is on this machine


def keys_dir() -> Path:
    return Path(current_app.config["ESERVICE"].receipt_keys_dir)


def _write_new(path: Path, text: str, mode: int) -> None:
    """Write ``text`` to ``path`` all at once (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _current_kid(base: Path) -> str | None:
    try:
        kid = (base / "current").read_text().strip()
    except FileNotFoundError:
        return None
    return kid or None


def _save(base: Path, key: OKPKey) -> None:
    (base / "private").mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(base / "private", 0o700)
    _write_new(base / "private" / f"{key.kid}.jwk", json.dumps(key.as_dict(private=True)), 0o600)
    _write_new(base / "public" / f"{key.kid}.jwk", json.dumps(public_jwk(key)), 0o644)


def _load_private(base: Path, kid: str) -> OKPKey:
    path = base / "private" / f"{kid}.jwk"
    try:
        return OKPKey.import_key(json.loads(path.read_text()))
    except FileNotFoundError:
        raise KeysMissing(
            f"The current receipt key {kid} has no private key in {path.parent}. "
            "Make a new one with: flask --app wsgi receipts rotate-key"
        ) from None


def signing_key() -> OKPKey:
    """The key that signs receipts now."""
    base = keys_dir()
    kid = _current_kid(base)
    if kid is None:
        if current_app.config["ESERVICE"].env == "production":
            raise KeysMissing(
                f"No receipt signing key in {base}. "
                "Make one with: flask --app wsgi receipts rotate-key"
            )
        kid = _first_key(base)
    return _load_private(base, kid)


def _first_key(base: Path) -> str:
    """Make the first key, once, even with several processes racing to do it."""
    key = new_key(date.today())
    _save(base, key)
    fd, tmp = tempfile.mkstemp(dir=base, prefix=".tmp-")
    with os.fdopen(fd, "w") as out:
        out.write(str(key.kid))
    try:
        os.link(tmp, base / "current")  # fails if another process made the first key
    except FileExistsError:
        (base / "private" / f"{key.kid}.jwk").unlink(missing_ok=True)
        (base / "public" / f"{key.kid}.jwk").unlink(missing_ok=True)
    finally:
        os.unlink(tmp)
    kid = _current_kid(base)
    assert kid is not None
    return kid


def rotate(today: date) -> tuple[str, str | None]:
    """Make a new signing key and retire the current one; (new kid, retired kid or None)."""
    base = keys_dir()
    base.mkdir(parents=True, exist_ok=True)
    old = _current_kid(base)
    key = new_key(today)
    kid = str(key.kid)
    _save(base, key)
    _write_new(base / "current", kid, 0o644)
    if old and old != kid:
        (base / "private" / f"{old}.jwk").unlink(missing_ok=True)
    return kid, old


def jwks() -> dict[str, Any]:
    """Every public key, current first, then the retired ones newest first (RFC 7517)."""
    base = keys_dir()
    current = _current_kid(base)
    found = []
    for path in sorted((base / "public").glob("*.jwk"), reverse=True):
        try:
            jwk = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(jwk, dict) and jwk.get("kty") == "OKP" and "d" not in jwk:
            found.append(jwk)
    found.sort(key=lambda k: k.get("kid") != current)
    return {"keys": found}


def key_list() -> list[KeyInfo]:
    base = keys_dir()
    current = _current_kid(base)
    return [
        KeyInfo(k["kid"], k["kid"] == current, (base / "private" / f"{k['kid']}.jwk").exists())
        for k in jwks()["keys"]
    ]
