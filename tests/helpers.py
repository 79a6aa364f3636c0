"""Small helpers for driving the app through its HTTP interface."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import db
from app.cli import create_user
from app.users import Role, User
from registration.models import Appearance, AttorneyProfile, ClaimedANumber, RegistrationState
from registration.names import name_key

PASSWORD = "correct horse battery staple"
A_NUMBER = "012345678"
EOIR_ID = "LW123456"

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def post_form(
    client: FlaskClient, page: str, data: dict[str, Any], action: str | None = None, **kwargs: Any
) -> TestResponse:
    """Submit a form the way a browser does: with the CSRF token from its page."""
    data = {"csrf_token": csrf_token(client, page), **data}
    return client.post(action or page, data=data, **kwargs)


# The authenticator-app secret of each account a test gave one, and the last time step a code
# was made for (a code is accepted once, so each log-in needs a newer one).
TOTP: dict[str, str] = {}
_TOTP_STEP: dict[str, int] = {}


def totp_code(email: str) -> str:
    """A fresh code from the authenticator of ``email``, never one used before."""
    import time

    import pyotp

    # The current step first (a code of the step before may be too old by the time a slow
    # browser test types it); then the next one, accepted a step early; then wait.
    step = max(int(time.time() // 30), _TOTP_STEP.get(email, 0) + 1)
    while step > int(time.time() // 30) + 1:  # two log-ins in one 30 s step: wait for the next
        time.sleep(1)
    _TOTP_STEP[email] = step
    return pyotp.TOTP(TOTP[email]).generate_otp(step)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Log in as a browser would: the password, then a code when the account asks for one."""
    response = post_form(client, "/login", {"email": email, "password": password})
    if response.status_code == 302 and response.headers["Location"].endswith(
        "/login/second-factor"
    ):
        key = email.strip().lower()
        response = post_form(client, "/login/second-factor", {"code": totp_code(key)})
    return response


def give_totp(user: User) -> str:
    """Turn on an authenticator app for ``user`` (as if set up on the account page)."""
    import pyotp

    from app import mfa

    secret = pyotp.random_base32()
    mfa.set_up_totp(user, secret)
    TOTP[user.email] = secret
    _TOTP_STEP.pop(user.email, None)
    return secret


def create_staff(email: str, office: str = "ATL", admin: bool = False) -> User:
    """A staff account with its second factor set up (staff cannot log in without one)."""
    user = create_user(
        email, "Staff " + office, Role.ADMIN if admin else Role.STAFF, PASSWORD, office
    )
    db.session.commit()
    give_totp(user)
    return user


def create_attorney(
    email: str = "lawyer@firm.example",
    *,
    state: RegistrationState = RegistrationState.VERIFIED,
    eoir_id: str | None = EOIR_ID,
    a_numbers: tuple[str, ...] = (A_NUMBER,),
    appearance: bool = True,
    bar_state: str | None = None,
    bar_number: str | None = None,
    full_name: str = "Lee Lawyer",
) -> User:
    """An attorney in ``state``; with ``appearance`` an E-28 record for each A-Number, naming
    the attorney's EOIR ID and bar admission."""
    user = create_user(email, full_name, Role.ATTORNEY, PASSWORD)
    now = db.utcnow()
    db.session.add(
        AttorneyProfile(
            user=user,
            state=state,
            eoir_id=eoir_id,
            bar_state=bar_state,
            bar_number=bar_number,
            firm="Firm",
            phone="+1 555 0100",
            mailing_address="1 Main St",
            submitted_at=now,
            claims=[ClaimedANumber(a_number=n) for n in a_numbers],
        )
    )
    if appearance:
        for n in a_numbers:
            key = "|".join([n, eoir_id or "", bar_state or "", bar_number or "", str(now.date())])
            db.session.add(
                Appearance(
                    a_number=n,
                    attorney_name=full_name,
                    name_key=name_key(full_name),
                    eoir_id=eoir_id,
                    bar_state=bar_state,
                    bar_number=bar_number,
                    filed_on=now.date(),
                    natural_key=key,
                    source="import",
                )
            )
    db.session.commit()
    return user


def serve_form(client: FlaskClient, files: list[tuple[bytes, str]], **fields: Any) -> TestResponse:
    """Serve a document set through the web form; ``files`` are (bytes, file name)."""
    import io

    page = client.get("/filings/new").get_data(as_text=True)
    token = _CSRF.search(page)
    submission = re.search(
        r'id="submission_id" name="submission_id" type="hidden" value="([^"]*)"', page
    )
    assert token and submission
    data: dict[str, Any] = {
        "csrf_token": token.group(1),
        "submission_id": submission.group(1),
        "office": "ATL",
        "a_number": "A012-345-678",
        "document_type": "motion",
        "title": "Motion to continue",
        **fields,
    }
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post("/filings/new", **multipart(data))


def multipart(data: dict[str, Any]) -> dict[str, Any]:
    """A multipart body built in memory (the test client spools big ones to a file it never
    closes), as keyword arguments for ``client.post``."""
    from werkzeug.datastructures import MultiDict
    from werkzeug.test import encode_multipart

    items = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, tuple):
                stream, name = item
                from werkzeug.datastructures import FileStorage

                item = FileStorage(stream, filename=name, content_type="application/pdf")
            items.add(key, item)
    boundary, body = encode_multipart(items)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def stored_files(app: Any) -> list[str]:
    """The stored objects other than the stamped copies of served documents (each recorded on
    its document: see stamped_copies), i.e. the bytes attorneys and checks put there."""
    stamped = set(stamped_copies(app))
    storage = app.extensions["eservice.storage"]
    return [k for k in storage.keys() if k not in stamped]  # noqa: SIM118 (a store, not a dict)


def stamped_copies(app: Any) -> list[str]:
    from sqlalchemy import select

    from filings.models import Document

    with app.app_context():
        return list(
            db.session.scalars(
                select(Document.stamped_storage_key).where(
                    Document.stamped_storage_key.is_not(None)
                )
            )
        )


def row_count(app: Any, model: Any) -> int:
    from sqlalchemy import func, select

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def api_post(
    client: FlaskClient,
    token: str,
    files: list[tuple[bytes, str]],
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> TestResponse:
    """``POST /api/v1/filings`` as case-management software would; ``files`` are (bytes, name)."""
    import io

    data: dict[str, Any] = {
        "office": "ATL",
        "a_number": "A012345678",
        "document_type": "motion",
        "title": "Motion",
        **fields,
    }
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(
        "/api/v1/filings",
        **multipart(data),
        headers={"Authorization": f"Bearer {token}", **(headers or {})},
    )
