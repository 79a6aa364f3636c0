"""The Notice of Service PDF: every item of the receipt readable from the PDF, the signed
receipt as text, as QR codes (decoded) and as an embedded file byte-for-byte; served and not
served unmistakable; the attorney's own filing, the office's staff and the API only."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
import segno
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select, update

from app import db
from app.audit import AuditEvent
from filings.models import Filing, FilingStatus
from filings.notice_pdf import Notice, NoticeDocument, build, jws_filename, qr_sequence
from tests.filings.decide_steps import serve
from tests.helpers import login
from tests.pdfs import pdf_bytes
from tests.services import need

JWS_HEAD = "eyJhbGciOiJFZERTQSIsImtpZCI6InRlc3QiLCJ0eXAiOiJKT1NFIn0"


def _jws(payload_chars: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
    body = (alphabet * (payload_chars // 64 + 1))[:payload_chars]
    return f"{JWS_HEAD}.{body}.c2lnbmF0dXJlLW9mLXRoZS1yZWNlaXB0"


def _notice(jws: str, served: bool = True, **changes: object) -> Notice:
    fields: dict[str, object] = {
        "receipt_number": "ES-ATL-20261123-7KQ4-M2XD",
        "office": "OCC Atlanta (ATL)",
        "served": served,
        "state": "Served" if served else "NOT SERVED: refused",
        "state_detail": "Served on OCC Atlanta." if served else "Nothing in this set was served.",
        "filer_name": "Zoë Ñúñez-Łukasz",
        "filer_firm": "Ñúñez & Partners",
        "filer_ids": "GA bar no. 448812; EOIR ID LW123456",
        "a_numbers": ["A012-345-678", "A087-654-321"],
        "document_type": "Motion",
        "title": "Motion to continue — Ελληνικά кириллица 日本語",
        "received_local": "November 23, 2026, 2:05:09 PM EST (19:05:09 UTC), America/New_York",
        "received_utc": "2026-11-23T19:05:09.123456Z",
        "documents": [
            NoticeDocument("Exhibit Ω ж é.pdf", "Motion", 3, 12345, "0123456789abcdef" * 4),
            NoticeDocument("Brief.pdf", "Brief", 1, 999, "fedcba9876543210" * 4),
        ],
        "jws": jws,
        "verify_url": "http://localhost:5000/verify",
        "jwks_url": "http://localhost:5000/.well-known/jwks.json",
    }
    fields.update(changes)
    return Notice(**fields)  # type: ignore[arg-type]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _qr_images(pdf: bytes) -> list[Image.Image]:
    return [
        image.image.convert("L")
        for page in PdfReader(io.BytesIO(pdf)).pages
        for image in page.images
        if image.image is not None
    ]


def _modules(image: Image.Image, size: int) -> list[list[bool]]:
    """The dark modules of a QR image drawn with the builder's scale and quiet zone."""
    scale = image.width // (size + 8)
    px = image.load()
    return [
        [px[(4 + c) * scale + scale // 2, (4 + r) * scale + scale // 2] < 128 for c in range(size)]
        for r in range(size)
    ]


def test_every_item_of_the_receipt_reads_back_from_the_pdf():
    notice = _notice(_jws(700))
    text = _text(build(notice))
    for item in (
        notice.receipt_number,
        "OCC Atlanta (ATL)",
        "Zoë Ñúñez-Łukasz",
        "Ñúñez & Partners",
        "GA bar no. 448812; EOIR ID LW123456",
        "A012-345-678, A087-654-321",
        "Motion to continue — Ελληνικά кириллица",  # these print; CJK is replaced, never a crash
        "November 23, 2026, 2:05:09 PM EST",
        "2026-11-23T19:05:09.123456Z",
        "Exhibit Ω ж é.pdf",
        "3 pages; 12,345 bytes",
        "0123456789abcdef" * 4,  # the whole SHA-256, unbroken
        "fedcba9876543210" * 4,
        "Served",
        "http://localhost:5000/verify",
        "http://localhost:5000/.well-known/jwks.json",
        jws_filename(notice.receipt_number),
    ):
        assert item in text, item
    assert "NOT SERVED" not in text
    assert notice.jws in text.replace("\n", "")  # the JWS text, wrapped over lines


def test_a_set_not_served_says_so_on_every_page():
    pdf = build(_notice(_jws(6000), served=False))
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) > 2
    assert all("NOT SERVED" in page for page in pages)
    assert "NOT SERVED: refused" in pages[0] and "Nothing in this set was served." in pages[0]


def test_the_embedded_file_is_the_jws_byte_for_byte():
    notice = _notice(_jws(1500))
    attachments = PdfReader(io.BytesIO(build(notice))).attachments
    assert attachments == {jws_filename(notice.receipt_number): [notice.jws.encode()]}


@pytest.mark.parametrize("length", [500, 4000])
def test_the_qr_codes_hold_the_jws_as_a_labelled_sequence(length):
    notice = _notice(_jws(length))
    pdf = build(notice)
    symbols = qr_sequence(notice.jws)
    assert (len(symbols) == 1) == (length == 500)
    text = _text(pdf)
    for i in range(1, len(symbols) + 1):
        assert f"QR {i} of {len(symbols)}" in text
    images = _qr_images(pdf)
    assert len(images) == len(symbols)
    # Every image in the PDF is exactly the symbol a fresh encoding of the JWS gives.
    for image, symbol in zip(images, symbols, strict=True):
        size = symbol.symbol_size(border=0)[0]
        expected = [[bool(v) for v in row] for row in symbol.matrix]
        assert _modules(image, size) == expected
    again = segno.make_sequence(notice.jws, version=20, error="L", boost_error=False)
    if len(symbols) > 1:
        assert [s.matrix for s in again] == [s.matrix for s in symbols]


def test_a_qr_reader_gets_the_jws_back(tmp_path):
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        need("zbarimg (apt-get install zbar-tools) to read the QR codes back")
    notice = _notice(_jws(2000))
    images = _qr_images(build(notice))
    assert len(images) > 1  # a structured-append sequence, which the reader joins
    sheet = Image.new("L", (sum(i.width for i in images) + 40, max(i.height for i in images)), 255)
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + 40 // len(images)
    path = tmp_path / "qr.png"
    sheet.resize((sheet.width * 2, sheet.height * 2), Image.NEAREST).save(path)
    out = subprocess.run([zbarimg, "--raw", "-q", str(path)], capture_output=True, check=False)
    assert out.stdout.decode().strip() == notice.jws


def test_a_jws_too_long_for_16_symbols_still_builds_with_the_file_and_text():
    notice = _notice(_jws(60_000))
    pdf = build(notice)
    assert qr_sequence(notice.jws) == []
    assert "too long for QR codes" in _text(pdf)
    assert PdfReader(io.BytesIO(pdf)).attachments[jws_filename(notice.receipt_number)] == [
        notice.jws.encode()
    ]


def test_control_characters_and_unprintable_names_do_not_break_the_pdf():
    notice = _notice(
        _jws(100),
        title="Bad\x00title\x1b[31m 🙂 \u202e",
        documents=[NoticeDocument("a\tb\x07.pdf", "Motion", 1, 1, "a" * 64)],
    )
    text = _text(build(notice))
    assert "Bad?title?[31m" in text and "a?b?.pdf" in text


# --- through HTTP ----------------------------------------------------------------------------


def _get_pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response


def test_the_attorney_downloads_the_notice_of_their_served_set(app, attorney_client):
    filing_id = serve(attorney_client, pdf_bytes(pages=2))
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        number, sha = filing.receipt_number, filing.documents[0].sha256
        assert filing.status == FilingStatus.SERVED
    page = attorney_client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert f'href="/filings/{filing_id}/receipt.pdf"' in page
    response = _get_pdf(attorney_client, f"/filings/{filing_id}/receipt.pdf")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="notice-of-service-{number}.pdf"'
    )
    text = _text(response.data)
    assert number in text and sha in text and "Lee Lawyer" in text and "A012-345-678" in text
    assert "NOT SERVED" not in text
    [jws] = PdfReader(io.BytesIO(response.data)).attachments[jws_filename(number)]
    with app.app_context():
        from filings import signed_receipts

        claims = signed_receipts.verify(jws.decode())
        assert claims["receipt_number"] == number and claims["status"] == "served"
        assert claims["documents"][0]["sha256"] == sha
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "filing.notice_download")
        ).all()
        assert event.object_id == filing_id


