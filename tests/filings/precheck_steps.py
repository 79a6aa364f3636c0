"""Steps shared by the check-before-you-serve tests: post files, read the report back, add
check rows and stored files directly."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta

from sqlalchemy import func, select

from app import audit, db
from filings.precheck_models import CheckedFile, CheckStatus, FileCheck
from storage.base import new_key, sha256_of
from tests.helpers import csrf_token, multipart

AUTH = "Authorization"
PENDING_MARK = 'id="check-pending"'


def _bearer(token: str) -> dict[str, str]:
    return {AUTH: f"Bearer {token}"}


def _post_check(client, token, files):
    form = multipart({"files": [(io.BytesIO(content), name) for content, name in files]})
    return client.post("/api/v1/checks", **form, headers=_bearer(token))


def _report(client, token, location, timeout=60.0):
    """GET the check until its report is written (jobs may run after the response)."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(location, headers=_bearer(token))
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        if body["status"] == "done":
            return body
        assert time.monotonic() < deadline, f"check still pending after {timeout} s"
        time.sleep(0.1)


def _check(client, token, files):
    response = _post_check(client, token, files)
    assert response.status_code == 202, response.get_json()
    assert response.headers["Location"] == f"/api/v1/checks/{response.get_json()['id']}"
    return _report(client, token, response.headers["Location"])


def _check_page(client, files, timeout=60.0):
    """Submit the page's form, follow the redirect, and reload until the report is there."""
    form = {
        "csrf_token": csrf_token(client, "/filings/check"),
        "files": [(io.BytesIO(content), name) for content, name in files],
    }
    response = client.post("/filings/check", **multipart(form))
    assert response.status_code == 303, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert re.fullmatch(r"/filings/check/[0-9a-f-]{36}", location), location
    deadline = time.monotonic() + timeout
    while True:
        page = client.get(location)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        if PENDING_MARK not in text:
            return text
        assert time.monotonic() < deadline, f"check still pending after {timeout} s"
        time.sleep(0.1)


def _codes(problems):
    return [p["code"] for p in problems]


def _add_check(app, owner_id, status=CheckStatus.DONE, age=timedelta(0), file_count=1, key=None):
    """A check as earlier requests left it: ``age`` old, with one stored file at ``key``."""
    with app.app_context():
        check = FileCheck(
            owner_id=owner_id,
            status=status,
            created_at=db.utcnow() - age,
            file_count=file_count,
            report={"ok": True, "problems": [], "documents": []} if status == "done" else None,
            files=[
                CheckedFile(
                    position=1, filename="a.pdf", size_bytes=10, sha256="0" * 64, storage_key=key
                )
            ],
        )
        db.session.add(check)
        db.session.commit()
        return check.id


def _store(app, content):
    with app.app_context():
        key = new_key(db.utcnow())
        app.extensions["eservice.storage"].put(key, io.BytesIO(content), _sha(content))
        return key


def _sha(content):
    return sha256_of(io.BytesIO(content))


def _owner_id(app, email="lawyer@firm.example"):
    from app.users import user_by_email

    with app.app_context():
        user = user_by_email(email)
        assert user is not None
        return user.id


def _audit_actions(app, action):
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(audit.AuditEvent)
            .where(audit.AuditEvent.action == action)
        )
