"""Staff read a document's pages as PNG images drawn in a sandboxed child, never the PDF
itself: that office's staff only, pages 1..N only, a bounded width; a hostile PDF costs the
child only."""

from __future__ import annotations

import struct
import time

import pytest
from sqlalchemy import select

from app import db
from app.audit import AuditEvent
from filings.models import Filing
from filings.pagerender import MB, RenderFailed, RenderLimits, render_page
from tests.filings.decide_steps import serve
from tests.helpers import login
from tests.pdfs import flate_bomb_pdf, pdf_bytes

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_MAGIC) and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _pages_url(app, filing_id):
    with app.app_context():
        doc = db.session.get(Filing, filing_id).documents[0]
    return f"/staff/filings/{filing_id}/documents/{doc.id}/pages"


def test_a_page_is_a_real_png_of_the_asked_width_served_safely(app, attorney_client, staff_client):
    filing_id = serve(attorney_client, pdf_bytes(pages=3))
    base = _pages_url(app, filing_id)
    response = staff_client.get(f"{base}/2.png?width=600")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert _png_size(response.data)[0] == 600
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"].startswith("private")
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "document.page_view")
        ).all()
        assert event.detail == {"filing": filing_id, "page": 2}


def test_the_viewer_shows_one_page_with_words_and_links_not_the_pdf(
    app, attorney_client, staff_client
):
    filing_id = serve(attorney_client, pdf_bytes(pages=3))
    base = _pages_url(app, filing_id)
    html = staff_client.get(f"{base}?page=2").get_data(as_text=True)
    assert 'alt="Page 2 of 3 of Motion.pdf"' in html and f'src="{base}/2.png"' in html
    assert "Previous page" in html and "Next page" in html and "Download PDF" in html
    assert "<embed" not in html and "<iframe" not in html and "<object" not in html
    last = staff_client.get(f"{base}?page=3").get_data(as_text=True)
    assert "Next page" not in last
    show = staff_client.get(f"/staff/filings/{filing_id}").get_data(as_text=True)
    assert f'href="{base}"' in show


def test_pages_outside_the_document_and_odd_widths_are_refused(app, attorney_client, staff_client):
    filing_id = serve(attorney_client, pdf_bytes(pages=2))
    base = _pages_url(app, filing_id)
    for page in ("0", "3", "-1", "99999999999999999999"):
        assert staff_client.get(f"{base}/{page}.png").status_code == 404, page
    assert staff_client.get(f"{base}?page=3").status_code == 404
    for width in ("50", "5000", "wide"):
        assert staff_client.get(f"{base}/1.png?width={width}").status_code == 400, width


def test_only_staff_of_the_office_see_the_pages(app, attorney_client, make_staff):
    filing_id = serve(attorney_client)
    base = _pages_url(app, filing_id)
    assert attorney_client.get(f"{base}/1.png").status_code == 404
    make_staff("staff.nyc@occ.example", office="NYC")
    nyc = app.test_client()
    login(nyc, "staff.nyc@occ.example")
    assert nyc.get(f"{base}/1.png").status_code == 404
    assert nyc.get(base).status_code == 404
    assert app.test_client().get(f"{base}/1.png").status_code in (302, 401, 404)


@pytest.mark.parametrize(
    ("limits", "words"),
    [
        (RenderLimits(address_space_bytes=300 * MB, cpu_seconds=5, wall_seconds=20), "memory"),
        (RenderLimits(address_space_bytes=4096 * MB, cpu_seconds=1, wall_seconds=20), "CPU"),
        (RenderLimits(address_space_bytes=4096 * MB, cpu_seconds=30, wall_seconds=1), "longer"),
    ],
)
def test_a_hostile_page_costs_the_child_only(limits, words):
    # 150 MB of drawing commands behind 400 KB of Flate: memory, CPU or time, by the limits.
    bomb = flate_bomb_pdf(decoded_mb=150, fill=b"0 0 m 600 800 l 5 w S\n")
    started = time.monotonic()
    with pytest.raises(RenderFailed, match=words):
        render_page(bomb, 1, 300, limits)
    assert time.monotonic() - started < limits.wall_seconds + 5
    # and this process draws the next page as before
    assert render_page(pdf_bytes(), 1, 300).startswith(PNG_MAGIC)