def test_a_refused_set_gets_a_notice_that_says_not_served(app, attorney_client):
    filing_id = serve(attorney_client, pdf_bytes(pages=1))
    with app.app_context():
        db.session.execute(
            update(Filing).where(Filing.id == filing_id).values(status=FilingStatus.REFUSED)
        )
        db.session.commit()
    text = _text(_get_pdf(attorney_client, f"/filings/{filing_id}/receipt.pdf").data)
    assert "NOT SERVED: refused" in text


def test_nobody_else_gets_the_notice(app, attorney_client, make_attorney, make_staff):
    filing_id = serve(attorney_client)
    make_attorney("other@firm.example", a_numbers=("087654321",), eoir_id="ZZ999999")
    other = app.test_client()
    login(other, "other@firm.example")
    assert other.get(f"/filings/{filing_id}/receipt.pdf").status_code == 404
    assert other.get("/filings/no-such-filing/receipt.pdf").status_code == 404
    make_staff("staff.nyc@occ.example", office="NYC")
    nyc = app.test_client()
    login(nyc, "staff.nyc@occ.example")
    assert nyc.get(f"/staff/filings/{filing_id}/receipt.pdf").status_code == 404
    # Staff pages are not attorney pages, and the other way round.
    assert attorney_client.get(f"/staff/filings/{filing_id}/receipt.pdf").status_code in (403, 404)
    anonymous = app.test_client()
    assert anonymous.get(f"/filings/{filing_id}/receipt.pdf").status_code in (302, 401)


