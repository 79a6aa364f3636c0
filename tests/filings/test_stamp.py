"""The served stamp: after the checks pass, a job stamps a copy of each document ("Served on OCC
<office>, <local time>, receipt <no.>" along the bottom of every page as shown, rotated pages and
offset crop boxes included) in a sandboxed child; the original stays byte-for-byte what the
receipt proves; staff read and download the stamped copy or ask for the original."""

from __future__ import annotations

import hashlib
import io
import time
from datetime import timedelta

import pypdfium2
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from filings import jobs, stamp_job
from filings.models import Document, Filing
from filings.stamp import BAND, MB, StampFailed, StampLimits, stamp_pdf
from tests.filings.decide_steps import serve
from tests.helpers import login
from tests.pdfs import brief_pdf, flate_bomb_pdf, pdf_bytes, slow_to_check_pdf

TEXT = "Served on OCC Atlanta, November 23, 2026, 2:05:09 PM EST, receipt ES-ATL-20261123-7KQ4-M2XD"


def awkward_pdf() -> bytes:
    """Pages turned every way, one with a crop box well inside its media box, one whose media
    box does not start at 0, 0, each with a line of its own text."""
    writer = PdfWriter()
    for rotate in (0, 90, 180, 270):
        writer.add_blank_page(612, 792).rotation = rotate
    writer.add_blank_page(600, 800).cropbox = RectangleObject([100, 150, 500, 700])
    page = writer.add_blank_page(600, 800)
    page.mediabox = RectangleObject([-300, -400, 300, 400])
    page.rotation = 90
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamp_rows(pdf: bytes) -> list[tuple[int, int, int]]:
    """For each page as shown: its height, and the first and last pixel rows with ink."""
    rows = []
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        image = page.render(scale=1).to_pil().convert("L")
        px = image.load()
        ink = [y for y in range(image.height) for x in range(0, image.width, 2) if px[x, y] < 200]
        rows.append((image.height, min(ink), max(ink)))
    document.close()
    return rows


def test_the_stamp_is_on_every_page_along_the_bottom_as_shown():
    original = awkward_pdf()
    stamped = stamp_pdf(original, TEXT)
    pages = PdfReader(io.BytesIO(stamped)).pages
    assert len(pages) == 6
    for page in pages:
        assert TEXT in page.extract_text()
    # Drawn at the bottom edge of the page as a reader sees it, whatever /Rotate and the crop
    # box say, and nowhere else.
    for height, first, last in _stamp_rows(stamped):
        assert height - BAND - 1 <= first and last < height
    assert [p.rotation for p in pages] == [0, 90, 180, 270, 0, 90]


def test_the_page_content_is_kept_and_readable_beside_the_stamp():
    stamped = stamp_pdf(pdf_bytes(pages=3, title="Exhibit"), TEXT)
    reader = PdfReader(io.BytesIO(stamped))
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert TEXT in page.extract_text()


def test_a_file_that_is_not_a_pdf_or_too_big_for_the_child_is_not_stamped():
    for bad in (b"%PDF-1.7\nnot really", b"hello"):
        try:
            stamp_pdf(bad, TEXT)
        except StampFailed as exc:
            assert "could not" in str(exc)
        else:
            raise AssertionError("stamped a file that is not a PDF")


def test_a_child_over_its_limits_is_stopped_and_stamps_nothing():
    started = time.monotonic()
    try:
        stamp_pdf(slow_to_check_pdf(), TEXT, StampLimits(cpu_seconds=30, wall_seconds=1))
    except StampFailed as exc:
        assert "longer than 1 s" in str(exc)
    else:
        raise AssertionError("a child past its wall limit was not stopped")
    assert time.monotonic() - started < 10
    try:
        stamp_pdf(brief_pdf(pages=500), TEXT, StampLimits(address_space_bytes=40 * MB))
    except StampFailed as exc:
        assert "memory" in str(exc) or "could not" in str(exc)
    else:
        raise AssertionError("a child with too little memory stamped anyway")
    # What compresses well is not unpacked to stamp it: a flate bomb stamps within the limits.
    bomb = stamp_pdf(flate_bomb_pdf(), TEXT, StampLimits(address_space_bytes=400 * MB))
    assert bomb.startswith(b"%PDF-")


# --- the job and the downloads, through HTTP -------------------------------------------------


