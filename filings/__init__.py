"""Filings: document sets served on OCC field offices: intake, checks, receipts, inbox, API."""
