"""Checking a receipt offline: ``flask receipts verify`` and the standalone script
tools/verify_receipt.py, which needs only the public keys. A valid receipt and its documents
pass; a tampered receipt, a changed document, a key not ours and an unsigned token fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.filings.receipt_steps import encode, parts, receipt_jws, served_set, with_payload
from tests.pdfs import pdf_bytes

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "verify_receipt.py"


@pytest.fixture
def receipt(app, client, api_token, tmp_path):
    """A served set of two documents, its receipt and the public keys, as files."""
    docs = [pdf_bytes(pages=2), pdf_bytes(pages=3)]
    ack = served_set(client, api_token, *docs)
    jws = receipt_jws(client, api_token, ack["id"])
    files = {"jws": tmp_path / "receipt.jws", "jwks": tmp_path / "jwks.json"}
    files["jws"].write_text(jws)
    files["jwks"].write_text(client.get("/.well-known/jwks.json").get_data(as_text=True))
    for i, content in enumerate(docs, 1):
        files[f"doc{i}"] = tmp_path / f"doc{i}.pdf"
        files[f"doc{i}"].write_bytes(content)
    return ack, jws, files


def _script(*args: Path | str) -> subprocess.CompletedProcess[str]:
    # A bare interpreter in an empty folder: nothing of the app is importable.
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(SCRIPT).parent.parent / "tools",
        check=False,
    )


def test_the_standalone_script_checks_a_receipt_with_the_public_keys_alone(receipt):
    ack, _, files = receipt
    done = _script("--keys", files["jwks"], files["jws"], files["doc1"], files["doc2"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"VALID: receipt {ack['receipt_number']}" in done.stdout
    assert "MATCH: " in done.stdout and "doc-1.pdf" in done.stdout and "doc-2.pdf" in done.stdout


def test_the_standalone_script_refuses_a_changed_document(receipt, tmp_path):
    _, _, files = receipt
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(files["doc1"].read_bytes() + b"\n% one more line\n")
    done = _script("--keys", files["jwks"], files["jws"], files["doc1"], changed)
    assert done.returncode == 1
    assert "NO MATCH: " in done.stdout and "VALID: receipt" in done.stdout


def test_the_standalone_script_refuses_tampered_and_foreign_receipts(receipt, tmp_path):
    _, jws, files = receipt
    header, payload, _ = parts(jws)
    head, body, sig = jws.split(".")
    forged_sig = sig[:-4] + ("AAAA" if not sig.endswith("AAAA") else "BBBB")
    cases = {
        "status changed": with_payload(jws, {**payload, "status": "accepted"}),
        "hash changed": with_payload(
            jws, {**payload, "documents": [{**payload["documents"][0], "sha256": "0" * 64}]}
        ),
        "signature changed": f"{head}.{body}.{forged_sig}",
        "unknown key": f"{encode({**header, 'kid': 'someone-else'})}.{body}.{sig}",
        "unsigned": f"{encode({'alg': 'none'})}.{body}.",
        "HMAC with the public key": f"{encode({**header, 'alg': 'HS256'})}.{body}.{sig}",
        "not a JWS": "hello",
    }
    for name, token in cases.items():
        path = tmp_path / "forged.jws"
        path.write_text(token)
        done = _script("--keys", files["jwks"], path, files["doc1"])
        assert done.returncode == 1, (name, done.stdout, done.stderr)
        assert done.stdout.startswith("NOT VALID: "), (name, done.stdout)


def test_the_standalone_script_reports_misuse_with_status_2(receipt, tmp_path):
    _, _, files = receipt
    assert _script("--keys", tmp_path / "missing.json", files["jws"]).returncode == 2
    assert _script(files["jws"]).returncode == 2  # no keys given


def test_flask_receipts_verify_checks_the_receipt_and_its_documents(app, receipt, tmp_path):
    ack, jws, files = receipt
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["receipts", "verify", str(files["jws"]), str(files["doc2"])])
    assert ok.exit_code == 0, ok.output
    assert f"VALID: receipt {ack['receipt_number']}" in ok.output and "MATCH: " in ok.output

    other = tmp_path / "other.pdf"
    other.write_bytes(pdf_bytes(pages=7))
    wrong = runner.invoke(args=["receipts", "verify", str(files["jws"]), str(other)])
    assert wrong.exit_code != 0 and "NO MATCH: " in wrong.output

    tampered = tmp_path / "tampered.jws"
    tampered.write_text(with_payload(jws, {**parts(jws)[1], "office": {"code": "NYC"}}))
    bad = runner.invoke(args=["receipts", "verify", str(tampered)])
    assert bad.exit_code != 0 and "NOT VALID" in bad.output and "altered" in bad.output

    # The same check against keys given as a file (another installation's, or a copy).
    given = runner.invoke(
        args=["receipts", "verify", "--jwks", str(files["jwks"]), str(files["jws"])]
    )
    assert given.exit_code == 0, given.output
    empty = tmp_path / "empty.json"
    empty.write_text('{"keys": []}')
    foreign = runner.invoke(args=["receipts", "verify", "--jwks", str(empty), str(files["jws"])])
    assert foreign.exit_code != 0 and "not ours" in foreign.output


def test_flask_receipts_jwks_prints_the_public_keys(app, receipt):
    _, jws, _ = receipt
    out = app.test_cli_runner().invoke(args=["receipts", "jwks"])
    assert out.exit_code == 0 and parts(jws)[0]["kid"] in out.output and '"d"' not in out.output
