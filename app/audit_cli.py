"""``flask --app wsgi audit ...``: the audit log from the command line."""

from __future__ import annotations

from flask.cli import AppGroup

audit_cli = AppGroup("audit", help="The audit log.")