def _get(client, url):
    """A download, read and closed as a WSGI server does (closing the stored file)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _doc(app, filing_id):
    with app.app_context():
        doc = db.session.get(Filing, filing_id).documents[0]
        db.session.expunge(doc)
        return doc


def test_a_served_set_is_stamped_and_staff_download_either_copy(app, attorney_client, staff_client):
    original = awkward_pdf()
    filing_id = serve(attorney_client, original)
    doc = _doc(app, filing_id)
    assert doc.stamped_storage_key and doc.stamped_at
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        expected = stamp_job.stamp_text(filing)
    assert expected.startswith("Served on OCC Atlanta, ") and filing_id not in expected
    base = f"/staff/filings/{filing_id}/documents/{doc.id}"

    stamped = _get(staff_client, base)
    assert stamped.status_code == 200 and stamped.headers["X-Served-Copy"] == "stamped"
    assert "X-Content-SHA256" not in stamped.headers
    for page in PdfReader(io.BytesIO(stamped.data)).pages:
        assert expected in page.extract_text()

    served = _get(staff_client, f"{base}?copy=original")
    assert served.status_code == 200 and served.data == original
    assert served.headers["X-Content-SHA256"] == hashlib.sha256(original).hexdigest()
    assert _get(staff_client, f"{base}?copy=stamped").data == stamped.data
    for bad in ("bogus", "ORIGINAL", "../original"):
        assert _get(staff_client, f"{base}?copy={bad}").status_code == 400, bad

    # The original in the store is untouched: the bytes the receipt proves.
    with app.app_context():
        storage = app.extensions["eservice.storage"]
        with storage.open(doc.storage_key) as kept:
            assert hashlib.sha256(kept.read()).hexdigest() == doc.sha256
        copies = [
            e.detail.get("copy")
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "document.download")
                .order_by(AuditEvent.id)
            )
        ]
        assert copies == ["stamped", "original", "stamped"]
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.stamped"))

    # The staff page offers both; the attorney gets only the original.
    page = staff_client.get(f"/staff/filings/{filing_id}").get_data(as_text=True)
    assert f'href="{base}?copy=original"' in page and "(stamped copy)" in page
    own = _get(attorney_client, f"/filings/{filing_id}/documents/{doc.id}")
    assert own.data == original
    assert _get(attorney_client, f"/filings/{filing_id}/documents/{doc.id}?copy=stamped").data == (
        original
    )


def test_staff_page_images_show_the_stamped_copy(app, attorney_client, staff_client):
    filing_id = serve(attorney_client, pdf_bytes(pages=1))
    doc = _doc(app, filing_id)
    png = staff_client.get(f"/staff/filings/{filing_id}/documents/{doc.id}/pages/1.png?width=612")
    assert png.status_code == 200
    from PIL import Image

    image = Image.open(io.BytesIO(png.data)).convert("L")
    bottom = [image.getpixel((x, image.height - 4)) for x in range(0, image.width, 2)]
    assert min(bottom) < 200  # the stamp's ink in the band at the bottom edge


def test_other_offices_and_attorneys_get_nothing(app, attorney_client, make_staff):
    filing_id = serve(attorney_client)
    doc = _doc(app, filing_id)
    make_staff("staff.nyc@occ.example", office="NYC")
    nyc = app.test_client()
    login(nyc, "staff.nyc@occ.example")
    url = f"/staff/filings/{filing_id}/documents/{doc.id}"
    assert _get(nyc, url).status_code == 404
    assert _get(nyc, f"{url}?copy=original").status_code == 404
    assert _get(attorney_client, url).status_code in (403, 404)


def test_running_the_job_twice_stamps_once_and_the_sweep_keeps_the_copy(
    app, attorney_client, monkeypatch
):
    filing_id = serve(attorney_client)
    doc = _doc(app, filing_id)
    with app.app_context():
        assert stamp_job.stamp_filing(filing_id) == 0
        assert db.session.get(Document, doc.id).stamped_storage_key == doc.stamped_storage_key
        storage = app.extensions["eservice.storage"]
        before = sorted(storage.keys())
        assert jobs.sweep_orphaned_documents(older_than_seconds=-60) == 0
        assert sorted(storage.keys()) == before
        assert doc.stamped_storage_key in before and doc.storage_key in before


def test_a_document_the_child_cannot_stamp_keeps_its_original(app, attorney_client, staff_client):
    filing_id = serve(attorney_client, pdf_bytes(pages=2))
    doc = _doc(app, filing_id)
    with app.app_context():
        # As if never stamped, then a child with too little time to start.
        row = db.session.get(Document, doc.id)
        storage = app.extensions["eservice.storage"]
        storage.delete(row.stamped_storage_key)
        row.stamped_storage_key, row.stamped_at = None, None
        db.session.commit()
        keys = sorted(storage.keys())
        limits = StampLimits(address_space_bytes=40 * MB, cpu_seconds=1, wall_seconds=1)
        assert stamp_job.stamp_filing(filing_id, limits) == 0
        assert db.session.get(Document, doc.id).stamped_storage_key is None
        assert sorted(storage.keys()) == keys  # nothing stored
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "document.stamp_failed")
        ).all()
        assert event.object_id == doc.id and event.outcome == "failure"
    response = _get(staff_client, f"/staff/filings/{filing_id}/documents/{doc.id}")
    assert response.headers["X-Served-Copy"] == "original"
    assert hashlib.sha256(response.data).hexdigest() == doc.sha256
    stamped = _get(staff_client, f"/staff/filings/{filing_id}/documents/{doc.id}?copy=stamped")
    assert stamped.status_code == 404
    page = staff_client.get(f"/staff/filings/{filing_id}").get_data(as_text=True)
    assert "?copy=original" not in page


def test_a_copy_stored_but_never_recorded_is_swept_and_a_lost_job_is_queued_again(
    app, attorney_client
):
    filing_id = serve(attorney_client)
    doc = _doc(app, filing_id)
    with app.app_context():
        storage = app.extensions["eservice.storage"]
        # A crash between storing a copy and recording it: the row still names none.
        row = db.session.get(Document, doc.id)
        row.stamped_storage_key, row.stamped_at = None, None
        filing = db.session.get(Filing, filing_id)
        filing.checked_at = db.utcnow() - timedelta(hours=1)
        db.session.commit()
        assert jobs.sweep_orphaned_documents(older_than_seconds=-60) == 1
        assert not storage.exists(doc.stamped_storage_key) and storage.exists(doc.storage_key)
        # The sweep queues the stamp job again (run inline here), which stamps it anew.
        assert stamp_job.sweep_unstamped() == 1
        again = db.session.get(Document, doc.id)
        assert again.stamped_storage_key not in (None, doc.stamped_storage_key)
        assert storage.exists(again.stamped_storage_key)
        assert stamp_job.sweep_unstamped() == 0
