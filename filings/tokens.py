"""API tokens moved to app/tokens.py (they belong to accounts); these names stay importable."""

from app.tokens import ApiToken, create_token, revoke_token, tokens_of

__all__ = ["ApiToken", "create_token", "revoke_token", "tokens_of"]
