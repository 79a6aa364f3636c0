"""The sites the page sweep visits: the demo accounts, empty or with the demo filings, and the
values that fill each page's URL (ids of the data, links from the e-mails sent)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from app import db
from app.users import user_by_email
from registration.models import RegistrationState
from tests.helpers import PASSWORD, create_attorney

UNVERIFIED = "unverified@firm.example"
ROLES = ("anonymous", "unverified", "attorney", "staff", "admin")
EMAILS = {
    "unverified": UNVERIFIED,
    "attorney": "attorney@demo.eservice.localhost",
    "staff": "staff.atl@demo.eservice.localhost",
    "admin": "admin@demo.eservice.localhost",
}
_LINK = re.compile(
    r"https?://[^/\s]+(/(?:password/reset|account/email/confirm|register/confirm)/\S+)"
)


@dataclass
class Site:
    app: Flask
    passwords: dict[str, str]  # e-mail -> password
    totp: dict[str, str]  # staff e-mail -> authenticator key
    # endpoint -> the values of its URL's arguments, one dict per page to visit
    values: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def build(app: Flask, with_filings: bool) -> Site:
    """Seed the demo (with its filings or not) and the unverified attorney; find URL values."""
    args = ["seed-demo", "--with-filings"] if with_filings else ["seed-demo"]
    out = app.test_cli_runner().invoke(args=args)
    assert out.exit_code == 0, out.output
    passwords = dict(re.findall(r"(\S+@demo\.eservice\.localhost)  password: (\S+)", out.output))
    totp = dict(re.findall(r"(\S+)  password: \S+  authenticator key: ([A-Z2-7]+)", out.output))
    passwords[UNVERIFIED] = PASSWORD
    with app.app_context():
        create_attorney(
            UNVERIFIED,
            state=RegistrationState.PENDING_REVIEW,
            eoir_id="UV123456",
            a_numbers=("011111111",),
            appearance=False,
            full_name="Uma Unverified",
        )
        site = Site(app, passwords, totp)
        site.values = {"admin.office_edit": [{"code": "ATL"}]}
        site.values.update(_links(app))
        if with_filings:
            site.values.update(_data_values())
    if with_filings:
        site.values["filings.check_report"] = [{"check_id": _file_check(app, passwords)}]
    return site


def _file_check(app: Flask, passwords: dict[str, str]) -> str:
    """A finished check of a file (Check files), made through its form as a browser would."""
    from tests.helpers import csrf_token, login, multipart
    from tests.pdfs import pdf_bytes

    client = app.test_client()
    login(client, EMAILS["attorney"], passwords[EMAILS["attorney"]])
    data: dict[str, Any] = {"csrf_token": csrf_token(client, "/filings/check")}
    data["files"] = [(io.BytesIO(pdf_bytes(2)), "brief.pdf")]
    response = client.post("/filings/check", **multipart(data))
    assert response.status_code == 303, response.status_code
    return str(response.headers["Location"]).rstrip("/").rsplit("/", 1)[1]


def _links(app: Flask) -> dict[str, list[dict[str, Any]]]:
    """Real links of the three e-mailed kinds, made by the app and read from its outbox."""
    from app import credentials
    from registration.services import confirmation_token

    attorney = user_by_email(EMAILS["attorney"])
    unverified = user_by_email(UNVERIFIED)
    assert attorney is not None and unverified is not None
    credentials.send_reset_link(attorney.email, "sweep")
    # Opening the link changes the address: an account of its own, not one the sweep logs in as.
    changer = create_attorney("changer@firm.example", eoir_id=None, appearance=False)
    credentials.request_email_change(changer, PASSWORD, "new.address@firm.example")
    db.session.commit()
    found: dict[str, list[dict[str, Any]]] = {
        "registration.confirm": [{"token": confirmation_token(unverified)}]
    }
    outbox = app.config["ESERVICE"].outbox_dir
    for path in sorted(Path(outbox).glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        for link in _LINK.findall(body.get_content() if body else ""):
            endpoint = (
                "account.reset_password"
                if link.startswith("/password/")
                else "account.confirm_email_change"
                if link.startswith("/account/")
                else "registration.confirm"
            )
            found.setdefault(endpoint, []).append({"token": link.rsplit("/", 1)[1]})
    return found


def _data_values() -> dict[str, list[dict[str, Any]]]:
    """One filing of each state for the attorney's and the staff's filing pages, a finished
    file check, the waiting registration and A-Number request."""
    from filings.models import Filing, FilingStatus
    from registration.models import ANumberRequest, AttorneyProfile

    attorney = user_by_email(EMAILS["attorney"])
    assert attorney is not None
    mine: dict[str, str] = {}
    office: dict[str, Filing] = {}
    for filing in db.session.scalars(select(Filing).order_by(Filing.received_at.desc())):
        if filing.attorney_id == attorney.id:
            mine.setdefault(filing.status, filing.id)
        if filing.office.code == "ATL" and filing.status != FilingStatus.REFUSED:
            office.setdefault(filing.status, filing)
    served = office[FilingStatus.SERVED]
    pending = db.session.scalars(
        select(AttorneyProfile.user_id).where(
            AttorneyProfile.state == RegistrationState.PENDING_REVIEW
        )
    ).all()
    return {
        **_reason_templates(),
        "filings.claim_filing": [{"filing_id": served.id}],
        "filings.show": [{"filing_id": i} for i in mine.values()],
        "filings.staff_show": [{"filing_id": f.id} for f in office.values()],
        "filings.document_pages": [{"filing_id": served.id, "document_id": served.documents[0].id}],
        **_served_by_occ(),
        "registration.review": [{"attorney_id": i} for i in pending],
        "registration.request_review": [
            {"request_id": i} for i in db.session.scalars(select(ANumberRequest.id))
        ],
    }


def _served_by_occ() -> dict[str, list[dict[str, Any]]]:
    """The demo's set OCC Atlanta served on the demo attorney: the staff's and the attorney's
    pages of it."""
    from filings.occ_service_models import OccService

    served = db.session.scalars(select(OccService)).first()
    assert served is not None, "seed-demo --with-filings makes a set OCC served"
    return {
        "filings.occ_served_show": [{"service_id": served.id}],
        "filings.served_on_me_show": [{"service_id": served.id}],
    }


def _reason_templates() -> dict[str, list[dict[str, Any]]]:
    """A rejection reason template of the office, made as staff make one."""
    try:
        from filings import reason_templates
    except ImportError:  # not in this version of the app: the route is not there either
        return {}
    staff = user_by_email(EMAILS["staff"])
    assert staff is not None
    made = reason_templates.add(
        staff, "No certificate of service", "The certificate of service is missing."
    )
    return {"filings.reason_template_edit": [{"template_id": made.id}]}
