"""Second factors: authenticator-app codes (TOTP), recovery codes and passkeys (WebAuthn)."""

from __future__ import annotations
