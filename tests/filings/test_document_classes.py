"""Each class of document, both sides, through the API on SQLite and PostgreSQL: the
legitimate variant served, the dangerous one refused with its own code (at the door, 422, or
by the check after the receipt)."""

from __future__ import annotations

import zlib

import pytest

from tests import pdf_classes, pdfs
from tests.helpers import api_post

LEGITIMATE = {
    "scan: JBIG2 image (never decoded)": pdf_classes.image_pdf(
        b"/JBIG2Decode", b"\x00\x00\x00\x01jb2"
    ),
    "scan: CCITT G4 image": pdf_classes.image_pdf(
        b"/CCITTFaxDecode", b"\x26\xa0g4", b"/DecodeParms << /K -1 /Columns 2480 >>"
    ),
    "scan: JPEG image": pdf_classes.image_pdf(b"/DCTDecode", b"\xff\xd8\xff\xe0jpeg"),
    "scan: JPEG 2000 image": pdf_classes.image_pdf(b"/JPXDecode", b"\x00\x00\x00\x0cjP  "),
    "scan: Flate then JPEG": pdf_classes.image_pdf(
        b"[/FlateDecode /DCTDecode]", zlib.compress(b"\xff\xd8" * 4096)
    ),
    "incremental updates": pdf_classes.incremental_update_pdf(3),
    "hybrid cross-reference (XRefStm)": pdf_classes.hybrid_reference_pdf(),
    "/BM /Screen blend mode": pdf_classes.blend_mode_screen_pdf(),
    "2,000 bookmarks chained by /Next": pdf_classes.outline_pdf(2000),
    "arrays nested 80 deep": pdfs.deeply_nested_pdf(80),
    "reference to a missing object (strict parse fails)": pdf_classes.dangling_reference_pdf(),
    "no %%EOF marker (strict open fails at the door)": pdf_classes.without_end_marker(
        pdfs.brief_pdf(3)
    ),
    "link: https": pdf_classes.link_pdf(b"https://www.justice.gov/eoir"),
    "link: mailto": pdf_classes.link_pdf(b"mailto:clerk@court.example"),
    "link: ftp": pdf_classes.link_pdf(b"ftp://ftp.example.org/pub/forms"),
    "link: web address without a scheme": pdf_classes.link_pdf(b"www.uscis.gov/forms"),
    "link: open action to a web page": pdf_classes.link_pdf(b"https://www.ice.gov", "open"),
    "link: tel": pdf_classes.link_pdf(b"tel:+12025550100"),
    "link: mailto with subject and body": pdf_classes.link_pdf(
        b"mailto:a@b.example?subject=Hi&body=x"
    ),
    "structure element whose style is called Sound": pdfs.raw_pdf(
        pdfs.minimal_pdf_objects(
            b"/StructTreeRoot 4 0 R /MarkInfo << /Marked true >>", b"/StructParents 0"
        )
        + [
            b"<< /Type /StructTreeRoot /K 5 0 R /RoleMap << /Sound /Figure >> >>",
            b"<< /S /Sound /P 4 0 R /Pg 3 0 R /K 0 >>",
        ]
    ),
    "padding of NULs after %%EOF": pdf_classes.with_trailing(
        pdfs.pdf_bytes(), b"\0" * 2048 + b"\r\n"
    ),
    "linearized with object streams": pdfs.rewritten_with_qpdf(
        pdfs.brief_pdf(20), linearize=True, object_streams=True
    ),
}

