"""Asking for the password or a second factor again before a sensitive change.

Logging in, or confirming one's identity on /account/confirm, marks the session as recently
authenticated for ten minutes; a view wrapped in ``recent_auth_required`` outside that window
sends the user to confirm first and back afterwards.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import redirect, request, session, url_for

RECENT_SECONDS = 600
_KEY = "auth_at"

F = TypeVar("F", bound=Callable[..., Any])


def mark_authenticated() -> None:
    session[_KEY] = int(time.time())


def is_recent() -> bool:
    return time.time() - session.get(_KEY, 0) <= RECENT_SECONDS


_SAFE_PATH = re.compile(r"/(?![/\\])[\x21-\x7e]*")


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go on to; anything else (another host, a scheme, a backslash, any
    space or control character, which browsers drop or servers refuse) gives ``default``."""
    if not target or not _SAFE_PATH.fullmatch(target) or "\\" in target:
        return default
    return target


def confirmation_redirect() -> Any:
    """Send the user to confirm their identity, then back to this page (or, after a POST, to
    the page the form was on); None when the last confirmation is recent enough."""
    if is_recent():
        return None
    path = request.full_path.rstrip("?") if request.method == "GET" else None
    if path is None and request.referrer:
        parts = urlsplit(request.referrer)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    return redirect(url_for("account.confirm_identity", next=safe_next(path, "/account/")))


def recent_auth_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return confirmation_redirect() or view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