def test_staff_of_the_office_download_the_notice(app, attorney_client, staff_client):
    filing_id = serve(attorney_client)
    page = staff_client.get(f"/staff/filings/{filing_id}").get_data(as_text=True)
    assert f'href="/staff/filings/{filing_id}/receipt.pdf"' in page
    response = _get_pdf(staff_client, f"/staff/filings/{filing_id}/receipt.pdf")
    assert "Served" in _text(response.data)


def test_the_api_gives_the_notice_of_the_callers_own_filing_only(app, api_token, make_attorney):
    from tests.helpers import api_post

    client = app.test_client()
    created = api_post(client, api_token, [(pdf_bytes(), "Motion.pdf")])
    assert created.status_code == 201, created.get_json()
    filing_id = created.get_json()["id"]
    auth = {"Authorization": f"Bearer {api_token}"}
    response = client.get(f"/api/v1/filings/{filing_id}/receipt.pdf", headers=auth)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    number = created.get_json()["receipt_number"]
    assert number in _text(response.data)
    assert client.get(f"/api/v1/filings/{filing_id}/receipt.pdf").status_code == 401
    missing = client.get("/api/v1/filings/nope/receipt.pdf", headers=auth)
    assert missing.status_code == 404 and missing.get_json()["errors"][0]["code"] == "not_found"
    from filings.tokens import create_token

    other = make_attorney("other@firm.example", a_numbers=("087654321",), eoir_id="ZZ999999")
    with app.app_context():
        token = create_token(db.session.get(type(other), other.id), "other")
    theirs = client.get(
        f"/api/v1/filings/{filing_id}/receipt.pdf", headers={"Authorization": f"Bearer {token}"}
    )
    assert theirs.status_code == 404
