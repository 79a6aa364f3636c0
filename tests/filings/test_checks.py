"""The check job: active content and attachments are refused after the receipt, with an
auto-response that names every problem per file; the job is safe to run twice. (What the deep
check finds, file by file: tests/filings/test_deepcheck.py.)"""

from __future__ import annotations

from sqlalchemy import func, select, update

from app import db
from app.notifications import Notification
from filings import jobs
from filings.models import Filing, FilingStatus
from tests.helpers import api_post
from tests.pdfs import pdf_bytes, pdf_with_attachment, pdf_with_javascript


def test_hostile_set_is_received_then_refused_with_every_problem(app, client, api_token, outbox):
    response = api_post(
        client,
        api_token,
        [
            (pdf_bytes(), "clean.pdf"),
            (pdf_with_javascript(), "script.pdf"),
            (pdf_with_attachment(), "attach.pdf"),
        ],
    )
    assert response.status_code == 201  # the receipt: bytes stored, checks to follow
    filing_id = response.get_json()["id"]
    status = client.get(
        f"/api/v1/filings/{filing_id}", headers={"Authorization": f"Bearer {api_token}"}
    ).get_json()
    assert status["status"] == "refused"  # not served; "rejected" is OCC's word on a served set
    assert [(p["code"], p["file"]) for p in status["problems"]] == [
        ("javascript", "script.pdf"),
        ("embedded_file", "attach.pdf"),
    ]
    [mail] = outbox()
    assert mail["Subject"].startswith("Not served: ")
    body = mail.get_content()
    assert body.startswith("Not served: ") and "Nothing in this set was served" in body
    assert "[javascript] “script.pdf” contains JavaScript" in body
    assert "[embedded_file] “attach.pdf” has files attached" in body
    # never reaches the office's inbox
    with app.app_context():
        assert db.session.get(Filing, filing_id).passed_checks is False


def test_changed_bytes_in_storage_are_caught(app, client, api_token):
    from storage.local import LocalStorage

    # Store, then corrupt the stored copy before the job runs (jobs run inline, so hold it).
    with app.app_context():
        original = jobs.check_filing
    calls = []
    jobs.check_filing = lambda filing_id: calls.append(filing_id)  # type: ignore[assignment]
    try:
        response = api_post(client, api_token, [(pdf_bytes(), "a.pdf")])
    finally:
        jobs.check_filing = original  # type: ignore[assignment]
    filing_id = response.get_json()["id"]
    storage: LocalStorage = app.extensions["eservice.storage"]
    with app.app_context():
        key = db.session.get(Filing, filing_id).documents[0].storage_key
    path = storage.root / key
    path.write_bytes(path.read_bytes().replace(b"/Title", b"/Tit1e"))
    with app.app_context():
        jobs.check_filing(filing_id)
        filing = db.session.get(Filing, filing_id)
        assert filing.status == FilingStatus.REFUSED
        assert [p["code"] for p in filing.problems] == ["checksum_mismatch"]


def test_check_job_run_twice_decides_once_and_notifies_once(app, client, api_token, outbox):
    filing_id = api_post(client, api_token, [(pdf_bytes(), "a.pdf")]).get_json()["id"]
    with app.app_context():
        # As if a worker died after deciding but before the queue knew: run it again, and
        # again from the received state with the notice already written.
        jobs.check_filing(filing_id)
        db.session.execute(
            update(Filing).where(Filing.id == filing_id).values(status=FilingStatus.RECEIVED)
        )
        db.session.commit()
        jobs.check_filing(filing_id)
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
    assert len(outbox()) == 1


def test_jobs_left_pending_are_sent_on_later(app, client, api_token, monkeypatch):
    from workers import outbox as outbox_module

    monkeypatch.setattr(outbox_module, "_run_inline", lambda job: False)  # the runner is down
    filing_id = api_post(client, api_token, [(pdf_bytes(), "a.pdf")]).get_json()["id"]
    with app.app_context():
        assert db.session.get(Filing, filing_id).status == FilingStatus.RECEIVED
    monkeypatch.undo()
    result = app.test_cli_runner().invoke(args=["jobs", "run-pending"])
    assert "1 jobs sent on" in result.output
    with app.app_context():
        assert db.session.get(Filing, filing_id).status == FilingStatus.SERVED
