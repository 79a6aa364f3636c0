"""A local RFC 3161 time-stamping authority for tests: OpenSSL's ``openssl ts -reply`` behind a
small HTTP server on 127.0.0.1, with its own CA and a signing certificate whose extended key
usage is timeStamping (critical), as RFC 3161 requires."""

from __future__ import annotations

import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ tsa_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
"""


def _run(*args: str, cwd: Path) -> None:
    subprocess.run(args, cwd=cwd, check=True, capture_output=True, timeout=60)


def make_authority(where: Path) -> Path:
    """Keys, certificates and the OpenSSL configuration of an authority, in ``where``."""
    where.mkdir(parents=True, exist_ok=True)
    (where / "tsa.cnf").write_text(CONFIG.format(dir=where))
    (where / "serial").write_text("01\n")
    _run(
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test TSA CA",
        cwd=where,
    )  # fmt: skip
    _run(
        "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", "/CN=Test TSA",
        cwd=where,
    )  # fmt: skip
    _run(
        "openssl", "x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "tsa.pem", "-days", "2", "-extfile", "tsa.cnf",
        "-extensions", "tsa_ext",
        cwd=where,
    )  # fmt: skip
    return where


@dataclass
class Authority:
    url: str
    ca_file: Path
    requests: list[bytes]


@contextmanager
def running_authority(where: Path) -> Iterator[Authority]:
    """Serve time-stamps at a free port on 127.0.0.1 until the block ends."""
    make_authority(where)
    seen: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            seen.append(query)
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / "q.tsq").write_bytes(query)
                done = subprocess.run(
                    ["openssl", "ts", "-reply", "-config", str(where / "tsa.cnf"),
                     "-queryfile", f"{tmp}/q.tsq", "-out", f"{tmp}/r.tsr"],
                    capture_output=True, timeout=30, check=False,
                )  # fmt: skip
                reply = (Path(tmp) / "r.tsr").read_bytes() if done.returncode == 0 else b""
            self.send_response(200 if reply else 400)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Authority(f"http://127.0.0.1:{server.server_port}/tsa", where / "ca.pem", seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
