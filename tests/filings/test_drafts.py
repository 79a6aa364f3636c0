"""The set in progress: a refused set keeps its good files, so only the wrong one is sent again;
a draft is its owner's only; it is purged a day after its last change."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta

from sqlalchemy import select, update

from app import db
from app.audit import AuditEvent
from filings import drafts
from filings.draft_models import DraftFile, DraftSet
from filings.models import Document, Filing
from tests.helpers import PASSWORD, login, multipart, row_count, serve_form, stored_files
from tests.pdfs import pdf_bytes

NOT_PDF = b"Dear court,\nplease find attached.\n"


def _page_fields(client, path: str = "/filings/new") -> dict[str, str]:
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    submission = re.search(r'name="submission_id" type="hidden" value="([^"]*)"', page)
    assert token and submission
    return {"csrf_token": token.group(1), "submission_id": submission.group(1)}


def _post(client, files: list[tuple[bytes, str]], **fields) -> object:
    """The serve page sent again as it stands (its fields), with ``files`` attached."""
    data = {**_page_fields(client), **fields}
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post("/filings/new", **multipart(data))


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_refused_set_keeps_its_good_pdfs_and_serves_with_only_the_fixed_file(
    app, attorney_client
):
    brief, exhibit, fixed = (
        pdf_bytes(3, title="brief"),
        pdf_bytes(1, title="exhibit"),
        pdf_bytes(2, title="letter"),
    )
    refused = serve_form(
        attorney_client,
        [(brief, "Brief.pdf"), (NOT_PDF, "Letter.pdf"), (exhibit, "Exhibit A.pdf")],
        detained="y",
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "“Letter.pdf” is not a PDF" in page
    assert "Kept: Brief.pdf" in page and "(3 pages," in page and "Kept: Exhibit A.pdf" in page
    assert 'href="#files"' in page  # the file's problem links to the input to fix
    assert row_count(app, Filing) == 0 and row_count(app, DraftFile) == 2
    assert len(stored_files(app)) == 2

    # Back on the page (as after a reload), the fields are as typed.
    again = attorney_client.get("/filings/new").get_data(as_text=True)
    assert "You have a set in progress" in again and 'value="Motion to continue"' in again

    served = _post(
        attorney_client,
        [(fixed, "Letter.pdf")],
        office="ATL",
        a_number="A012-345-678",
        document_type="motion",
        title="Motion to continue",
        detained="y",
    )
    assert served.status_code == 303, served.get_data(as_text=True)
    with app.app_context():
        filing = db.session.scalar(select(Filing))
        assert filing is not None and filing.detained
        docs = [(d.filename, d.sha256, d.pages) for d in filing.documents]
        keys = {d.storage_key for d in filing.documents}
    assert docs == [
        ("Brief.pdf", hashlib.sha256(brief).hexdigest(), 3),
        ("Exhibit A.pdf", hashlib.sha256(exhibit).hexdigest(), 1),
        ("Letter.pdf", hashlib.sha256(fixed).hexdigest(), 2),
    ]
    assert row_count(app, DraftSet) == 0 and row_count(app, DraftFile) == 0
    assert set(stored_files(app)) == keys  # the kept bytes became the documents': no copies
    storage = app.extensions["eservice.storage"]
    with app.app_context():
        first = db.session.scalar(select(Document).where(Document.position == 1))
        assert first is not None
        with storage.open(first.storage_key) as stream:
            assert stream.read() == brief
    actions = _actions(app)
    assert {"draft.created", "draft.files_kept", "draft.served", "filing.received"} <= set(actions)


def test_a_field_left_out_keeps_every_file_and_says_the_services_words(app, attorney_client):
    response = serve_form(attorney_client, [(pdf_bytes(), "a.pdf")], title="  ")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give the document set a title." in page and "This field is required" not in page
    assert 'aria-invalid="true"' in page and '<a href="#title">' in page
    assert "Kept: a.pdf" in page and row_count(app, DraftFile) == 1


def test_a_draft_file_of_another_attorney_is_not_found(app, attorney_client, make_attorney):
    serve_form(attorney_client, [(pdf_bytes(), "mine.pdf")], title="")
    with app.app_context():
        file_id = db.session.scalar(select(DraftFile.id))
    make_attorney("other@firm.example", eoir_id="LW999999", a_numbers=("087654321",))
    other = app.test_client()
    login(other, "other@firm.example", PASSWORD)
    for action in (f"remove:{file_id}", f"up:{file_id}"):
        response = _post(other, [], action=action)
        assert response.status_code == 404
    assert row_count(app, DraftFile) == 1
    assert "mine.pdf" not in other.get("/filings/new").get_data(as_text=True)


def test_files_are_removed_and_reordered_one_by_one(app, attorney_client):
    one, two, three = (pdf_bytes(1, title=t) for t in ("one", "two", "three"))
    _post(
        attorney_client, [(one, "one.pdf"), (two, "two.pdf"), (three, "three.pdf")], action="save"
    )
    with app.app_context():
        ids = {f.filename: f.id for f in db.session.scalars(select(DraftFile))}
    moved = _post(attorney_client, [], action=f"up:{ids['three.pdf']}")
    assert moved.status_code == 200
    page = moved.get_data(as_text=True)
    assert page.index("Kept: three.pdf") < page.index("Kept: two.pdf")
    removed = _post(attorney_client, [], action=f"remove:{ids['one.pdf']}")
    assert "Removed one.pdf from the set." in removed.get_data(as_text=True)
    assert row_count(app, DraftFile) == 2 and len(stored_files(app)) == 2


def test_discarding_the_set_removes_its_files(app, attorney_client):
    _post(attorney_client, [(pdf_bytes(), "a.pdf")], action="save", title="x")
    assert len(stored_files(app)) == 1
    response = _post(attorney_client, [], action="discard")
    assert response.status_code == 303
    assert row_count(app, DraftSet) == 0 and stored_files(app) == []
    assert "draft.discarded" in _actions(app)


def test_a_draft_is_purged_a_day_after_its_last_change(app, attorney_client):
    _post(attorney_client, [(pdf_bytes(), "a.pdf")], action="save", title="x")
    with app.app_context():
        assert drafts.purge_expired() == 0  # young: kept
        db.session.execute(
            update(DraftSet).values(updated_at=db.utcnow() - timedelta(days=1, minutes=1))
        )
        db.session.commit()
        assert drafts.purge_expired() == 1
    assert row_count(app, DraftSet) == 0 and stored_files(app) == []


def test_an_idempotent_double_submit_serves_once(app, attorney_client):
    fields = {
        **_page_fields(attorney_client),
        "office": "ATL",
        "a_number": "A012-345-678",
        "document_type": "motion",
        "title": "Twice",
    }
    content = pdf_bytes()
    locations = []
    for _ in range(2):
        data = {**fields, "files": [(io.BytesIO(content), "m.pdf")]}
        response = attorney_client.post("/filings/new", **multipart(data))
        assert response.status_code == 303
        locations.append(response.headers["Location"])
    assert locations[0] == locations[1]
    assert row_count(app, Filing) == 1 and row_count(app, DraftSet) == 0
    assert len(stored_files(app)) == 1


def test_per_document_types_through_the_form(app, attorney_client):
    _post(
        attorney_client,
        [(pdf_bytes(1, title="m"), "motion.pdf"), (pdf_bytes(1, title="e"), "e28.pdf")],
        action="save",
        document_types=["", "e28"],
    )
    with app.app_context():
        rows = {f.filename: f for f in db.session.scalars(select(DraftFile))}
        assert rows["e28.pdf"].document_type == "e28" and rows["motion.pdf"].document_type is None
        motion_id = rows["motion.pdf"].id
    served = _post(
        attorney_client,
        [],
        office="ATL",
        a_number="A099-999-999",  # no E-28 on record: the E-28 in the set lets it through
        document_type="motion",
        title="With E-28",
        **{f"type-{motion_id}": "brief"},
    )
    assert served.status_code == 303, served.get_data(as_text=True)
    with app.app_context():
        filing = db.session.scalar(select(Filing))
        assert filing is not None and filing.self_declared_e28
        assert [d.document_type for d in filing.documents] == ["brief", "e28"]


def test_per_document_types_through_the_api(app, client, api_token):
    from tests.helpers import api_post

    response = api_post(
        client,
        api_token,
        [(pdf_bytes(1, title="m"), "m.pdf"), (pdf_bytes(1, title="x"), "x.pdf")],
        document_types=["", "evidence"],
    )
    assert response.status_code == 201, response.get_json()
    assert [d["document_type"] for d in response.get_json()["documents"]] == [
        "motion",
        "evidence",
    ]
    bad = api_post(client, api_token, [(pdf_bytes(), "m.pdf")], document_types=["poem"])
    assert bad.status_code == 422
    assert bad.get_json()["errors"][0]["message"] == "Choose each document's type from the list."
    assert row_count(app, DraftSet) == 0  # the API keeps no drafts: nothing is half-stored


def test_serving_a_corrected_set_keeps_the_good_documents_and_leaves_out_the_refused(
    app, attorney_client, make_attorney
):
    from tests.pdfs import pdf_with_javascript

    good = pdf_bytes(2, title="good")
    refused = serve_form(
        attorney_client,
        [(good, "Motion.pdf"), (pdf_with_javascript(), "Exhibit.pdf")],
        title="Refused set",
    )
    assert refused.status_code == 303  # received; the checks refuse it after the commit
    with app.app_context():
        filing = db.session.scalar(select(Filing))
        assert filing is not None and filing.status == "refused"
        filing_id, old_key = filing.id, filing.documents[0].storage_key

    page = attorney_client.get(f"/filings/new?correct={filing_id}").get_data(as_text=True)
    assert "Serving a corrected set of" in page and "Attach a corrected copy of Exhibit.pdf" in page
    assert "Kept: Motion.pdf" in page and "Kept: Exhibit.pdf" not in page
    assert 'value="Refused set"' in page and 'value="A012-345-678"' in page
    # A reload makes no second copy.
    attorney_client.get(f"/filings/new?correct={filing_id}")
    with app.app_context():
        [kept] = db.session.scalars(select(DraftFile)).all()
        assert kept.sha256 == hashlib.sha256(good).hexdigest() and kept.storage_key != old_key

    served = _post(
        attorney_client,
        [(pdf_bytes(1, title="clean"), "Exhibit.pdf")],
        office="ATL",
        a_number="A012-345-678",
        document_type="motion",
        title="Refused set",
    )
    assert served.status_code == 303
    with app.app_context():
        second = db.session.scalar(select(Filing).where(Filing.id != filing_id))
        assert second is not None and second.status == "served"
        assert [d.filename for d in second.documents] == ["Motion.pdf", "Exhibit.pdf"]

    # Only a refused set of one's own: a served one, or another attorney's, is not found.
    assert attorney_client.get(f"/filings/new?correct={second.id}").status_code == 404
    make_attorney("other@firm.example", eoir_id="LW999999", a_numbers=("087654321",))
    other = app.test_client()
    login(other, "other@firm.example", PASSWORD)
    assert other.get(f"/filings/new?correct={filing_id}").status_code == 404


def test_a_form_sent_after_the_session_ended_says_so_and_keeps_the_draft(app, attorney_client):
    _post(attorney_client, [(pdf_bytes(), "kept.pdf")], action="save", title="x")
    with app.app_context():
        db.session.execute(update(DraftSet).values(updated_at=db.utcnow()))
        db.session.commit()
    stale = _page_fields(attorney_client)
    from app.sessions import UserSession

    with app.app_context():  # the session ends on the server (idle limit)
        db.session.execute(update(UserSession).values(ended_at=db.utcnow()))
        db.session.commit()
    data = {**stale, "title": "x", "files": [(io.BytesIO(pdf_bytes(1, title="n")), "new.pdf")]}
    response = attorney_client.post("/filings/new", **multipart(data))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Your session ended before the set was sent" in page
    assert "Your set in progress is kept for a day" in page and "/login?next=/filings/new" in page
    assert row_count(app, DraftFile) == 1


def test_the_sweep_of_unreferenced_bytes_keeps_a_drafts_files(app, attorney_client):
    _post(attorney_client, [(pdf_bytes(), "a.pdf")], action="save", title="x")
    kept = stored_files(app)
    assert len(kept) == 1
    with app.app_context():
        from filings.jobs import sweep_orphaned_documents

        # Every object counts as old: only what a row points to is kept.
        assert sweep_orphaned_documents(older_than_seconds=-3600) == 0
    assert stored_files(app) == kept
    _post(attorney_client, [], action="discard")
    assert stored_files(app) == []
