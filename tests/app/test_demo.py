"""Demo data with filings: every state in both demo offices, real stored PDFs, idempotent."""

from __future__ import annotations

import hashlib
import io
import re
import tempfile

import pytest
from sqlalchemy import func, select

from app import db
from app.audit import AuditEvent
from app.demo_filings import PLAN, plan, seed_filings
from app.demo_pdfs import Flaw, demo_pdf
from app.users import User
from filings.checks import check_document
from filings.models import Document, Filing, FilingStatus
from registration.models import ANumberRequest, AttorneyProfile, RegistrationState, RequestState


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_seed_demo_with_filings_twice_adds_everything_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--with-filings"])
    assert first.exit_code == 0, first.output
    total = sum(sum(c.values()) for c in PLAN.values())
    assert f"Demo filings: {total} created (ATL 120, NYC 16:" in first.output
    assert "pending@demo.eservice.localhost  password: " in first.output
    with app.app_context():
        counts = (_count(Filing), _count(Document), _count(ANumberRequest))
        events = _count(AuditEvent)
    second = runner.invoke(args=["seed-demo", "--with-filings"])
    assert second.exit_code == 0, second.output
    assert f"Demo filings: 0 created; {total} already there." in second.output
    assert "a registration to verify (already there), an A-Number request (already there)" in (
        second.output
    )
    with app.app_context():
        assert (_count(Filing), _count(Document), _count(ANumberRequest)) == counts
        assert counts[0] == total
        assert _count(AuditEvent) == events + 2  # the two seed events only
    # Without the option, nothing of the kind is added.
    assert "Demo filings" not in runner.invoke(args=["seed-demo"]).output


def test_every_state_in_each_office_with_the_columns_it_implies(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        summary = seed_filings()
        assert summary.created[FilingStatus.SERVED] == 68
        rows = db.session.scalars(select(Filing)).all()
        for office, counts in PLAN.items():
            mine = [f for f in rows if f.office.code == office]
            assert {f.status for f in mine} == set(FilingStatus)
            assert len(mine) == sum(counts.values())
        by = {s: [f for f in rows if f.status == s] for s in FilingStatus}
        assert all(f.passed_checks for s in ("served", "accepted", "rejected") for f in by[s])
        assert not any(f.passed_checks for s in ("received", "refused", "held") for f in by[s])
        staff = set(db.session.scalars(select(User.id).where(User.email.like("staff.%"))))
        for f in by[FilingStatus.REJECTED]:
            assert f.decision_reason and f.decided_by_id in staff
        assert all(f.decided_by_id and f.decided_at for f in by[FilingStatus.ACCEPTED])
        assert any(f.detained for f in by[FilingStatus.SERVED])
        assert any(f.next_hearing_on for f in by[FilingStatus.SERVED])
        assert any(f.claimed_by_id for f in by[FilingStatus.SERVED])
        assert all(f.receipt_number.startswith(f"ES-{f.office.code}-") for f in rows)
        for f in by[FilingStatus.REFUSED]:
            codes = {p["code"] for p in f.problems}
            assert codes and codes <= {flaw.value for flaw in Flaw}
            assert all(p["message"] and p["file"] for p in f.problems)
        assert all(f.problems[0]["code"] == "scan_unavailable" for f in by[FilingStatus.HELD])


def test_stored_documents_are_the_pdfs_described(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    storage = app.extensions["eservice.storage"]
    with app.app_context():
        seed_filings()
        from pypdf import PdfReader

        docs = db.session.scalars(select(Document)).all()
        assert len({d.storage_key for d in docs}) == len(docs)
        for doc in docs[:40]:
            assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/[0-9a-f-]{36}", doc.storage_key)
            with storage.open(doc.storage_key) as stored:
                data = stored.read()
            assert hashlib.sha256(data).hexdigest() == doc.sha256
            assert len(data) == doc.size_bytes
            assert len(PdfReader(io.BytesIO(data)).pages) == doc.pages


def test_staff_queues_have_a_registration_and_a_request_waiting(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo", "--with-filings"]).exit_code == 0
    with app.app_context():
        states = db.session.scalars(select(AttorneyProfile.state)).all()
        assert states.count(RegistrationState.PENDING_REVIEW) == 1
        [request] = db.session.scalars(select(ANumberRequest)).all()
        assert request.state == RequestState.PENDING and request.a_numbers == ["034567890"]


def test_seed_filings_needs_the_demo_accounts(app):
    with app.app_context(), pytest.raises(LookupError, match="run seed-demo first"):
        seed_filings()


def test_the_plan_is_the_same_every_time():
    assert plan() == plan()
    assert len({f.key for f in plan()}) == len(plan())


@pytest.mark.parametrize("flaw", [None, *Flaw])
def test_demo_pdfs_are_judged_by_the_real_checks_as_described(flaw):
    data = demo_pdf("Motion to continue", 2, flaw)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        result = check_document(f.name, io.BytesIO(data), len(data), "m.pdf")
    assert result.pages == 2
    assert [p["code"] for p in result.problems] == ([flaw.value] if flaw else [])
