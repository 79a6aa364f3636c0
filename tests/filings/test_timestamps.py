"""RFC 3161 time-stamps on signed receipts, from a local authority the tests start (OpenSSL's
``ts -reply``): the response is checked and kept, served by the API, and verifies with
``openssl ts -verify`` against the authority's CA; an authority that is down is asked again."""

from __future__ import annotations

import socket
import subprocess

import pytest
from sqlalchemy import select

from app import create_app, db
from app.offices import seed_offices
from filings import timestamps
from filings.signed_receipt_models import SignedReceipt
from filings.tokens import create_token
from tests.conftest import make_env
from tests.filings.receipt_steps import auth, receipt_jws, served_set
from tests.helpers import create_attorney
from tests.tsa import running_authority


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _app(tmp_path, database_url, **env):
    app = create_app(env=make_env(tmp_path, database_url, **env))
    with app.app_context():
        seed_offices()
        user = create_attorney("lawyer@firm.example")
        token = create_token(user, "tests")
        db.session.commit()
    return app, token


@pytest.fixture
def authority(tmp_path):
    with running_authority(tmp_path / "tsa") as tsa:
        yield tsa


def test_each_signed_receipt_is_time_stamped_and_the_stamp_verifies(
    tmp_path, database_url, authority
):
    app, token = _app(
        tmp_path,
        database_url,
        ESERVICE_TSA_URL=authority.url,
        ESERVICE_TSA_CERT_FILE=str(authority.ca_file),
    )
    client = app.test_client()
    ack = served_set(client, token)
    jws = receipt_jws(client, token, ack["id"])
    # The time-stamp job runs inline, or is relayed by the scheduler (when the receipt was
    # first signed inside another job, e.g. the notice's attachment).
    app.test_cli_runner().invoke(args=["jobs", "run-pending"])
    assert len(authority.requests) == 1
    response = client.get(f"/api/v1/filings/{ack['id']}/receipt.tsr", headers=auth(token))
    assert response.status_code == 200 and response.mimetype == "application/timestamp-reply"
    (tmp_path / "receipt.jws").write_text(jws)
    (tmp_path / "receipt.tsr").write_bytes(response.data)
    checked = subprocess.run(
        ["openssl", "ts", "-verify", "-data", str(tmp_path / "receipt.jws"),
         "-in", str(tmp_path / "receipt.tsr"), "-CAfile", str(authority.ca_file)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert checked.returncode == 0 and "Verification: OK" in checked.stdout, checked.stderr
    with app.app_context():
        row = db.session.scalars(select(SignedReceipt)).one()
        assert row.timestamped_at is not None
    app.extensions["eservice.engine"].dispose()


def test_an_authority_that_is_down_is_asked_again_later(tmp_path, database_url):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/tsa"
    app, token = _app(tmp_path, database_url, ESERVICE_TSA_URL=url)
    client = app.test_client()
    ack = served_set(client, token)
    receipt_jws(client, token, ack["id"])  # signed at once; the time-stamp job fails
    app.test_cli_runner().invoke(args=["jobs", "run-pending"])
    missing = client.get(f"/api/v1/filings/{ack['id']}/receipt.tsr", headers=auth(token))
    assert missing.status_code == 404
    assert "not time-stamped yet" in missing.get_json()["errors"][0]["message"]

    with running_authority(tmp_path / "tsa") as tsa, app.app_context():
        from dataclasses import replace

        app.config["ESERVICE"] = replace(app.config["ESERVICE"], tsa_url=tsa.url)
        from filings.signed_receipts import sweep_untimestamped

        assert sweep_untimestamped(older_than_seconds=0) == 1
        row = db.session.scalars(select(SignedReceipt)).one()
        db.session.refresh(row)
        assert row.timestamp_token is not None
    app.extensions["eservice.engine"].dispose()


def test_an_answer_that_is_not_a_time_stamp_for_this_receipt_is_refused(tmp_path, authority):
    with pytest.raises(timestamps.TimestampFailed, match="did not answer"):
        timestamps.stamp(b"receipt", f"http://127.0.0.1:{_free_port()}/")
    # The authority's CA is not the one given: the signature does not verify.
    other = running_authority(tmp_path / "other")
    with other as stranger, pytest.raises(timestamps.TimestampFailed, match="does not verify"):
        timestamps.stamp(b"receipt", authority.url, str(stranger.ca_file))
    token, at = timestamps.stamp(b"receipt", authority.url, str(authority.ca_file))
    assert token and at.tzinfo is not None
