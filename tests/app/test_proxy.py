"""gunicorn behind nginx as deploy/nginx.conf sets it up: slow clients wait in nginx, never in a
gunicorn thread; a stalled body is closed after the body timeout; the app's body limits hold at
both doors; the client address is the one nginx saw, whatever the client wrote."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import create_app, db
from deploy.render_nginx import FORM_BODY_KB, render
from filings.uploads import SMALL_BODY_BYTES
from tests.conftest import make_env
from tests.helpers import create_attorney, multipart
from tests.pdfs import pdf_bytes
from tests.services import (
    Process,
    app_process_env,
    free_port,
    start_gunicorn,
    start_nginx,
    wait_until,
)

# Short, so the test sees it act; production uses deploy/render_nginx.py's 15 s.
CLIENT_TIMEOUT = 2
# gunicorn with two threads in all: four slow clients would hold every one of them.
THREADS = 2


@dataclass
class Site:
    nginx: int  # port
    gunicorn: int  # port
    database_url: str
    token: str
    folder: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("proxy")
    shutil.copy(sqlite_template, folder / "eservice.db")
    database_url = f"sqlite:///{folder / 'eservice.db'}"
    settings = make_env(folder, database_url, ESERVICE_TRUSTED_PROXIES="1")
    app = create_app(env=settings)
    with app.app_context():
        from app.offices import seed_offices
        from filings.tokens import create_token

        seed_offices()
        db.session.commit()
        token = create_token(create_attorney(), "tests")
    db.session.remove()
    app.extensions["eservice.engine"].dispose()

    gunicorn_port, nginx_port = free_port(), free_port()
    env, log = app_process_env(settings), folder / "gunicorn.log"
    gunicorn = start_gunicorn(env, log, gunicorn_port, workers=1, threads=THREADS)
    nginx: Process | None = None
    try:
        conf = render(
            f"127.0.0.1:{nginx_port}",
            f"127.0.0.1:{gunicorn_port}",
            max_filing_mb=int(settings["ESERVICE_MAX_FILING_MB"]),
            client_timeout=f"{CLIENT_TIMEOUT}s",
            # nginx started by root runs its workers as nobody, who cannot enter pytest's
            # private temporary folder
            user="root" if os.geteuid() == 0 else None,
        )
        nginx = start_nginx(conf, folder / "nginx", nginx_port)
        wait_until(lambda: get(nginx_port, timeout=30)[0] == 200, 60, "the first page")
        yield Site(nginx_port, gunicorn_port, database_url, token, folder)
    finally:
        if nginx is not None:
            nginx.stop()
        gunicorn.stop()


def get(port: int, path: str = "/login", timeout: float = 5) -> tuple[int, float]:
    """A plain request; its status and how long the answer took."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


class SlowClients:
    """Connections that send a request a byte at a time, each byte just before any timeout:
    half stuck in their headers, half in a form body."""

    def __init__(self, port: int, count: int) -> None:
        self.sockets: list[tuple[socket.socket, bytes]] = []
        for i in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            if i % 2:
                sock.sendall(b"GET /login HTTP/1.1\r\nHost: localhost\r\n")
                self.sockets.append((sock, b"X"))  # a header that never ends
            else:
                sock.sendall(
                    b"POST /login HTTP/1.1\r\nHost: localhost\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                    b"Content-Length: 10000\r\n\r\nemail="
                )
                self.sockets.append((sock, b"a"))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True)
        self._thread.start()

    def _trickle(self) -> None:
        while not self._stop.wait(CLIENT_TIMEOUT / 4):
            for sock, byte in self.sockets:
                with contextlib.suppress(OSError):
                    sock.sendall(byte)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for sock, _ in self.sockets:
            sock.close()


def _csrf_failure_addresses(site: Site) -> list[str]:
    engine = create_engine(site.database_url)
    with engine.connect() as connection:
        query = text("SELECT ip FROM audit_events WHERE action = 'csrf.failed' ORDER BY id")
        addresses = list(connection.execute(query).scalars())
    engine.dispose()
    return addresses


def test_the_client_address_is_the_one_nginx_saw(site: Site):
    before = len(_csrf_failure_addresses(site))
    with contextlib.closing(
        http.client.HTTPConnection("127.0.0.1", site.nginx, timeout=30)
    ) as conn:
        conn.request(
            "POST",
            "/login",
            body="email=x%40y.example",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": "203.0.113.9",  # forged
            },
        )
        assert conn.getresponse().status == 400  # no CSRF token: an audited failure
    # (first in this module: an address gets 10 anonymous CSRF events an hour)
    assert _csrf_failure_addresses(site)[before:] == ["127.0.0.1"]


def test_slow_clients_stall_gunicorn_alone(site: Site):
    """The attack, to show what nginx is for: two slow bodies hold both threads."""
    slow = SlowClients(site.gunicorn, 4)
    try:
        time.sleep(0.5)
        with pytest.raises(TimeoutError):
            get(site.gunicorn, timeout=CLIENT_TIMEOUT * 1.5)
    finally:
        slow.close()
    wait_until(lambda: get(site.gunicorn)[0] == 200, 30, "gunicorn to recover")


