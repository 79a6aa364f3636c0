"""Signed receipts (JWS) in the API."""
