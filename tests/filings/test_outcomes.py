"""Refused and rejected are different outcomes: a set the checks refuse was never served (its
page is not a receipt, its e-mail says "Not served" and how to serve a corrected set); a served
set OCC rejects keeps its receipt and says who decided, when and why."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app import db
from app.users import User
from filings import notices
from filings.models import Filing, FilingStatus
from tests.helpers import api_post, login, serve_form
from tests.pdfs import pdf_bytes, pdf_with_javascript


def _serve(client, files) -> str:
    response = serve_form(client, files)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_a_set_the_checks_refuse_is_not_served_and_reads_so(app, attorney_client, outbox):
    filing_id = _serve(
        attorney_client, [(pdf_bytes(), "clean.pdf"), (pdf_with_javascript(), "script.pdf")]
    )
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing.status == FilingStatus.REFUSED and not filing.passed_checks
        receipt_number = filing.receipt_number

    page = attorney_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert '<h1 id="outcome-heading">Not served: refused by the checks</h1>' in page
    assert "<title>Receipt" not in page and "Proof of service" not in page
    # every problem under the file it is about, with its fix
    problems = page[page.index('id="problems"') : page.index("</ul>\n  \n</div></div>")]
    assert "<strong>script.pdf</strong>" in problems and 'data-code="javascript"' in problems
    assert "Print it to a new PDF" in problems and "clean.pdf" not in problems
    assert f'href="/filings/new?correct={filing_id}"' in page
    assert "Serve a corrected set" in page

    [mail] = outbox()
    assert mail["Subject"] == f"Not served: {receipt_number} refused by the checks"
    body = mail.get_content()
    assert body.startswith(
        f"Not served: your document set “Motion to continue” (receipt {receipt_number})"
    )
    assert "OCC Atlanta" in body.splitlines()[0] and "Nothing in this set was served" in body
    base = app.config["ESERVICE"].base_url
    assert f"Serve a corrected set: {base}/filings/new?correct={filing_id}" in body
    assert "[javascript] “script.pdf” contains JavaScript" in body
    assert "Served on:" not in body  # the receipt part says it was not served


def test_the_api_says_refused(app, client, api_token):
    response = api_post(client, api_token, [(pdf_with_javascript(), "script.pdf")])
    assert response.status_code == 201 and response.get_json()["status"] in {"received", "refused"}
    status = client.get(
        f"/api/v1/filings/{response.get_json()['id']}",
        headers={"Authorization": f"Bearer {api_token}"},
    ).get_json()
    assert status["status"] == "refused"
    listed = client.get("/api/v1/filings", headers={"Authorization": f"Bearer {api_token}"})
    assert "refused" in listed.get_data(as_text=True)


def _reject(app, filing_id: str, staff_id: int, reason: str) -> None:
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        db.session.execute(
            update(Filing)
            .where(Filing.id == filing_id)
            .values(
                status=FilingStatus.REJECTED,
                decided_by_id=staff_id,
                decided_at=filing.received_at + timedelta(hours=2),
                decision_reason=reason,
            )
        )
        db.session.commit()


def test_a_served_set_rejected_by_occ_keeps_its_receipt(app, attorney_client, make_staff):
    staff = make_staff()
    filing_id = _serve(attorney_client, [(pdf_bytes(), "motion.pdf")])
    _reject(app, filing_id, staff.id, "Exhibit B is missing pages 4-6.")

    page = attorney_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert '<h1 id="outcome-heading">Receipt <span' in page and "Proof of service" in page
    assert "Not served" not in page and "Serve a corrected set" not in page
    decision = page[page.index('id="decision-heading"') : page.index("Proof of service")]
    assert "Rejected by OCC" in decision and "Served, then rejected by OCC" in decision
    assert "Exhibit B is missing pages 4-6." in decision
    assert "OCC Atlanta (ATL)" in decision and "staff.atl@occ.example" not in page
    assert " EST (" in decision or " EDT (" in decision  # when, in the office's time first


def test_refused_and_rejected_e_mails_differ_from_the_subject_on(app, attorney_client, make_staff):
    staff = make_staff()
    refused_id = _serve(attorney_client, [(pdf_with_javascript(), "script.pdf")])
    rejected_id = _serve(attorney_client, [(pdf_bytes(), "motion.pdf")])
    _reject(app, rejected_id, staff.id, "Wrong office.")
    with app.app_context():
        refused = db.session.get(Filing, refused_id)
        rejected = db.session.get(Filing, rejected_id)
        refused_subject, refused_body = notices.auto_response(refused)
        rejected_subject, rejected_body = notices.staff_decision(rejected)
    assert refused_subject.startswith("Not served: ")
    assert rejected_subject == f"Rejected by OCC: {rejected.receipt_number}"
    assert rejected_body.startswith("Rejected by OCC: OCC Atlanta rejected your served")
    assert "Reason given by OCC Atlanta: Wrong office." in rejected_body
    assert "correct=" not in rejected_body and "Served on: OCC Atlanta (ATL)" in rejected_body
    assert "correct=" in refused_body and "Served on:" not in refused_body


def test_a_held_set_refused_by_occ_reads_as_not_served(app, attorney_client, make_staff):
    staff = make_staff()
    filing_id = _serve(attorney_client, [(pdf_bytes(), "motion.pdf")])
    with app.app_context():
        db.session.execute(
            update(Filing)
            .where(Filing.id == filing_id)
            .values(
                status=FilingStatus.REFUSED,
                passed_checks=False,
                decided_by_id=staff.id,
                decided_at=db.utcnow(),
                decision_reason="The scanner never answered; serve it again.",
            )
        )
        db.session.commit()
        subject, body = notices.staff_decision(db.session.get(Filing, filing_id))
    assert subject.startswith("Not served: ") and "correct=" in body
    page = attorney_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert "Not served: refused by OCC Atlanta" in page
    assert "The scanner never answered; serve it again." in page
    assert "Serve a corrected set" in page


def test_another_attorney_gets_404_for_a_refused_set(app, attorney_client, make_attorney):
    filing_id = _serve(attorney_client, [(pdf_with_javascript(), "script.pdf")])
    make_attorney("other@law.example", eoir_id="OT123456", a_numbers=("099999999",))
    other = app.test_client()
    login(other, "other@law.example")
    assert other.get(f"/filings/{filing_id}").status_code == 404
    assert "script.pdf" not in other.get("/filings").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == "other@law.example"))
