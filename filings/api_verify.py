"""Checking a receipt against a document's SHA-256, without a token."""
