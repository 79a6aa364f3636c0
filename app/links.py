"""Links for e-mails and other places outside a page: always from ``ESERVICE_BASE_URL``.

A link is never built from the Host header of a request, so a forged header cannot put another
domain into an e-mail. The same function works in a request, a job and a CLI command.
"""

from __future__ import annotations

from typing import Any

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` on the configured public site."""
    base: str = current_app.config["ESERVICE"].base_url
    adapter = current_app.url_map.bind("eservice.invalid", script_name="/")
    path = adapter.build(endpoint, values, force_external=False)
    return base + path