HOSTILE_AFTER_RECEIPT = {
    "link: javascript:": (pdf_classes.link_pdf(b"javascript:app.alert(1)"), "unsafe_link"),
    "link: JavaScript: behind spaces, as open action": (
        pdf_classes.link_pdf(b"  JavaScript:app.alert(1)", "open"),
        "unsafe_link",
    ),
    "link: file:": (pdf_classes.link_pdf(b"file:///C:/Windows/System32/calc.exe"), "unsafe_link"),
    "link: Windows share": (pdf_classes.link_pdf(b"\\\\\\\\attacker\\\\share\\\\x"), "unsafe_link"),
    "link: data:": (
        pdf_classes.link_pdf(b"data:text/html,<script>alert(1)</script>"),
        "unsafe_link",
    ),
    "link: path out of its folder": (
        pdf_classes.link_pdf(b"../../Windows/calc.exe"),
        "unsafe_link",
    ),
    "relative link resolved against a file: base": (
        pdfs.raw_pdf(
            pdfs.minimal_pdf_objects(
                b"/URI << /Base (file:///C:/Windows/System32/) >>", b"/Annots [4 0 R]"
            )
            + [
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
                b"/A << /S /URI /URI (calc.exe) >> >>"
            ]
        ),
        "unsafe_link",
    ),
    "link: javascript: with a tab inside the scheme": (
        pdf_classes.link_pdf(b"java\tscript:app.alert(1)"),
        "unsafe_link",
    ),
    "link: javascript: in UTF-16": (
        pdf_classes.link_pdf(b"\xfe\xff" + "javascript:app.alert(1)".encode("utf-16-be")),
        "unsafe_link",
    ),
    "link: mailto that attaches a local file": (
        pdf_classes.link_pdf(b"mailto:a@b.example?attach=/etc/passwd"),
        "unsafe_link",
    ),
    "link base given as a stream": (
        pdfs.raw_pdf(
            pdfs.minimal_pdf_objects(b"/URI << /Base 4 0 R >>")
            + [b"<< /Length 11 >>\nstream\njavascript:\nendstream"]
        ),
        "unsafe_link",
    ),
    "bomb in a filter stage that the next one shrinks": (
        pdfs.flate_bomb_pdf(300, b"[/FlateDecode /ASCIIHexDecode]", fill=b" "),
        "decompression_bomb",
    ),
    "bomb behind a Crypt filter": (
        pdfs.flate_bomb_pdf(300, b"[/Crypt /FlateDecode]", extra=b"/DecodeParms [null null] "),
        "decompression_bomb",
    ),
    "Flate after an image codec": (
        pdfs.flate_bomb_pdf(1, b"[/DCTDecode /FlateDecode]"),
        "damaged",
    ),
    "hybrid file whose table and stream place an object differently": (
        pdf_classes.hybrid_reference_pdf(shadow=True),
        "damaged",
    ),
    "3D annotation": (pdf_classes.three_d_pdf(script=False), "three_d"),
    "3D script (/OnInstantiate)": (pdf_classes.three_d_pdf(script=True), "javascript"),
    "stream data in another file (/F)": (pdf_classes.external_stream_pdf(), "external_stream"),
    "GoToR": (
        pdfs.pdf_with_open_action(b"<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>"),
        "launch_action",
    ),
    "GoToE": (pdfs.annotation_action_pdf(b"<< /S /GoToE /T << /R /C >> >>"), "launch_action"),
    "GoTo into another file (/F)": (
        pdfs.pdf_with_open_action(b"<< /S /GoTo /F (other.pdf) /D [0 /Fit] >>"),
        "launch_action",
    ),
    "Thread in another file": (
        pdfs.annotation_action_pdf(b"<< /S /Thread /F (other.pdf) /D 0 >>"),
        "launch_action",
    ),
    "GoToR chained behind a harmless GoTo (/Next)": (
        pdfs.pdf_with_open_action(
            b"<< /S /GoTo /D [3 0 R /Fit] /Next << /S /GoToR /F (x.pdf) /D [0 /Fit] >> >>"
        ),
        "launch_action",
    ),
    "Launch with a hex-escaped name": (
        pdfs.pdf_with_open_action(b"<< /S /Laun#63h /F (cmd.exe) >>"),
        "launch_action",
    ),
    "action type kept in an object of its own": (
        pdfs.raw_pdf(
            pdfs.minimal_pdf_objects(b"/OpenAction 4 0 R")
            + [b"<< /S 5 0 R /F (cmd.exe) >>", b"/Launch"]
        ),
        "launch_action",
    ),
    "Screen annotation": (
        pdfs.raw_pdf(
            pdfs.minimal_pdf_objects(page_extra=b"/Annots [4 0 R]")
            + [b"<< /Type /Annot /Subtype /Screen /Rect [0 0 9 9] >>"]
        ),
        "rich_media",
    ),
    "JavaScript in a compressed object stream": (
        pdfs.javascript_in_object_stream_pdf(),
        "javascript",
    ),
}

REFUSED_AT_THE_DOOR = {
    "a ZIP archive appended": (
        pdf_classes.with_trailing(pdfs.pdf_bytes(), pdf_classes.zip_archive()),
        "trailing_data",
        "a ZIP archive",
    ),
    "a ZIP archive whose comment covers the PDF's end": (
        pdf_classes.zip_polyglot_pdf(),
        "trailing_data",
        "a ZIP archive",
    ),
    "a ZIP archive in an unreferenced stream": (
        pdf_classes.zip_in_stream_pdf(),
        "trailing_data",
        "a ZIP archive",
    ),
    "a web page appended": (
        pdf_classes.with_trailing(pdfs.pdf_bytes(), b"<html><script>alert(1)</script></html>"),
        "trailing_data",
        "bytes after its end",
    ),
    "AES-256, empty user password": (
        pdfs.encrypted_pdf("", "AES-256"),
        "encrypted",
        "remove the password",
    ),
    "AES-256 with a password": (
        pdfs.encrypted_pdf("s3cret", "AES-256"),
        "encrypted",
        "remove the password",
    ),
}


def _status(client, token: str, filing_id: str) -> dict:
    return client.get(
        f"/api/v1/filings/{filing_id}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()


@pytest.mark.parametrize("name", list(LEGITIMATE))
def test_legitimate_document_is_served(client, api_token, name):
    response = api_post(client, api_token, [(LEGITIMATE[name], "exhibit.pdf")])
    assert response.status_code == 201, response.get_json()
    status = _status(client, api_token, response.get_json()["id"])
    assert status["status"] == "served", status["problems"]


@pytest.mark.parametrize("name", list(HOSTILE_AFTER_RECEIPT))
def test_dangerous_document_is_refused_by_the_check(client, api_token, name):
    content, code = HOSTILE_AFTER_RECEIPT[name]
    response = api_post(client, api_token, [(content, "exhibit.pdf")])
    assert response.status_code == 201
    status = _status(client, api_token, response.get_json()["id"])
    assert status["status"] == "refused"
    assert code in [p["code"] for p in status["problems"]], status["problems"]
    assert all(p["file"] == "exhibit.pdf" for p in status["problems"])


@pytest.mark.parametrize("name", list(REFUSED_AT_THE_DOOR))
def test_refused_at_the_door_with_words_to_act_on(client, api_token, name):
    content, code, words = REFUSED_AT_THE_DOOR[name]
    response = api_post(client, api_token, [(content, "exhibit.pdf")])
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["code"] == code and error["file"] == "exhibit.pdf"
    assert words in error["message"]
    assert "cryptography" not in error["message"]


def test_unsafe_link_message_names_the_link(client, api_token):
    response = api_post(client, api_token, [(pdf_classes.link_pdf(b"file:///etc/passwd"), "a.pdf")])
    [found] = _status(client, api_token, response.get_json()["id"])["problems"]
    assert "file:///etc/passwd" in found["message"]
    assert "web address starting with https://" in found["message"]