def test_slow_clients_wait_in_nginx_and_a_normal_request_answers_at_once(site: Site):
    slow = SlowClients(site.nginx, 16)
    try:
        time.sleep(0.5)
        for _ in range(5):
            status, took = get(site.nginx)
            assert status == 200 and took < 1.5
            time.sleep(CLIENT_TIMEOUT / 4)
    finally:
        slow.close()


def _closed_after(sock: socket.socket) -> tuple[bytes, float]:
    """What the server sends before it closes (or resets: reset_timedout_connection) the
    connection, and how long after the call it did."""
    started, received = time.monotonic(), b""
    sock.settimeout(CLIENT_TIMEOUT * 5)
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(4096):
            received += chunk
    return received, time.monotonic() - started


def test_a_stalled_body_or_header_is_closed_after_the_client_timeout(site: Site):
    body = socket.create_connection(("127.0.0.1", site.nginx))
    body.sendall(
        b"POST /login HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\nemail="
    )
    header = socket.create_connection(("127.0.0.1", site.nginx))
    header.sendall(b"GET /login HTTP/1.1\r\nHost: localhost\r\n")
    with body, header:
        received, took = _closed_after(body)
        assert CLIENT_TIMEOUT * 0.8 < took < CLIENT_TIMEOUT * 3
        assert received == b"" or received.startswith(b"HTTP/1.1 408")
        received, took = _closed_after(header)
        assert took < CLIENT_TIMEOUT * 3 and b"200 OK" not in received


def _send_headers_then_read(port: int, path: str, length: int) -> tuple[bytes, float]:
    """Declare a body of ``length`` bytes, send a few of them, read the answer: its bytes and
    how long it took to come (the server may keep the connection open a moment after)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {length}\r\n\r\nemail=".encode()
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(4096) or b"\r\n\r\n"
        head = answer.partition(b"\r\n\r\n")[0].decode("latin-1").lower()
        expected = len(head) + 4 + int(head.partition("content-length:")[2].split()[0] or 0)
        while len(answer) < expected and (chunk := sock.recv(4096)):
            answer += chunk
        return answer, time.monotonic() - started


def test_a_60_mb_login_is_refused_before_its_body_is_sent(site: Site):
    for port in (site.gunicorn, site.nginx):
        answer, took = _send_headers_then_read(port, "/login", 60 * 1024 * 1024)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert b"at most 64 KB" in answer
        assert took < 2


def test_an_api_upload_passes_nginx_and_its_limit_answers_json(site: Site):
    padded = pdf_bytes() + b"\n" + b" " * (200 * 1024)  # more than a form, well within a set
    request = multipart(
        {
            "office": "ATL",
            "a_number": "A012345678",
            "document_type": "motion",
            "title": "Motion",
            "files": [(io.BytesIO(padded), "motion.pdf")],
        }
    )
    headers = {"Authorization": f"Bearer {site.token}", "Content-Type": request["content_type"]}
    with contextlib.closing(
        http.client.HTTPConnection("127.0.0.1", site.nginx, timeout=60)
    ) as conn:
        conn.request("POST", "/api/v1/filings", body=request["data"], headers=headers)
        response = conn.getresponse()
        answer = json.loads(response.read())
    assert response.status == 201, answer
    assert answer["documents"][0]["bytes"] == len(padded)
    too_big, _ = _send_headers_then_read(site.nginx, "/api/v1/filings", 6 * 1024 * 1024 + 1)
    head, _, body = too_big.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413") and b"application/json" in head
    assert json.loads(body)["errors"][0]["code"] == "request_too_large"


def test_the_configuration_matches_the_app():
    from config import load

    conf = render("443", "127.0.0.1:8000")
    assert FORM_BODY_KB * 1024 == SMALL_BODY_BYTES
    assert f"client_max_body_size {FORM_BODY_KB}k;" in conf
    upload = load({}).to_flask()["MAX_CONTENT_LENGTH"]
    assert f"client_max_body_size {upload // (1024 * 1024)}m;" in conf  # ESERVICE_MAX_FILING_MB
    for line in (
        "proxy_request_buffering on;",
        "client_body_timeout 15s;",
        "client_header_timeout 15s;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    ):
        assert line in conf


def test_the_tls_configuration_is_valid(tmp_path: Path):
    """nginx accepts the configuration with TLS (checked, not started)."""
    import datetime
    import subprocess

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from tests.services import need

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        need("nginx (apt-get install nginx)")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "eservice.example.gov")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    conf = render(
        f"127.0.0.1:{free_port()}",
        "127.0.0.1:8000",
        tls_certificate=str(tmp_path / "cert.pem"),
        tls_key=str(tmp_path / "key.pem"),
    )
    (tmp_path / "nginx.conf").write_text(conf)
    checked = subprocess.run(
        [nginx, "-t", "-p", f"{tmp_path}/", "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert " ssl;" in conf and "ssl_protocols TLSv1.2 TLSv1.3;" in conf
