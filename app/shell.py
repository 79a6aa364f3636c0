"""The frame around every page: the menu each kind of user sees, when the session ends, and
the help, contact and accessibility pages linked from the footer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g, render_template, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

# The warning shows this long before the session ends (scaled down for very short limits).
WARNING_SECONDS = 120


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def _items(pairs: list[tuple[str, str]]) -> list[MenuItem]:
    return [MenuItem(label, url_for(ep)) for ep, label in pairs if has_endpoint(ep)]


def menu_for(user: Any) -> list[MenuItem]:
    """The links of the main menu for ``user`` (logging out is a form, added by the page)."""
    from registration.services import is_verified_attorney

    if not user.is_authenticated:
        return _items([("auth.login", "Log in"), ("registration.register", "Register")])
    pairs: list[tuple[str, str]] = []
    if user.is_staff:
        if user.office_id:
            pairs.append(("filings.inbox", "Inbox"))
            pairs += [
                ("filings.occ_serve", "Serve on an attorney"),
                ("filings.occ_served_list", "Served by this office"),
            ]
        pairs += [
            ("registration.queue", "Registrations to verify"),
            ("registration.request_queue", "A-Number requests"),
            ("registration.appearances", "E-28 records"),
            ("registration.add_appearance", "Add E-28 record"),
        ]
        if user.is_admin:
            pairs.append(("admin.index", "Admin"))
    elif is_verified_attorney(user):
        pairs += [
            ("filings.new", "Serve documents"),
            ("filings.check", "Check files"),
            ("filings.index", "My filings"),
            ("filings.served_on_me", "Served on me"),
            ("registration.status", "Registration"),
            ("filings.api_tokens", "API tokens"),
        ]
    else:  # not verified yet: only what they can use
        pairs.append(("registration.status", "Registration"))
    pairs.append(("account.index", "Account"))
    return _items(pairs)


def session_timing() -> dict[str, Any] | None:
    """For a logged-in page: when the session ends (ISO, UTC) and how long before to warn."""
    from app import db, sessions

    row = g.get("user_session")
    if row is None or not current_user.is_authenticated:
        return None
    ends = sessions.expires_at(row)
    idle = current_app.config["ESERVICE"].session_idle_minutes * 60
    return {
        "expires_at": ends.isoformat(timespec="seconds").replace("+00:00", "Z"),
        # Seconds left, so a browser whose clock is wrong still warns in time.
        "expires_in": max(0, int((ends - db.utcnow()).total_seconds())),
        # Never more than a quarter of the idle limit, so a short limit still leaves time to work.
        "warn_seconds": int(min(WARNING_SECONDS, idle / 4)),
    }


def get_able(path: str) -> bool:
    """Whether ``path`` is a page of this app that a GET opens (a log-in link can lead back)."""
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(path, method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True


PAGES = {
    "help": "Help",
    "contact": "Contact",
    "accessibility": "Accessibility",
}


def init_app(app: Flask) -> None:
    for name, title in PAGES.items():
        app.add_url_rule(
            f"/{name}",
            endpoint=name,
            view_func=lambda name=name, title=title: render_template(
                f"pages/{name}.html", title=title
            ),
        )

    @app.context_processor
    def shell_context() -> dict[str, Any]:
        return {
            "menu_for": menu_for,
            "has_endpoint": has_endpoint,
            "session_timing": session_timing,
            "get_able": get_able,
        }
